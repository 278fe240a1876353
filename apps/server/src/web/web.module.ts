import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DynamicModule, Inject, Module, type OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** The built browser client (apps/web/dist), at the same depth from src/ and dist/. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the server answers itself; everything else is the client's. */
const SERVER_PATHS = /^\/(graphql|health|collab|auth|metrics)(\/|$)/;
const WEB_ROOT = Symbol('WEB_ROOT');

/**
 * Serves the built client from `root`: its files, and its page for every other GET (client-side
 * routes). Only what is inside `root` and not hidden is served, wherever `root` itself lies (an
 * install under `~/.local/share` has a dot segment in every absolute path): the checks look at the
 * request's path, never at the folder's. A path with a dot segment (`/.env`, `/.git/config`, `..`
 * written any way) is 404, and so is a missing file with an extension (a stale asset is not a page).
 */
export function webClient(root: string): RequestHandler {
  const files = express.static(root, { index: false, maxAge: '1h', dotfiles: 'deny', redirect: false });
  const notFound = (res: Response) => res.status(404).type('text/plain').send('Not found');
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path)) return next();
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return notFound(res);
    }
    if (path.includes('\\') || path.includes('\0') || path.split('/').some((segment) => segment.startsWith('.')))
      return notFound(res);
    files(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      if (/\.[A-Za-z0-9]+$/.test(path)) return notFound(res);
      res.sendFile('index.html', { root, dotfiles: 'deny', headers: { 'cache-control': 'no-cache' } }, (failed) => {
        if (failed !== undefined && !res.headersSent) notFound(res);
      });
    });
  };
}

@Module({})
export class WebModule implements OnModuleInit {
  /** Serves the client when it has been built (`npm run build:web`); the API works without it. */
  static forRoot(rootPath: string = WEB_DIST): DynamicModule {
    if (!existsSync(rootPath)) return { module: WebModule };
    return { module: WebModule, providers: [{ provide: WEB_ROOT, useValue: rootPath }] };
  }

  constructor(
    private readonly host: HttpAdapterHost,
    @Optional() @Inject(WEB_ROOT) private readonly root: string | null,
  ) {}

  onModuleInit(): void {
    if (this.root === null || this.root === undefined) return;
    this.host.httpAdapter.getInstance<express.Express>().use(webClient(this.root));
  }
}
