import { readFileSync, writeFileSync } from 'node:fs';
import { createApp } from './app.factory.js';
import { AuditTrailService, type ChainHead } from './audit/audit-trail.service.js';
import { CatalogService } from './catalog/catalog.service.js';
import { SqlDocumentStore } from './collab/document.store.js';
import { ConfigError, loadConfig } from './config/config.js';
import { resolveSecrets } from './config/secrets.js';
import { describeDatabase, openDatabase } from './database/data-source.js';
import { entities } from './entities.js';
import { ArchiveError, type ArchiveProgress, OrganizationArchive } from './exchange/organization-archive.js';
import { printAppSchema, readSchemaFile, SCHEMA_FILE } from './graphql/schema-file.js';
import { systemClock } from './core/core.module.js';
import { Transactor } from './database/transactor.js';
import { createLogger } from './logging/logger.js';
import { PlanProjector } from './projection/plan-projector.js';
import { ProjectionRebuilder } from './projection/projection.rebuilder.js';
import { ProjectionRepository } from './projection/projection.repository.js';

const USAGE = `usage: node apps/server/dist/cli.js <command>
commands:
  migrate           apply pending database migrations (DATABASE_URL, as the server would)
  schema --write    print the GraphQL schema from the code into apps/server/schema.graphql
  schema --check    exit 1 when apps/server/schema.graphql differs from the code
  compact           fold every plan's update log into its snapshot now (the worker does it every 30 s)
  project           rebuild every plan's read model (projection) from its stored document
  audit verify [organizationId] [--anchors FILE]
                    recompute each organization's audit hash chain; exit 1 when one does not verify.
                    FILE holds heads printed earlier by \`audit heads\`: each must still be in its chain
  audit heads       print each organization's last audit event as "<organizationId> <seq> <hash>",
                    to keep outside the database (with your backups, in your log store)
  org export <organizationId> <file>
                    write an organization (members, plans with their documents, catalog edits,
                    audit trail) to one gzip file, to import into another Bascule instance
  org import <file> add an organization exported by \`org export\` to this database (all or nothing),
                    rebuild its plans' read model and verify its audit chain`;

async function migrateCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger({ nodeEnv: config.nodeEnv, logLevel: 'warn' });
  const dataSource = await openDatabase(config, logger, entities);
  const pending = await dataSource.showMigrations();
  const executed = (await dataSource.query('SELECT name FROM migrations ORDER BY id')) as { name: string }[];
  await dataSource.destroy();
  process.stdout.write(
    `database ${describeDatabase(config.database)} is up to date: ${executed.length} migrations applied${pending ? ' (some still pending!)' : ''}\n`,
  );
  return pending ? 1 : 0;
}

