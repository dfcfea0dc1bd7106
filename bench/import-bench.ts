// Import benchmark: a 1024 x 1024 x 300 16-bit stack as a multipage
// TIFF, a folder of one TIFF per slice and a BigTIFF. For each: MB/s and peak
// memory of reading it (our reader vs tifffile, page by page, same files, warm
// page cache) and of the whole import (read + compress + write into a project).
// Usage: npm run bench:import [-- --slices N]   (writes under .bench/, ~2 GB)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTiffStack } from '../src-main/tiff-write';

const { values } = parseArgs({ options: { slices: { type: 'string', default: '300' }, keep: { type: 'boolean' } } });
const NZ = Number(values.slices);
const NX = 1024;
const NY = 1024;
const dir = resolve('.bench');
const stackMB = (NX * NY * NZ * 2) / 1e6;

function slice(z: number): Uint16Array {
  // FIB-SEM-like: smooth structure with shine-through-like gradients plus noise.
  let s = (z + 1) * 2654435761;
  const out = new Uint16Array(NX * NY);
  for (let y = 0; y < NY; y++)
    for (let x = 0; x < NX; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const structure = Math.sin(x / 23 + z / 9) * Math.cos(y / 17 - z / 13) > 0.1 ? 42000 : 9000 + 60 * ((x + y + z) % 97);
      out[y * NX + x] = structure + (s >>> 21);
    }
  return out;
}

async function makeInputs() {
  mkdirSync(join(dir, 'folder'), { recursive: true });
  const info = { shape: [NZ, NY, NX] as const, dtype: 'uint16' as const, voxelSizeNm: { x: 5, y: 5, z: 10 } };
  await writeTiffStack(join(dir, 'multipage.tif'), info, (z) => slice(z));
  await writeTiffStack(join(dir, 'bigtiff.tif'), info, (z) => slice(z), { bigTiffThresholdBytes: 0 });
  for (let z = 0; z < NZ; z++) {
    await writeTiffStack(join(dir, 'folder', `slice_${z + 1}.tif`), { ...info, shape: [1, NY, NX] }, [slice(z)]);
  }
}

const PY_READ = `
import json, resource, sys, time, glob, os, tifffile
p = sys.argv[1]
files = [p] if p.endswith('.tif') else sorted(glob.glob(os.path.join(p, '*.tif')))
t0 = time.perf_counter(); n = 0
for f in files:
    with tifffile.TiffFile(f) as t:
        for page in t.pages:
            n += page.asarray().nbytes
print(json.dumps({'seconds': time.perf_counter() - t0, 'bytes': n, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

type Measure = { seconds: number; bytes: number; maxRssMB: number };
const node = (mode: string, input: string, extra: string[] = []): Measure =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/import-bench-child.ts', mode, input, ...extra], { encoding: 'utf8' }).trim().split('\n').pop() as string);
const python = (input: string): Measure => JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_READ, input], { encoding: 'utf8' }).trim());
const mbps = (m: Measure) => m.bytes / 1e6 / m.seconds;

console.log(`Making inputs: ${NX} x ${NY} x ${NZ} uint16 (${stackMB.toFixed(0)} MB) as multipage, folder and BigTIFF under ${dir}`);
await makeInputs();
// Warm the page cache and the tsx compile cache once.
node('read', join(dir, 'multipage.tif'));

const rows: string[] = [];
const head = 'input      | ours read MB/s | tifffile MB/s | ratio | ours read RSS MB | tifffile RSS MB | import MB/s | import RSS MB | stored/raw';
rows.push(head, head.replace(/[^|]/g, '-'));
for (const name of ['multipage.tif', 'folder', 'bigtiff.tif']) {
  const input = join(dir, name);
  const ours = node('read', input);
  const ref = python(input);
  const project = join(dir, `bench-${name}.fibrecon`);
  const imp = node('import', input, [project]);
  const stored = statSync(project).size;
  rows.push(
    [
      name.padEnd(10),
      mbps(ours).toFixed(0).padStart(14),
      mbps(ref).toFixed(0).padStart(13),
      (mbps(ours) / mbps(ref)).toFixed(2).padStart(5),
      ours.maxRssMB.toFixed(0).padStart(16),
      ref.maxRssMB.toFixed(0).padStart(15),
      mbps(imp).toFixed(0).padStart(11),
      imp.maxRssMB.toFixed(0).padStart(13),
      (stored / imp.bytes).toFixed(2).padStart(10),
    ].join(' | '),
  );
}
console.log(rows.join('\n'));
console.log(`Aims: read >= tifffile (ratio >= 1); import >= 150 MB/s; import RSS < 1.5 x ${stackMB.toFixed(0)} MB + 200 MB = ${(1.5 * stackMB + 200).toFixed(0)} MB, and not growing with the stack.`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
