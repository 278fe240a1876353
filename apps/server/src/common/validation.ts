import { AppError } from './errors.js';

/** A trimmed, non-empty string of at most `max` characters, or BAD_USER_INPUT naming the field. */
export function requireText(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AppError('BAD_USER_INPUT', `${field} must not be empty.`, { field });
  if ([...trimmed].length > max)
    throw new AppError('BAD_USER_INPUT', `${field} must have at most ${max} characters.`, { field });
  return trimmed;
}

/** Page size within [1, max]. */
export function pageSize(requested: number | undefined, fallback: number, max: number): number {
  const size = requested ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${max}.`, { field: 'first' });
  }
  return size;
}
