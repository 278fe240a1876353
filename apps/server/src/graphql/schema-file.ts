import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';

/** The committed schema: the public GraphQL contract, reviewed in diffs, checked for drift by the tests. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

const HEADER = '# Generated from the code by `npm run schema:write`. Do not edit: CI fails when it drifts.\n\n';

export function printAppSchema(app: INestApplication): string {
  return `${HEADER}${printSchema(app.get(GraphQLSchemaHost).schema)}\n`;
}

export function readSchemaFile(): string | undefined {
  try {
    return readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    return undefined;
  }
}
