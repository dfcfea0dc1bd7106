// What the slice checksums cost: the CRC-32 of a stored slice blob (written with
// every slice, checked on every read) beside the codec's own encode and decode of
// the same slice, and a whole readSlice from a real project file with the check
// and without it (a slice written before checksums). FIB-SEM-like 16-bit slices:
// structure, gradients and noise (the low byte is stored raw).
// Usage: node --import tsx bench/slice-checksum-bench.ts [--reps N]   (writes a small project under .bench/)
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createProject } from '../src-main/project/open-project';
import { sliceChecksum } from '../src-main/project/slice-checksum';
import { decodeSlice, encodeSlice } from '../src-main/project/slice-codec';
import { finishVolume, getVolume, insertVolume, readSlice, sliceWriter } from '../src-main/project/volume-store';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '15' } } });
const REPS = Number(values.reps);

function fibSemSlice(nx: number, ny: number, seed: number): Uint16Array {
  let s = seed * 2654435761;
  const out = new Uint16Array(nx * ny);
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const structure = Math.sin(x / 23 + seed / 9) * Math.cos(y / 17 - seed / 13) > 0.1 ? 42000 : 9000 + 60 * ((x + y + seed) % 97);
      out[y * nx + x] = structure + (s >>> 21);
    }
  return out;
}

/** The fastest of REPS runs: other load on the machine only ever adds time. */
async function bestMs(f: () => unknown): Promise<number> {
  await f(); // warm up
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const dir = resolve('.bench/slice-checksum');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
console.log(`fastest of ${REPS} runs, ms per slice (node ${process.version})`);
console.log('slice            blob MB | crc32   GB/s | encode  decode | readSlice: checked  unchecked  (+%)');
try {
  for (const [nx, ny] of [
    [1024, 1024],
    [3072, 2048],
  ]) {
    const slice = fibSemSlice(nx, ny, 3);
    const blob = await encodeSlice(slice);
    const crc = await bestMs(() => sliceChecksum(blob));
    const encode = await bestMs(() => encodeSlice(slice));
    const decode = await bestMs(() => decodeSlice(blob, 'uint16', nx * ny));

    const p = createProject(join(dir, `${nx}x${ny}.fibrecon`), { appVersion: 'bench' });
    const v = { role: 'channel' as const, kind: 'grey' as const, dtype: 'uint16' as const, shape: [1, ny, nx] as const, voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'b', y: 'b', z: 'b' } };
    for (const name of ['checked', 'unchecked']) {
      const id = insertVolume(p.db, { ...v, name });
      sliceWriter(p.db, id)(0, 0, blob);
      finishVolume(p.db, id);
    }
    p.db.prepare("UPDATE slice SET crc32 = NULL WHERE volume_id = (SELECT id FROM volume WHERE name = 'unchecked')").run();
    const checked = getVolume(p.db, 'checked');
    const unchecked = getVolume(p.db, 'unchecked');
    const readChecked = await bestMs(() => readSlice(p.db, checked, 0));
    const readUnchecked = await bestMs(() => readSlice(p.db, unchecked, 0));
    p.close();

    const label = `${nx} x ${ny} uint16`.padEnd(16);
    console.log(
      `${label} ${(blob.length / 1e6).toFixed(2).padStart(7)} | ${crc.toFixed(2).padStart(5)} ${(blob.length / 1e6 / crc).toFixed(1).padStart(6)} | ${encode.toFixed(1).padStart(6)} ${decode.toFixed(1).padStart(7)} |` +
        ` ${readChecked.toFixed(1).padStart(16)} ${readUnchecked.toFixed(1).padStart(10)}  (${(((readChecked - readUnchecked) / readUnchecked) * 100).toFixed(1)} %)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
