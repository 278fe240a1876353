import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { request, type Server } from 'node:http';
import { webClient } from './web.module.js';

/**
 * The client served from an install folder whose absolute path has dot segments, as under
 * ~/.local/share: everything inside the web root is served, nothing hidden and nothing outside it.
 */
describe('the web client from a dotted install path', () => {
  let install: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    install = await mkdtemp(join(tmpdir(), 'bascule-web-'));
    const root = join(install, '.local', 'share', 'bascule', 'apps', 'web', 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await mkdir(join(root, '.git'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log("bascule")');
    await writeFile(join(root, '.env'), 'BASCULE_JWT_SECRET=never-served');
    await writeFile(join(root, '.git', 'config'), '[core]');
    await writeFile(join(install, '.local', 'share', 'bascule', 'package.json'), '{"name":"outside"}');
    await writeFile(join(root, 'package.json'), '{"name":"inside, but only by its own path"}');
    const app = express();
    app.use(webClient(root));
    app.use((_req, res) => res.status(418).send('the server’s own routes'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(install, { recursive: true, force: true });
  });

  /** A GET with the path sent exactly as written (fetch would resolve `%2e%2e` before sending). */
  const get = (path: string) =>
    new Promise<{ status: number; body: string; type: string | undefined }>((resolve, reject) => {
      request(`${baseUrl}${path}`, { method: 'GET', path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body, type: response.headers['content-type'] }),
        );
      })
        .on('error', reject)
        .end();
    });

  it('serves the page at / and for client routes, and the assets', async () => {
    for (const path of ['/', '/plans/3f1c/risks', '/admin?tab=members'])
      expect(await get(path)).toMatchObject({ status: 200, body: '<!doctype html><div id="root"></div>' });
    expect(await get('/assets/index-abc.js')).toMatchObject({
      status: 200,
      type: expect.stringContaining('javascript'),
    });
  });

  it.each([
    '/.env',
    '/.git/config',
    '/%2e%2e/',
    '/%2E%2E/package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%5c..%5cpackage.json',
    '/assets/%E0%A4%A',
  ])('refuses %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('never-served');
    expect(response.body).not.toContain('outside');
    expect(response.body).not.toContain('id="root"');
  });

  it('answers 404 for a missing asset rather than the page, and leaves server paths to the server', async () => {
    expect((await get('/assets/index-old.js')).status).toBe(404);
    expect(await get('/graphql')).toMatchObject({ status: 418 });
    expect(await get('/health/ready')).toMatchObject({ status: 418 });
  });
});
