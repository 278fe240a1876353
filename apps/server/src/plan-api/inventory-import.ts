import { parse } from 'csv-parse/sync';
import { AppError } from '../common/errors.js';

/** Largest inventory file taken (characters). */
export const MAX_INVENTORY_CHARS = 2_000_000;
const MAX_ROWS = 10_000;

/**
 * Records of an inventory file as exported by discovery tools or a spreadsheet: comma, semicolon
 * (French spreadsheets) or tab separated, guessed from the first line; quotes as RFC 4180; a byte
 * order mark ignored. Refused with BAD_USER_INPUT when it is not CSV.
 */
export function inventoryRecords(csv: string): string[][] {
  if (csv.length > MAX_INVENTORY_CHARS)
    throw new AppError('BAD_USER_INPUT', `The file is larger than ${MAX_INVENTORY_CHARS} characters.`, {
      field: 'csv',
    });
  const text = csv.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = ([',', ';', '\t'] as const).map((candidate) => ({
    candidate,
    count: firstLine.split(candidate).length,
  }));
  const delimiter = counts.reduce((best, next) => (next.count > best.count ? next : best)).candidate;
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new AppError('BAD_USER_INPUT', `The file is not valid CSV: ${(error as Error).message}`, { field: 'csv' });
  }
  if (records.length > MAX_ROWS + 1)
    throw new AppError('BAD_USER_INPUT', `The file has more than ${MAX_ROWS} rows.`, { field: 'csv' });
  return records;
}
