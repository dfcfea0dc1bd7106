// electron-vite: the main process (plus the job worker next to it), the
// preload and the renderer, into out/main, out/preload and out/renderer.
import { fileURLToPath } from 'node:url';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  main: {
    // better-sqlite3 (native), utif, zod: loaded from node_modules at run time.
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: fromRoot('./out/main'),
      rollupOptions: {
        // Every worker is its own entry: spawnWorker() finds it as ./<name>.js next to the calling module.
        input: {
          index: fromRoot('./src-main/electron/main.ts'),
          'job-worker': fromRoot('./src-main/jobs/job-worker.ts'),
          'slice-encoder-worker': fromRoot('./src-main/project/slice-encoder-worker.ts'),
          'hash-worker': fromRoot('./src-main/import/hash-worker.ts'),
          'segment-preview-worker': fromRoot('./src-main/segment/segment-preview-worker.ts'),
        },
        // Shared chunks next to the entries (not in chunks/), so that import.meta.url
        // of any module resolves ./<worker>.js in out/main.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    // Sandboxed preloads cannot require packages or load ES modules: one CommonJS file with its dependencies inside.
    build: {
      outDir: fromRoot('./out/preload'),
      rollupOptions: {
        input: { index: fromRoot('./src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
