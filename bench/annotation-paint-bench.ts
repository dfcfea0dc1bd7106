// How long painting takes on a 1024 x 1024 slice, through the store as the app
// calls it (decode the slice's plane, paint, compare, encode, record the edit
// with the earlier blob, bump the version): brush strokes on a slice that fills
// up, an annotation fill and a grey fill, reading a slice back, and undo.
//   node --import tsx bench/annotation-paint-bench.ts [--side 1024] [--strokes 200]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyStroke, getSliceAnnotation, undoLast } from '../src-main/project/annotation-store';
import { createProject } from '../src-main/project/open-project';
import { encodeSlice } from '../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../src-main/project/volume-store';
import { tempDir } from '../tests/helpers/python';

const { values } = parseArgs({ options: { side: { type: 'string', default: '1024' }, strokes: { type: 'string', default: '200' } } });
const side = Number(values.side);
const strokes = Number(values.strokes);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (n = ${s.length})`;
}

/** CPU time (user + system) of this process spent on fn, ms: on a shared machine wall time also counts other processes. */
const cpu: number[] = [];
async function timed(fn: () => unknown): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return performance.now() - t0;
}

function line(label: string, wall: number[]): void {
  const own = cpu.splice(0);
  console.log(`${label.padEnd(36)} wall ${stats(wall)}; CPU median ${stats(own).split(',')[0].replace('median ', '')}`);
}

const { dir, cleanup } = tempDir('fibrecon-bench-annotation-');
try {
  const p = createProject(join(dir, 'bench.fibrecon'), { appVersion: 'bench' });
  const id = insertVolume(p.db, { name: 'grey', role: 'channel', kind: 'grey', dtype: 'uint16', shape: [4, side, side], voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 'b', y: 'b', z: 'b' } });
  const write = sliceWriter(p.db, id);
  let seed = 1;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let z = 0; z < 4; z++) write(z, 10 * z, await encodeSlice(Uint16Array.from({ length: side * side }, (_, i) => 1000 + 800 * Math.floor((i % side) / 64) + Math.floor(rand() * 50))));
  finishVolume(p.db, id);

  cpu.splice(0);
  const brush: number[] = [];
  for (let k = 0; k < strokes; k++) {
    const x0 = rand() * side;
    const y0 = rand() * side;
    const points = Array.from({ length: 20 }, (_, j) => [x0 + 3 * j, y0 + 2 * j] as [number, number]);
    brush.push(await timed(() => applyStroke(p.db, 'grey', 1, { kind: 'brush', points, radiusPx: 8, label: 1 + (k % 2) })));
  }
  const plane = getSliceAnnotation(p.db, 'grey', 1)!;
  const annotated = plane.reduce((n, v) => n + (v ? 1 : 0), 0);
  console.log(`slice ${side} x ${side} px, brush radius 8 px, 20 points per stroke; the slice ends ${((100 * annotated) / plane.length).toFixed(1)} % annotated`);
  line('brush stroke (applyStroke):', brush);
  const read: number[] = [];
  for (let k = 0; k < 20; k++) read.push(await timed(() => getSliceAnnotation(p.db, 'grey', 1)));
  line('read a slice (getSliceAnnotation):', read);
  const fill = [await timed(() => applyStroke(p.db, 'grey', 2, { kind: 'fill', x: 5, y: 5, label: 1 }))];
  fill.push(await timed(() => applyStroke(p.db, 'grey', 2, { kind: 'fill', x: 5, y: 5, label: 2 })));
  line('fill of the whole empty slice:', fill);
  const greyFill = [await timed(() => applyStroke(p.db, 'grey', 3, { kind: 'fill', x: 5, y: 5, label: 2, by: 'grey', toleranceGrey: 60 }))];
  line('grey fill of a 64 px band:', greyFill);
  const undo: number[] = [];
  for (let k = 0; k < 20; k++) undo.push(await timed(() => undoLast(p.db, 'grey')));
  line('undo (undoLast):', undo);
  p.close();
} finally {
  cleanup();
}
