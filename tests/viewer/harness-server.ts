// Builds the viewer harness page (src-renderer/viewer-harness) with vite into
// out/viewer-harness and serves that folder on 127.0.0.1 for the browser tests.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const harnessSrc = join(repoRoot, 'src-renderer', 'viewer-harness');
export const harnessOut = join(repoRoot, 'out', 'viewer-harness');

export async function buildHarness(): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: harnessSrc,
    base: './',
    publicDir: false,
    logLevel: 'warn',
    esbuild: { jsx: 'automatic' },
    build: { outDir: harnessOut, emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false, minify: false },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveFolder(dir: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
