import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';

/** The built browser client (apps/web/dist), at the same depth from src/ and dist/. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths the server answers itself; everything else falls back to the client's index.html. */
const SERVER_PATHS = /^\/(graphql|health|collab|auth|metrics)(\/|$|\?)/;

@Module({})
export class WebModule {
  /** Serves the client when it has been built (`npm run build:web`); the API works without it. */
  static forRoot(rootPath: string = WEB_DIST): DynamicModule {
    if (!existsSync(rootPath)) return { module: WebModule };
    return {
      module: WebModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: SERVER_PATHS,
          serveStaticOptions: { index: false, maxAge: '1h' },
        }),
      ],
    };
  }
}
