import { describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../../test/support/config.js';
import { ConfigError, loadConfig } from './config.js';
import { resolveSecrets, SECRETS_FILE } from './secrets.js';

describe('resolveSecrets', () => {
  it('generates the missing secrets into the data folder on first run, owner-readable only', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const config = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }));
    expect(config.secrets.BASCULE_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.secrets.BASCULE_TOKEN_HASH_KEY.length).toBeGreaterThanOrEqual(32);
    expect(config.secrets.BASCULE_JWT_SECRET).not.toBe(config.secrets.BASCULE_TOKEN_HASH_KEY);
    expect(statSync(join(dataDir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('reuses them on the next start', () => {
    const dataDir = tempDir();
    const first = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }));
    const before = readFileSync(join(dataDir, SECRETS_FILE), 'utf8');
    const second = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }));
    expect(second.secrets).toEqual(first.secrets);
    expect(readFileSync(join(dataDir, SECRETS_FILE), 'utf8')).toBe(before);
  });

  it('lets the environment win over the file and leaves the file alone', () => {
    const dataDir = tempDir();
    const generated = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }));
    const given = 'g'.repeat(48);
    const config = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir, BASCULE_JWT_SECRET: given }));
    expect(config.secrets).toEqual({
      BASCULE_JWT_SECRET: given,
      BASCULE_TOKEN_HASH_KEY: generated.secrets.BASCULE_TOKEN_HASH_KEY,
    });
  });

  it('touches no file when every secret is given', () => {
    const dataDir = join(tempDir(), 'absent');
    resolveSecrets(
      loadConfig({
        BASCULE_DATA_DIR: dataDir,
        BASCULE_JWT_SECRET: 'a'.repeat(32),
        BASCULE_TOKEN_HASH_KEY: 'b'.repeat(32),
      }),
    );
    expect(() => statSync(dataDir)).toThrow();
  });

  it('replaces a stored secret that is too short, keeping the good one', () => {
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, SECRETS_FILE),
      JSON.stringify({ BASCULE_JWT_SECRET: 'short', BASCULE_TOKEN_HASH_KEY: 't'.repeat(32) }),
    );
    const config = resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }));
    expect(config.secrets.BASCULE_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.secrets.BASCULE_TOKEN_HASH_KEY).toBe('t'.repeat(32));
  });

  it('stops with a clear error on an unreadable secrets file instead of replacing it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, SECRETS_FILE), '{not json');
    expect(() => resolveSecrets(loadConfig({ BASCULE_DATA_DIR: dataDir }))).toThrow(ConfigError);
    expect(readFileSync(join(dataDir, SECRETS_FILE), 'utf8')).toBe('{not json');
  });
});