async function compactCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger({ nodeEnv: config.nodeEnv, logLevel: 'warn' });
  const dataSource = await openDatabase(config, logger, entities);
  try {
    const store = new SqlDocumentStore(dataSource, new Transactor(dataSource), systemClock);
    let merged = 0;
    const plans = await store.plansToCompact(1, 1_000_000);
    for (const [index, planId] of plans.entries()) {
      merged += (await store.compact(planId)).merged;
      process.stdout.write(`compacted ${index + 1}/${plans.length} plans\r`);
    }
    process.stdout.write(`\n${merged} updates merged into ${plans.length} snapshots\n`);
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

async function projectCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const logger = createLogger({ nodeEnv: config.nodeEnv, logLevel: 'warn' });
  const dataSource = await openDatabase(config, logger, entities);
  try {
    const transactor = new Transactor(dataSource);
    const catalog = new CatalogService(dataSource, systemClock);
    await catalog.ensureBuiltins();
    const repository = new ProjectionRepository(dataSource, transactor);
    const rebuilder = new ProjectionRebuilder(
      new SqlDocumentStore(dataSource, transactor, systemClock),
      new PlanProjector(repository, catalog, systemClock),
      repository,
    );
    const { failed } = await rebuilder.rebuildAll(({ done, total, planId, error }) => {
      if (error !== null) process.stdout.write(`\nplan ${planId} could not be projected: ${error}\n`);
      process.stdout.write(`projected ${done}/${total} plans\r`);
    });
    process.stdout.write(`\n${failed.length === 0 ? 'every plan projected' : `${failed.length} plans failed`}\n`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

async function auditCommand(args: readonly string[]): Promise<number> {
  const [mode, ...rest] = args;
  const anchorsAt = rest.indexOf('--anchors');
  const anchorsFile = anchorsAt === -1 ? undefined : rest[anchorsAt + 1];
  const organizationId = rest.find((arg, index) => !arg.startsWith('--') && index !== anchorsAt + 1);
  if ((mode !== 'verify' && mode !== 'heads') || (anchorsAt !== -1 && anchorsFile === undefined)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let anchors: Map<string, ChainHead>;
  try {
    anchors = anchorsFile === undefined ? new Map() : readAnchors(readFileSync(anchorsFile, 'utf8'));
  } catch (error) {
    process.stderr.write(`bascule: ${anchorsFile}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const logger = createLogger({ nodeEnv: config.nodeEnv, logLevel: 'warn' });
  const dataSource = await openDatabase(config, logger, entities);
  try {
    const trail = new AuditTrailService(dataSource, new Transactor(dataSource), systemClock, logger);
    const checks = await trail.verify(
      organizationId,
      mode === 'verify' ? (checked) => process.stdout.write(`verified ${checked} events\r`) : undefined,
      anchors,
    );
    if (mode === 'heads') {
      for (const check of checks)
        if (check.head !== null) process.stdout.write(`${check.organizationId} ${check.head.seq} ${check.head.hash}\n`);
      return checks.every((check) => check.problem === null) ? 0 : 1;
    }
    process.stdout.write('\n');
    for (const check of checks)
      process.stdout.write(
        `organization ${check.organizationId}: ${check.events} events, ${check.problem === null ? `chain verifies (head ${check.head?.seq ?? 0})` : `BROKEN: ${check.problem}`}\n`,
      );
    if (checks.length === 0) process.stdout.write('no audit events\n');
    return checks.every((check) => check.problem === null) ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

/** Heads as `audit heads` prints them: "<organizationId> <seq> <hash>" a line. */
function readAnchors(text: string): Map<string, ChainHead> {
  const anchors = new Map<string, ChainHead>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const [organizationId, seq, hash] = /^(\S+) (\d+) ([0-9a-f]{64})$/.exec(line.trim())?.slice(1) ?? [];
    if (organizationId === undefined || seq === undefined || hash === undefined)
      throw new Error(`line ${index + 1} is not "<organizationId> <seq> <hash>"`);
    anchors.set(organizationId, { seq: Number(seq), hash });
  }
  return anchors;
}

async function orgCommand(args: readonly string[]): Promise<number> {
  const [mode, ...rest] = args;
  const exporting = mode === 'export' && rest.length === 2;
  if (!exporting && !(mode === 'import' && rest.length === 1)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const logger = createLogger({ nodeEnv: config.nodeEnv, logLevel: 'warn' });
  const dataSource = await openDatabase(config, logger, entities);
  const progress = ({ section, done, total }: ArchiveProgress) =>
    process.stderr.write(`${exporting ? 'exported' : 'imported'} ${section}: ${done}/${total}\n`);
  try {
    const transactor = new Transactor(dataSource);
    const store = new SqlDocumentStore(dataSource, transactor, systemClock);
    const archive = new OrganizationArchive(dataSource, transactor, store);
    if (exporting) {
      const [organizationId, file] = rest as [string, string];
      const header = await archive.export(organizationId, file, progress);
      process.stdout.write(`organization ${organizationId} written to ${file}: ${describeCounts(header.counts)}\n`);
      return 0;
    }
    const [file] = rest as [string];
    const header = await archive.import(file, progress);
    const catalog = new CatalogService(dataSource, systemClock);
    await catalog.ensureBuiltins();
    const repository = new ProjectionRepository(dataSource, transactor);
    const rebuilder = new ProjectionRebuilder(store, new PlanProjector(repository, catalog, systemClock), repository);
    const plans = (await repository.allPlans()).filter((plan) => plan.organizationId === header.organizationId);
    const { failed } = await rebuilder.rebuild(plans, ({ done, total }) => {
      process.stderr.write(`projected plans: ${done}/${total}\n`);
    });
    const [check] = await new AuditTrailService(dataSource, transactor, systemClock, logger).verify(
      header.organizationId,
    );
    const chain =
      check === undefined
        ? 'no audit events'
        : check.problem === null
          ? `audit chain verifies (${check.events} events)`
          : `audit chain BROKEN: ${check.problem}`;
    process.stdout.write(
      `organization ${header.organizationId} imported: ${describeCounts(header.counts)}; ${chain}` +
        `${failed.length > 0 ? `; ${failed.length} plans could not be projected` : ''}\n`,
    );
    return failed.length === 0 && (check === undefined || check.problem === null) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    process.stderr.write(`bascule: ${error.message}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

const describeCounts = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');

async function schemaCommand(mode: string | undefined): Promise<number> {
  if (mode !== '--write' && mode !== '--check') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: 'sqlite::memory:',
    REDIS_URL: '',
    BASCULE_ROLES: 'api',
  };
  const config = resolveSecrets({
    ...loadConfig(env),
    secrets: { BASCULE_JWT_SECRET: 'x'.repeat(32), BASCULE_TOKEN_HASH_KEY: 'x'.repeat(32) },
  });
  const app = await createApp(config, createLogger({ nodeEnv: 'test', logLevel: 'warn' }));
  await app.init();
  const schema = printAppSchema(app);
  await app.close();
  if (mode === '--write') {
    writeFileSync(SCHEMA_FILE, schema);
    process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    return 0;
  }
  if (readSchemaFile() === schema) {
    process.stdout.write('GraphQL schema file is up to date\n');
    return 0;
  }
  process.stderr.write(`${SCHEMA_FILE} differs from the code: run npm run schema:write and commit it\n`);
  return 1;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return migrateCommand();
    case 'schema':
      return schemaCommand(rest[0]);
    case 'compact':
      return compactCommand();
    case 'project':
      return projectCommand();
    case 'audit':
      return auditCommand(rest);
    case 'org':
      return orgCommand(rest);
    default:
      process.stderr.write(`${command === undefined ? '' : `unknown command: ${command}\n`}${USAGE}\n`);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof ConfigError
        ? `configuration error: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`bascule: ${message}\n`);
    process.exit(1);
  },
);
