import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../../../../test/support/config.js';
import { ArchiveError, OrganizationArchive } from './organization-archive.js';

const header = (counts: Record<string, number>) =>
  JSON.stringify({ format: 'bascule-organization', version: 1, organizationId: 'o', exportedAt: '', counts });

function archiveOf(text: string, zipped = true): string {
  const file = join(tempDir(), 'archive.jsonl.gz');
  writeFileSync(file, zipped ? gzipSync(text) : text);
  return file;
}

describe('reading an organization archive', () => {
  it('reads rows back with their dates as dates', async () => {
    const row = JSON.stringify({
      section: 'plans',
      row: { id: 'p', createdAt: { $date: '2027-01-04T08:00:00.000Z' } },
    });
    const { sections } = await OrganizationArchive.read(archiveOf(`${header({ plans: 1, documents: 0 })}\n${row}\n`));
    expect(sections.get('plans')).toEqual([{ id: 'p', createdAt: new Date('2027-01-04T08:00:00.000Z') }]);
  });

  it('says what is wrong with a file that is not one, or is cut short, or holds unknown lines', async () => {
    const refusal = (file: string) =>
      OrganizationArchive.read(file).then(
        () => null,
        (error: unknown) => error,
      );
    const cases: [string, RegExp][] = [
      [archiveOf('{"hello":1}\n'), /not a Bascule organization archive/],
      [archiveOf('not json at all\n'), /line 1 is not JSON/],
      [archiveOf(''), /the archive is empty/],
      [
        archiveOf(`${header({ plans: 2, documents: 0 })}\n{"section":"plans","row":{"id":"p"}}\n`),
        /cut short: plans has 1 of 2/,
      ],
      [archiveOf(`${header({})}\n{"section":"secrets","row":{}}\n`), /line 2 is not a row of a known section/],
      [archiveOf('plain text, not gzip', false), /cannot be read/],
    ];
    for (const [file, message] of cases) {
      const error = await refusal(file);
      expect(error).toBeInstanceOf(ArchiveError);
      expect((error as Error).message).toMatch(message);
    }
  });
});
