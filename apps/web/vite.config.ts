import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const serverUrl = process.env.BASCULE_DEV_SERVER ?? 'http://localhost:3000';

/**
 * Opened at a plan's address, the page needs the editor chunk at once: a few bytes of inline script
 * ask for it (and the chunks it imports) while the entry script is still being parsed, instead of
 * after it has run. Other pages do not load it.
 */
function preloadEditorOnPlanPages(): Plugin {
  return {
    name: 'bascule-preload-editor',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunks = Object.values(context.bundle ?? {}).filter((output) => output.type === 'chunk');
        const editor = chunks.find((chunk) => chunk.isDynamicEntry && chunk.name === 'PlanEditor');
        if (editor === undefined) return html;
        const entry = chunks.find((chunk) => chunk.isEntry);
        const files = [editor.fileName, ...editor.imports.filter((file) => file !== entry?.fileName)];
        const script = `if(location.pathname.startsWith('/plans/'))for(const f of ${JSON.stringify(files)}){const l=document.createElement('link');l.rel='modulepreload';l.href='/'+f;document.head.appendChild(l)}`;
        return { html, tags: [{ tag: 'script', children: script, injectTo: 'head-prepend' }] };
      },
    },
  };
}

const config: UserConfig = {
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), preloadEditorOnPlanPages()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, manifest: true },
  // `npm run dev:web` serves the client with hot reload and forwards the server's paths to it.
  server: {
    proxy: {
      '/graphql': serverUrl,
      '/health': serverUrl,
      '/auth': serverUrl,
      '/collab': { target: serverUrl, ws: true },
    },
  },
};

export default defineConfig(({ command }) => {
  // A build is what the server serves: React's production runtime, even when the process runs with
  // NODE_ENV=development (as `npm start` does for the demo), which would otherwise bring React's
  // development JSX runtime and its checks into the bundle, several times slower to render.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});
