// Builds the renderer (src-renderer) into out/renderer. base './' makes the
// built page work from file:// in Electron and from the HTTP bridge alike.
// electron.vite.config.ts reuses these settings for its renderer build.
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export const rendererConfig: UserConfig = {
  root: fromRoot('./src-renderer'),
  base: './',
  publicDir: false,
  // React's automatic JSX runtime without @vitejs/plugin-react.
  esbuild: { jsx: 'automatic' },
  server: { fs: { allow: [fromRoot('./')] } },
  build: {
    outDir: fromRoot('./out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the CSP forbids.
    modulePreload: { polyfill: false },
    // Keep every asset a file: the CSP allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    sourcemap: true,
    reportCompressedSize: false,
    rollupOptions: { input: fromRoot('./src-renderer/index.html') },
  },
};

export default defineConfig(rendererConfig);
