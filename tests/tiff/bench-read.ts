// Read-speed benchmark of the TIFF reader against tifffile (not a test).
//   node --import tsx tests/tiff/bench-read.ts [workdir] [pages] [width] [height]
// Writes (once) a multipage uint16 stack, a folder of single-page slices and a
// Deflate stack with tifffile (one series each), then times reading every page (warm page cache,
// best of 5, alternating) with fibrecon and with tifffile, and prints fibrecon's peak RSS.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from '../helpers/python';
import { listStackFiles } from '../../src-main/tiff/stack-files';
import { openTiff } from '../../src-main/tiff/open-tiff';

const [dir = '/tmp/fibrecon-tiff-bench', pagesArg = '120', wArg = '2048', hArg = '1536'] = process.argv.slice(2);
const [pages, width, height] = [Number(pagesArg), Number(wArg), Number(hArg)];
mkdirSync(dir, { recursive: true });
const stack = join(dir, `stack_u16_${pages}x${height}x${width}.tif`);
const bigtiff = join(dir, `stack_u16_bigtiff_be_${pages}x${height}x${width}.tif`);
const slices = join(dir, `slices_${pages}x${height}x${width}`);
const deflate = join(dir, `stack_u16_zlib_pred_${Math.min(pages, 30)}x${height}x${width}.tif`);

if (!existsSync(deflate)) {
  runPython(
    `
import os, sys, numpy as np, tifffile
stack, bigtiff, slices, deflate, n, w, h = sys.argv[1:8]
n, w, h = int(n), int(w), int(h)
rng = np.random.default_rng(1)
base = (np.add.outer(np.arange(h) * 7, np.arange(w) * 3) % 40000).astype(np.uint16)
def plane(i):
    return (base + rng.integers(0, 2000, size=(h, w), dtype=np.uint16) + i).astype(np.uint16)
data = np.stack([plane(i) for i in range(n)])
tifffile.imwrite(stack, data, photometric='minisblack')
tifffile.imwrite(bigtiff, data, photometric='minisblack', bigtiff=True, byteorder='>')
os.makedirs(slices, exist_ok=True)
for i in range(n):
    tifffile.imwrite(os.path.join(slices, 'slice_%04d.tif' % i), data[i])
tifffile.imwrite(deflate, data[:30], photometric='minisblack', compression='zlib', predictor=True)
`,
    [stack, bigtiff, slices, deflate, String(pages), String(width), String(height)],
  );
}

async function fibrecon(paths: string[]): Promise<{ s: number; bytes: number; sum: number }> {
  const t0 = performance.now();
  let bytes = 0;
  let sum = 0;
  let buf: Uint16Array | undefined;
  for (const p of paths) {
    const t = await openTiff(p);
    for (let i = 0; i < t.pages.length; i++) {
      buf ??= new Uint16Array(t.pages[i].width * t.pages[i].height);
      const plane = await t.readPage(i, { target: buf });
      bytes += plane.data.byteLength;
      sum += plane.data[12345];
    }
    await t.close();
  }
  return { s: (performance.now() - t0) / 1000, bytes, sum };
}

function tifffileTimes(paths: string[], reps: number): { perPage: number; imread: number; sum: number } {
  const out = runPython(
    `
import json, sys, time, tifffile
reps, paths = int(sys.argv[1]), sys.argv[2:]
best_pages = best_imread = 1e9
for _ in range(reps):
    t0 = time.perf_counter(); s = 0
    for p in paths:
        with tifffile.TiffFile(p) as t:
            for page in t.pages:
                a = page.asarray(); s += int(a.flat[12345])
    best_pages = min(best_pages, time.perf_counter() - t0)
    t0 = time.perf_counter()
    for p in paths:
        a = tifffile.imread(p, key=slice(None))  # every page, one array
    best_imread = min(best_imread, time.perf_counter() - t0)
print(json.dumps({'perPage': best_pages, 'imread': best_imread, 'sum': s}))
`,
    [String(reps), ...paths],
  );
  return JSON.parse(out) as { perPage: number; imread: number; sum: number };
}

const cases: [string, string[]][] = [
  ['multipage LE uncompressed', [stack]],
  ['multipage BigTIFF BE uncompressed', [bigtiff]],
  ['folder of single-page slices', await listStackFiles(slices)],
  ['multipage Deflate + predictor', [deflate]],
];
for (const [name, paths] of cases) {
  // alternate the two readers (the machine may be shared) and keep each one's best
  let best = { s: Infinity, bytes: 0, sum: 0 };
  let tf = { perPage: Infinity, imread: Infinity, sum: 0 };
  for (let r = 0; r < 5; r++) {
    const m = await fibrecon(paths);
    if (m.s < best.s) best = m;
    const t = tifffileTimes(paths, 1);
    tf = { perPage: Math.min(tf.perPage, t.perPage), imread: Math.min(tf.imread, t.imread), sum: t.sum };
  }
  const mb = best.bytes / 2 ** 20;
  console.log(
    `${name}: ${mb.toFixed(0)} MiB; fibrecon ${best.s.toFixed(3)} s (${(mb / best.s).toFixed(0)} MiB/s); ` +
      `tifffile per page ${tf.perPage.toFixed(3)} s (${(mb / tf.perPage).toFixed(0)} MiB/s), imread ${tf.imread.toFixed(3)} s (${(mb / tf.imread).toFixed(0)} MiB/s); ` +
      `checksums ${best.sum === tf.sum ? 'agree' : `DIFFER ${best.sum} vs ${tf.sum}`}`,
  );
}
console.log(`fibrecon peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (one ${((width * height * 2) / 2 ** 20).toFixed(0)} MiB plane buffer reused)`);
