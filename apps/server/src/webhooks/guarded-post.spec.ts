import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPrivateAddress, postOnce, PrivateTargetError } from './guarded-post.js';

describe('webhook targets', () => {
  let receiver: Server;
  let port: number;
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        bodies.push(body);
        response.writeHead(request.url === '/moved' ? 302 : 202, { location: '/elsewhere' }).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => receiver.close(resolve)));

  it('knows private addresses, IPv4 written as IPv6 included', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.10',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.5',
    ])
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: true });
    for (const address of ['93.184.216.34', '2a01:4f8::1', '::ffff:93.184.216.34'])
      expect({ address, private: isPrivateAddress(address) }).toEqual({ address, private: false });
  });

  it('refuses private literals and names that resolve to private addresses, at connection time', async () => {
    const post = (url: string) => postOnce(new URL(url), {}, '{}', { timeoutMs: 2000, allowPrivate: false });
    await expect(post(`http://127.0.0.1:${port}/hook`)).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(post(`http://[::ffff:127.0.0.1]:${port}/hook`)).rejects.toBeInstanceOf(PrivateTargetError);
    await expect(post(`http://localhost:${port}/hook`)).rejects.toThrow(/private address/);
    expect(bodies).toEqual([]);
  });

  it('posts once when private targets are allowed, and does not follow a redirect', async () => {
    const options = { timeoutMs: 2000, allowPrivate: true };
    expect(await postOnce(new URL(`http://localhost:${port}/hook`), {}, '{"a":1}', options)).toBe(202);
    expect(await postOnce(new URL(`http://127.0.0.1:${port}/moved`), {}, '{"b":2}', options)).toBe(302);
    expect(bodies).toEqual(['{"a":1}', '{"b":2}']);
  });
});
