// Builds the browser client into apps/web/dist and swaps it in whole: a server (or a test) serving
// the previous build never sees a half-written folder (vite empties its output folder first, then
// writes for a second or two). Same sources, same file names: a page loaded before the swap still
// finds its chunks after it.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = `${root}dist`;
const next = `${root}dist.next-${process.pid}`;
const previous = `${root}dist.previous-${process.pid}`;

try {
  await build({ configFile: `${root}vite.config.ts`, build: { outDir: next, emptyOutDir: true } });
  if (existsSync(dist)) renameSync(dist, previous);
  renameSync(next, dist);
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
