import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { replayStored } from '@bascule/collab';
import { type DataSource, type EntityManager, type EntityTarget, In, type ObjectLiteral } from 'typeorm';
import * as Y from 'yjs';
import { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuthEventEntity } from '../identity/auth-event.entity.js';
import { BaselineEntity } from '../baselines/baseline.entity.js';
import { CatalogFrameworkEntity, CatalogOfferEntity } from '../catalog/entities.js';
import type { SqlDocumentStore } from '../collab/document.store.js';
import type { Transactor } from '../database/transactor.js';
import { MembershipEntity, OrganizationEntity, UserEntity, UserIdentityEntity } from '../identity/entities.js';
import { PlanEntity, PlanMemberEntity } from '../plans/entities.js';

/** What an archive says of itself on its first line. */
export interface ArchiveHeader {
  readonly format: 'bascule-organization';
  readonly version: 1;
  readonly organizationId: string;
  readonly exportedAt: string;
  /** Rows per section, so that an import can show how far it is. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface ArchiveProgress {
  readonly section: string;
  readonly done: number;
  readonly total: number;
}

/** A problem with the archive or with where it is going: the import wrote nothing. */
export class ArchiveError extends Error {}

interface Section {
  readonly name: string;
  readonly entity: EntityTarget<ObjectLiteral>;
  /** Columns the database generates: left out, the importing database numbers the rows anew. */
  readonly generated?: readonly string[];
  readonly order?: Record<string, 'ASC'>;
  rows(manager: EntityManager, scope: Scope): Promise<ObjectLiteral[]>;
}

interface Scope {
  readonly organizationId: string;
  readonly userIds: readonly string[];
  readonly planIds: readonly string[];
}

const CHUNK = 500;

/** `find` with an IN list cut in chunks (both dialects bound the parameters of one statement). */
async function findIn(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  column: string,
  values: readonly string[],
  order?: Record<string, 'ASC'>,
): Promise<ObjectLiteral[]> {
  const rows: ObjectLiteral[] = [];
  for (let start = 0; start < values.length; start += CHUNK)
    rows.push(...(await manager.find(entity, { where: { [column]: In(values.slice(start, start + CHUNK)) }, order })));
  return rows;
}

const byOrganization = (entity: EntityTarget<ObjectLiteral>, order?: Record<string, 'ASC'>) => ({
  entity,
  order,
  rows: (manager: EntityManager, scope: Scope) =>
    manager.find(entity, { where: { organizationId: scope.organizationId }, order }),
});

/**
 * What an organization is, table by table, parents before children: its members' accounts (with
 * their password hashes and single sign-on links, so that they sign in as before), its plans and
 * who may see them, their baselines, its catalog edits, and its audit and sign-in trails (the
 * audit chain verifies in the new place). Plan documents follow, one merged state each. Left out:
 * sessions and refresh tokens (people sign in again), API tokens and webhook secrets (hashed or
 * sealed with keys of the instance they were made on: recreate them), invitations, and the read
 * model (rebuilt from the documents on import).
 */
const SECTIONS: readonly Section[] = [
  {
    name: 'organization',
    entity: OrganizationEntity,
    rows: (m, s) => m.find(OrganizationEntity, { where: { id: s.organizationId } }),
  },
  { name: 'users', entity: UserEntity, rows: (m, s) => findIn(m, UserEntity, 'id', s.userIds, { id: 'ASC' }) },
  { name: 'memberships', ...byOrganization(MembershipEntity, { userId: 'ASC' }) },
  {
    name: 'userIdentities',
    entity: UserIdentityEntity,
    rows: (m, s) => findIn(m, UserIdentityEntity, 'userId', s.userIds, { issuer: 'ASC', subject: 'ASC' }),
  },
  { name: 'plans', ...byOrganization(PlanEntity, { id: 'ASC' }) },
  {
    name: 'planMembers',
    entity: PlanMemberEntity,
    rows: (m, s) => findIn(m, PlanMemberEntity, 'planId', s.planIds, { planId: 'ASC', userId: 'ASC' }),
  },
  {
    name: 'baselines',
    entity: BaselineEntity,
    rows: (m, s) => findIn(m, BaselineEntity, 'planId', s.planIds, { id: 'ASC' }),
  },
  { name: 'catalogOffers', ...byOrganization(CatalogOfferEntity, { rowId: 'ASC' }) },
  { name: 'catalogFrameworks', ...byOrganization(CatalogFrameworkEntity, { rowId: 'ASC' }) },
  { name: 'auditEvents', generated: ['id'], ...byOrganization(AuditEventEntity, { seq: 'ASC' }) },
  { name: 'authEvents', generated: ['id'], ...byOrganization(AuthEventEntity, { id: 'ASC' }) },
];

/** JSON with dates kept as dates: `{"$date": "..."}`. */
function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, item: unknown) {
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : item;
  });
}

function decode(line: string): unknown {
  return JSON.parse(line, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && '$date' in value && typeof value.$date === 'string'
      ? new Date(value.$date)
      : value,
  );
}

/**
 * An organization's export and import, to leave one Bascule instance for another (SQLite to
 * PostgreSQL included): one gzip file of JSON lines, a header first, then each section's rows,
 * then each plan's document as one Yjs state. The import writes everything in one transaction, or
 * nothing.
 */
