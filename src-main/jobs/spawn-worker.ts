// Starts a worker thread from a module next to the caller: the built .js file
// in a build (electron-vite emits each worker as its own entry), or the .ts
// source when the caller itself runs from source (CLI, tests). A worker from
// source registers tsx's loader first (Node 20 ignores --import in a worker's execArgv).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const target = new URL(`./${name}.ts`, callerUrl).href;
  const tsxApi = pathToFileURL(tsxEsmApiPath(callerUrl)).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The ESM entry of tsx/esm/api, as tsx's package.json exports declare it (require.resolve would give the CommonJS one). */
function tsxEsmApiPath(callerUrl: string): string {
  const pkgPath = createRequire(callerUrl).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return join(dirname(pkgPath), pkg.exports['./esm/api'].import.default);
}
