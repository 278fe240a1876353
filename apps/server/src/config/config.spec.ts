import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

const secrets = { BASCULE_JWT_SECRET: 'j'.repeat(32), BASCULE_TOKEN_HASH_KEY: 'k'.repeat(40) };

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded default when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 3000,
      dataDir: resolve('data'),
      database: { dialect: 'sqlite', path: resolve('data', 'bascule.sqlite') },
      redisUrl: undefined,
      roles: ['api', 'collab', 'worker'],
      logLevel: 'info',
      secrets: {},
    });
  });

  it('puts the default SQLite file under BASCULE_DATA_DIR', () => {
    expect(loadConfig({ BASCULE_DATA_DIR: '/var/lib/bascule' }).database).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/bascule/bascule.sqlite',
    });
  });

  it.each([
    ['postgres://bascule:pw@db.internal:5432/bascule', 'postgres'],
    ['postgresql://db/bascule', 'postgres'],
    ['sqlite:/srv/plans.sqlite', 'sqlite'],
    ['sqlite::memory:', 'sqlite'],
  ])('accepts DATABASE_URL=%s', (url, dialect) => {
    expect(loadConfig({ DATABASE_URL: url }).database.dialect).toBe(dialect);
  });

  it('resolves a relative sqlite path against the working directory', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:tmp/x.sqlite' }).database).toEqual({
      dialect: 'sqlite',
      path: resolve('tmp/x.sqlite'),
    });
  });

  it.each(['nonsense', 'mysql://db/x', 'sqlite:', 'postgres://', 'postgres://host-without-database'])(
    'refuses DATABASE_URL=%s with one line naming the variable',
    (url) => {
      const error = errorOf({ DATABASE_URL: url });
      expect(error.variable).toBe('DATABASE_URL');
      expect(error.message).toMatch(/^DATABASE_URL is not valid .*expected sqlite:<file path> or postgres:\/\//);
      expect(error.message).not.toContain('\n');
    },
  );

  it('never echoes a database password', () => {
    const error = errorOf({ DATABASE_URL: 'postgres://admin:hunter2@/' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('admin:***@');
  });

  it.each([
    ['PORT', 'eighty', 'a TCP port number'],
    ['PORT', '70000', 'a TCP port number'],
    ['PORT', '3000.5', 'a TCP port number'],
    ['NODE_ENV', 'staging', 'one of development, production, test'],
    ['REDIS_URL', 'localhost:6379', 'redis://'],
    ['LOG_LEVEL', 'loud', 'one of fatal'],
    ['BASCULE_ROLES', 'api,bogus', 'a comma-separated subset of api, collab, worker'],
    ['BASCULE_ROLES', ',', 'a comma-separated subset'],
    ['BASCULE_JWT_SECRET', 'short', 'at least 32 characters'],
  ])('refuses %s=%s and says what is accepted', (variable, value, accepted) => {
    const error = errorOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).toContain(accepted);
  });

  it('does not print a rejected secret', () => {
    expect(errorOf({ BASCULE_TOKEN_HASH_KEY: 'tooshortsecret' }).message).not.toContain('tooshortsecret');
  });

  it('reads roles in any order and with spaces, keeping a canonical order', () => {
    expect(loadConfig({ BASCULE_ROLES: ' worker , api' }).roles).toEqual(['api', 'worker']);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '', BASCULE_ROLES: '  ', DATABASE_URL: '' })).toMatchObject({
      port: 3000,
      redisUrl: undefined,
      roles: ['api', 'collab', 'worker'],
      database: { dialect: 'sqlite' },
    });
  });

  it('accepts a Redis URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2');
  });

  it("lowers Node's helper threads to niceness 19 unless told a niceness from 0 to 19", () => {
    expect(loadConfig({}).helperThreadNice).toBe(19);
    expect(loadConfig({ BASCULE_HELPER_THREAD_NICE: '0' }).helperThreadNice).toBe(0);
    expect(loadConfig({ BASCULE_HELPER_THREAD_NICE: '10' }).helperThreadNice).toBe(10);
    for (const wrong of ['20', '-5', 'low', '2.5']) {
      const error = errorOf({ BASCULE_HELPER_THREAD_NICE: wrong });
      expect(error.variable).toBe('BASCULE_HELPER_THREAD_NICE');
      expect(error.message).toContain('a niceness from 0 to 19');
    }
  });

  it('reads rate limits as count/duration and refuses nonsense', () => {
    expect(loadConfig({}).rateLimits.loginAccount).toEqual({ points: 10, durationSeconds: 900 });
    expect(loadConfig({ BASCULE_RATE_LIMIT_SIGNUP: '3/2h' }).rateLimits.signup).toEqual({
      points: 3,
      durationSeconds: 7200,
    });
    expect(errorOf({ BASCULE_RATE_LIMIT_REFRESH: 'lots' }).message).toContain('<count>/<duration>');
    expect(errorOf({ BASCULE_RATE_LIMIT_REFRESH: '0/1m' }).variable).toBe('BASCULE_RATE_LIMIT_REFRESH');
  });

  it('configures single sign-on only when issuer, client id and secret are all given', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(errorOf({ BASCULE_OIDC_ISSUER: 'https://idp.example.fr' }).variable).toBe('BASCULE_OIDC_CLIENT_ID');
    const orgId = '3f0c2f9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
    expect(
      loadConfig({
        BASCULE_OIDC_ISSUER: 'https://idp.example.fr',
        BASCULE_OIDC_CLIENT_ID: 'bascule',
        BASCULE_OIDC_CLIENT_SECRET: 's3cret',
        BASCULE_OIDC_AUTO_JOIN: `CHU-Exemple.fr=${orgId}, clinique.fr=${orgId}`,
      }).oidc,
    ).toEqual({
      issuer: 'https://idp.example.fr',
      clientId: 'bascule',
      clientSecret: 's3cret',
      displayName: 'Single sign-on',
      autoJoin: [
        { domain: 'chu-exemple.fr', organizationId: orgId },
        { domain: 'clinique.fr', organizationId: orgId },
      ],
    });
    expect(errorOf({ BASCULE_OIDC_AUTO_JOIN: 'chu.fr' }).variable).toBe('BASCULE_OIDC_AUTO_JOIN');
    const sso = { BASCULE_OIDC_CLIENT_ID: 'b', BASCULE_OIDC_CLIENT_SECRET: 's', NODE_ENV: 'production', ...secrets };
    expect(errorOf({ ...sso, BASCULE_OIDC_ISSUER: 'http://idp.example.fr' }).variable).toBe('BASCULE_OIDC_ISSUER');
    expect(errorOf({ ...sso, BASCULE_OIDC_ISSUER: 'https://idp.example.fr' }).variable).toBe('BASCULE_PUBLIC_URL');
  });

  it('derives the public URL from the port unless given', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ BASCULE_PUBLIC_URL: 'https://bascule.example.fr/' }).publicUrl).toBe(
      'https://bascule.example.fr',
    );
    expect(errorOf({ BASCULE_PUBLIC_URL: 'bascule.example.fr' }).variable).toBe('BASCULE_PUBLIC_URL');
  });

  it('refuses to start in production without its secrets', () => {
    expect(errorOf({ NODE_ENV: 'production' }).variable).toBe('BASCULE_JWT_SECRET');
    expect(errorOf({ NODE_ENV: 'production', BASCULE_JWT_SECRET: secrets.BASCULE_JWT_SECRET }).variable).toBe(
      'BASCULE_TOKEN_HASH_KEY',
    );
    expect(loadConfig({ NODE_ENV: 'production', ...secrets })).toMatchObject({ production: true, secrets });
  });

  it('turns e-mail on with an SMTP URL only', () => {
    expect(loadConfig({}).mail).toEqual({
      smtpUrl: null,
      from: 'Bascule <bascule@localhost>',
      enabled: false,
      retryBaseMs: 60_000,
    });
    const url = 'smtp://relay%40chu.fr:p%40ss@smtp.chu.fr:587?requireTLS=true';
    expect(loadConfig({ BASCULE_SMTP_URL: url, BASCULE_MAIL_FROM: ' Bascule CHU <bascule@chu.fr> ' }).mail).toEqual({
      smtpUrl: url,
      from: 'Bascule CHU <bascule@chu.fr>',
      enabled: true,
      retryBaseMs: 60_000,
    });
    expect(
      loadConfig({ BASCULE_SMTP_URL: 'smtps://smtp.chu.fr', BASCULE_MAIL_FROM: 'bascule@chu.fr' }).mail,
    ).toMatchObject({ enabled: true, from: 'bascule@chu.fr' });
  });

  it.each([
    ['BASCULE_SMTP_URL', 'smtp.chu.fr:25'],
    ['BASCULE_SMTP_URL', 'http://smtp.chu.fr'],
    ['BASCULE_SMTP_URL', 'smtp://smtp.chu.fr/path'],
    ['BASCULE_SMTP_URL', 'smtp://smtp.chu.fr?pool=true'],
    ['BASCULE_SMTP_URL', 'smtp://smtp.chu.fr?requireTLS=yes'],
    ['BASCULE_MAIL_FROM', 'Bascule'],
    ['BASCULE_MAIL_FROM', 'Dupont, Jean <jean@chu.fr>'],
    ['BASCULE_MAIL_FROM', 'a@b.fr, c@d.fr'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(errorOf({ [variable]: value }).variable).toBe(variable);
  });

  it('never echoes an SMTP password', () => {
    const error = errorOf({ BASCULE_SMTP_URL: 'smtp://relay:hunter2@smtp.chu.fr/x' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('smtp://relay:***@smtp.chu.fr/x');
  });

  it('wants the public address and the sender of e-mails in production', () => {
    const production = { NODE_ENV: 'production', ...secrets, BASCULE_SMTP_URL: 'smtps://smtp.chu.fr' };
    expect(errorOf(production).variable).toBe('BASCULE_PUBLIC_URL');
    const withUrl = { ...production, BASCULE_PUBLIC_URL: 'https://bascule.chu.fr' };
    expect(errorOf(withUrl).variable).toBe('BASCULE_MAIL_FROM');
    expect(loadConfig({ ...withUrl, BASCULE_MAIL_FROM: 'bascule@chu.fr' }).mail.enabled).toBe(true);
  });
});
