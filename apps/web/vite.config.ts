import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const serverUrl = process.env.BASCULE_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `npm run dev:web` serves the client with hot reload and forwards the server's paths to it.
  server: {
    proxy: {
      '/graphql': serverUrl,
      '/health': serverUrl,
      '/auth': serverUrl,
      '/collab': { target: serverUrl, ws: true },
    },
  },
});