export class OrganizationArchive {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly store: SqlDocumentStore,
  ) {}

  async export(
    organizationId: string,
    file: string,
    onProgress: (progress: ArchiveProgress) => void,
  ): Promise<ArchiveHeader> {
    const manager = this.dataSource.manager;
    if ((await manager.countBy(OrganizationEntity, { id: organizationId })) === 0)
      throw new ArchiveError(`no organization ${organizationId} in this database`);
    const userIds = (await manager.find(MembershipEntity, { where: { organizationId } })).map((row) => row.userId);
    const planIds = (await manager.find(PlanEntity, { where: { organizationId }, order: { id: 'ASC' } })).map(
      (row) => row.id,
    );
    const scope: Scope = { organizationId, userIds, planIds };
    const sections = new Map<string, ObjectLiteral[]>();
    for (const section of SECTIONS) {
      const generated = new Set(section.generated ?? []);
      const rows = (await section.rows(manager, scope)).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => !generated.has(column))),
      );
      sections.set(section.name, rows);
    }
    const header: ArchiveHeader = {
      format: 'bascule-organization',
      version: 1,
      organizationId,
      exportedAt: new Date().toISOString(),
      counts: {
        ...Object.fromEntries([...sections].map(([name, rows]) => [name, rows.length])),
        documents: planIds.length,
      },
    };
    const store = this.store;
    async function* lines() {
      yield `${encode(header)}\n`;
      for (const [name, rows] of sections) {
        for (const [index, row] of rows.entries()) {
          yield `${encode({ section: name, row })}\n`;
          if ((index + 1) % 1000 === 0 || index + 1 === rows.length)
            onProgress({ section: name, done: index + 1, total: rows.length });
        }
      }
      for (const [index, planId] of planIds.entries()) {
        const doc = new Y.Doc();
        await replayStored(doc, await store.load(planId), { onInvalid: () => undefined });
        const state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
        doc.destroy();
        yield `${encode({ section: 'documents', planId, state })}\n`;
        onProgress({ section: 'documents', done: index + 1, total: planIds.length });
      }
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
    return header;
  }

  /** Reads an archive back: its header, each section's rows, each plan's document state. */
  static async read(
    file: string,
  ): Promise<{ header: ArchiveHeader; sections: Map<string, ObjectLiteral[]>; documents: Map<string, Uint8Array> }> {
    const input = createReadStream(file).pipe(createGunzip());
    const reader = createInterface({ input, crlfDelay: Infinity });
    let header: ArchiveHeader | null = null;
    const sections = new Map<string, ObjectLiteral[]>();
    const documents = new Map<string, Uint8Array>();
    try {
      let number = 0;
      for await (const line of reader) {
        number += 1;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = decode(line);
        } catch {
          throw new ArchiveError(`line ${number} is not JSON`);
        }
        if (header === null) {
          const candidate = value as Partial<ArchiveHeader>;
          if (candidate.format !== 'bascule-organization' || candidate.version !== 1)
            throw new ArchiveError('this is not a Bascule organization archive (version 1)');
          header = candidate as ArchiveHeader;
          continue;
        }
        const entry = value as { section?: string; row?: ObjectLiteral; planId?: string; state?: string };
        if (entry.section === 'documents' && typeof entry.planId === 'string' && typeof entry.state === 'string')
          documents.set(entry.planId, new Uint8Array(Buffer.from(entry.state, 'base64')));
        else if (
          entry.section !== undefined &&
          SECTIONS.some((section) => section.name === entry.section) &&
          entry.row !== undefined
        ) {
          const rows = sections.get(entry.section) ?? [];
          rows.push(entry.row);
          sections.set(entry.section, rows);
        } else throw new ArchiveError(`line ${number} is not a row of a known section`);
      }
    } catch (error) {
      if (error instanceof ArchiveError) throw error;
      throw new ArchiveError(`the archive cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (header === null) throw new ArchiveError('the archive is empty');
    for (const [name, count] of Object.entries(header.counts)) {
      const found = name === 'documents' ? documents.size : (sections.get(name)?.length ?? 0);
      if (found !== count) throw new ArchiveError(`the archive is cut short: ${name} has ${found} of ${count}`);
    }
    return { header, sections, documents };
  }

  /**
   * Imports an archive into this database in one transaction. Refused, writing nothing, when the
   * organization is already here or an account of the archive collides with another one here
   * (same email, other id). A user already here under the same id and email is kept as is.
   */
  async import(file: string, onProgress: (progress: ArchiveProgress) => void): Promise<ArchiveHeader> {
    const { header, sections, documents } = await OrganizationArchive.read(file);
    await this.transactor.run(async (manager) => {
      if ((await manager.countBy(OrganizationEntity, { id: header.organizationId })) > 0)
        throw new ArchiveError(`organization ${header.organizationId} is already in this database`);
      const users = sections.get('users') ?? [];
      const existing = await findIn(
        manager,
        UserEntity,
        'email',
        users.map((user) => user.email as string),
      );
      const clashes = existing.filter(
        (here) => !users.some((user) => user.id === here.id && user.email === here.email),
      );
      if (clashes.length > 0)
        throw new ArchiveError(
          `accounts already here under another id: ${clashes.map((user) => user.email as string).join(', ')}`,
        );
      const kept = new Set(existing.map((user) => user.id as string));
      for (const section of SECTIONS) {
        let rows = sections.get(section.name) ?? [];
        if (section.name === 'users') rows = rows.filter((user) => !kept.has(user.id as string));
        for (let start = 0; start < rows.length; start += CHUNK) {
          await manager.insert(section.entity, rows.slice(start, start + CHUNK));
          onProgress({ section: section.name, done: Math.min(start + CHUNK, rows.length), total: rows.length });
        }
      }
      let done = 0;
      for (const [planId, state] of documents) {
        await this.store.importSnapshot(manager, planId, state);
        onProgress({ section: 'documents', done: (done += 1), total: documents.size });
      }
    });
    return header;
  }
}
