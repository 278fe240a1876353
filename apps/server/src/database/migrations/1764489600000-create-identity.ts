import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  type TableColumnOptions,
  type TableForeignKeyOptions,
} from 'typeorm';
import { columnTypes } from '../column-types.js';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const cascade = (column: string, table: string): TableForeignKeyOptions => ({
  columnNames: [column],
  referencedTableName: table,
  referencedColumnNames: ['id'],
  onDelete: 'CASCADE',
});

/** Users, organizations and everything that says who may do what; auth events, append-only. */
export class CreateIdentity1764489600000 implements MigrationInterface {
  name = 'CreateIdentity1764489600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const { timestamp } = columnTypes(queryRunner);
    const at = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: timestamp,
      isNullable: nullable,
    });

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          text('email', 254),
          text('display_name', 120),
          text('password_hash', 255, true),
          { name: 'email_verified', type: 'boolean', default: false },
          at('created_at'),
        ],
        uniques: [{ name: 'users_email_unique', columnNames: ['email'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'organizations', columns: [id(), text('name', 120), at('created_at')] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'memberships',
        columns: [
          { ...ref('organization_id'), isPrimary: true },
          { ...ref('user_id'), isPrimary: true },
          text('role', 16),
          at('created_at'),
        ],
        foreignKeys: [cascade('organization_id', 'organizations'), cascade('user_id', 'users')],
        indices: [{ name: 'memberships_user', columnNames: ['user_id'] }],
        checks: [{ name: 'memberships_role', expression: "role IN ('OWNER', 'ADMIN', 'MEMBER')" }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id(),
          ref('organization_id'),
          text('email', 254),
          text('role', 16),
          text('token_hash', 64),
          ref('invited_by', true),
          at('created_at'),
          at('expires_at'),
          at('accepted_at', true),
          ref('accepted_by', true),
          at('revoked_at', true),
        ],
        foreignKeys: [
          cascade('organization_id', 'organizations'),
          {
            columnNames: ['invited_by'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
          {
            columnNames: ['accepted_by'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
        uniques: [{ name: 'invitations_token_unique', columnNames: ['token_hash'] }],
        indices: [{ name: 'invitations_organization', columnNames: ['organization_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id(),
          ref('user_id'),
          ref('organization_id', true),
          at('created_at'),
          at('last_used_at'),
          at('expires_at'),
          at('revoked_at', true),
          text('revoke_reason', 32, true),
          text('user_agent', 255, true),
          text('ip', 64, true),
        ],
        foreignKeys: [
          cascade('user_id', 'users'),
          {
            columnNames: ['organization_id'],
            referencedTableName: 'organizations',
            referencedColumnNames: ['id'],
            onDelete: 'SET NULL',
          },
        ],
        indices: [{ name: 'sessions_user', columnNames: ['user_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          { ...text('token_hash', 64), isPrimary: true },
          ref('session_id'),
          at('created_at'),
          at('used_at', true),
        ],
        foreignKeys: [cascade('session_id', 'sessions')],
        indices: [{ name: 'refresh_tokens_session', columnNames: ['session_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id(),
          ref('organization_id'),
          ref('created_by'),
          text('name', 80),
          text('display_prefix', 16),
          text('token_hash', 64),
          text('scopes', 32),
          at('created_at'),
          at('expires_at', true),
          at('last_used_at', true),
          at('revoked_at', true),
        ],
        foreignKeys: [cascade('organization_id', 'organizations'), cascade('created_by', 'users')],
        uniques: [{ name: 'api_tokens_hash_unique', columnNames: ['token_hash'] }],
        indices: [{ name: 'api_tokens_organization', columnNames: ['organization_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'user_identities',
        columns: [
          { ...text('issuer', 255), isPrimary: true },
          { ...text('subject', 255), isPrimary: true },
          ref('user_id'),
          at('created_at'),
        ],
        foreignKeys: [cascade('user_id', 'users')],
        indices: [{ name: 'user_identities_user', columnNames: ['user_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oidc_logins',
        columns: [
          { ...text('state_hash', 64), isPrimary: true },
          text('code_verifier', 128),
          text('nonce', 128),
          at('created_at'),
          at('expires_at'),
          ref('user_id', true),
          text('exchange_hash', 64, true),
        ],
        foreignKeys: [cascade('user_id', 'users')],
        uniques: [{ name: 'oidc_logins_exchange_unique', columnNames: ['exchange_hash'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          at('occurred_at'),
          text('type', 40),
          ref('user_id', true),
          ref('organization_id', true),
          ref('actor_id', true),
          text('ip', 64, true),
          { name: 'details', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'auth_events_user', columnNames: ['user_id', 'occurred_at'] },
          { name: 'auth_events_organization', columnNames: ['organization_id', 'occurred_at'] },
        ],
      }),
    );
    await makeAppendOnly(queryRunner, 'auth_events');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'auth_events',
      'oidc_logins',
      'user_identities',
      'api_tokens',
      'refresh_tokens',
      'sessions',
      'invitations',
      'memberships',
      'organizations',
      'users',
    ]) {
      await queryRunner.dropTable(table);
    }
    await dropAppendOnly(queryRunner, 'auth_events');
  }
}
