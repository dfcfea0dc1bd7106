// The annotation methods of the backend (what the Electron IPC handlers and the
// HTTP bridge serve to the painter): strokes stored as the shared paint functions
// draw them (so the renderer's own preview matches what is stored), counts, undo,
// clear, the summary, and requests refused where they enter.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { createProject } from '../../src-main/project/open-project';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { floodFill, paintBrush } from '../../src-shared/annotation-paint';
import type { AnnotationPaintResult, AnnotationSliceImage, AnnotationSummary, AnnotationUndoResult } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';
import { value } from './backend-helpers';

const [NZ, NY, NX] = [3, 48, 64];
let backend: ApiBackend;
let root: string;
let cleanup: () => void;

const planeOf = (img: AnnotationSliceImage): Uint8Array => (img.labelsBase64 === null ? new Uint8Array(img.width * img.height) : new Uint8Array(Buffer.from(img.labelsBase64, 'base64')));

/** Brute force: pixels whose centre is within r of the polyline, by the distance to each segment sampled finely (independent of the shared function's closed form). */
function bruteBrush(points: [number, number][], r: number): Set<number> {
  const out = new Set<number>();
  for (let y = 0; y < NY; y++) {
    for (let x = 0; x < NX; x++) {
      let best = Infinity;
      for (let s = 0; s + 1 < points.length; s++) {
        const [ax, ay] = points[s];
        const [bx, by] = points[s + 1];
        // The distance to a segment is convex along it: ternary search for its minimum.
        let lo = 0;
        let hi = 1;
        const d = (t: number) => Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y);
        for (let k = 0; k < 100; k++) {
          const m1 = lo + (hi - lo) / 3;
          const m2 = hi - (hi - lo) / 3;
          if (d(m1) < d(m2)) hi = m2;
          else lo = m1;
        }
        best = Math.min(best, d((lo + hi) / 2), d(0), d(1));
      }
      if (best <= r + 1e-9) out.add(y * NX + x);
    }
  }
  return out;
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-backend-annotation-'));
  const path = join(root, 'p.fibrecon');
  const p = createProject(path, { appVersion: 'test' });
  for (const kind of ['grey', 'labels'] as const) {
    const id = insertVolume(p.db, { name: kind === 'grey' ? 'grey' : 'seg', role: 'channel', kind, dtype: 'uint16', shape: [NZ, NY, NX], voxelSizeNm: { x: 3, y: 3, z: 9 }, voxelSizeSource: { x: 't', y: 't', z: 't' } });
    const write = sliceWriter(p.db, id);
    for (let z = 0; z < NZ; z++) write(z, 9 * z, await encodeSlice(Uint16Array.from({ length: NY * NX }, (_, i) => (kind === 'grey' ? 1000 + 100 * Math.floor((i % NX) / 16) : i & 1))));
    finishVolume(p.db, id);
  }
  p.close();
  const { createApiBackend } = await import('../../src-main/app/api-backend');
  backend = createApiBackend({ appVersion: '0.0.0-test', bridge: 'http' });
  value(await backend.call('openProject', { path }));
});
afterAll(async () => {
  await backend?.dispose();
  cleanup();
});

describe('api backend: annotation', () => {
  it('paints a brush stroke as the shared paint function draws it (and as brute force finds it), reads it back, counts it', async () => {
    expect(value<AnnotationSummary>(await backend.call('annotationSummary', { volume: 'grey' }))).toMatchObject({ status: 'none', version: 0, shape: [NZ, NY, NX], classes: [{ value: 1 }, { value: 2 }] });
    const empty = value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 }));
    expect(empty).toMatchObject({ width: NX, height: NY, labelsBase64: null, counts: {}, version: 0 });
    const points: [number, number][] = [
      [4, 4],
      [30.5, 12],
      [50, 40],
    ];
    const r = value<AnnotationPaintResult>(await backend.call('paintAnnotation', { volume: 'grey', z: 1, stroke: { kind: 'brush', points, radiusPx: 2.5, label: 2 }, author: 'frank' }));
    const preview = new Uint8Array(NY * NX);
    const local = paintBrush(preview, { width: NX, height: NY }, points, 2.5, 2);
    const stored = planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })));
    expect(Buffer.from(stored)).toEqual(Buffer.from(preview));
    const brute = bruteBrush(points, 2.5);
    for (let i = 0; i < stored.length; i++) expect(stored[i], `pixel ${i % NX}, ${Math.floor(i / NX)}`).toBe(brute.has(i) ? 2 : 0);
    expect(brute.size).toBe(r.changedPixels);
    expect(r).toMatchObject({ volume: 'grey', z: 1, changedPixels: local.changed, box: local.box, counts: { '2': brute.size } });
    expect(r.version).toBeGreaterThan(0);
  });

  it('fills, undoes to the exact earlier plane, clears (undoable) and reports it all in the summary', async () => {
    const before = planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })));
    // Grey fill: the grey volume has vertical bands 16 px wide; tolerance 0 fills the band of the seed.
    const f = value<AnnotationPaintResult>(await backend.call('paintAnnotation', { volume: 'grey', z: 1, stroke: { kind: 'fill', x: 20, y: 30, label: 1, by: 'grey' } }));
    const after = planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })));
    for (let i = 0; i < after.length; i++) expect(after[i]).toBe(i % NX >= 16 && i % NX < 32 ? 1 : before[i]);
    expect(f.box).toEqual({ x: 16, y: 0, width: 16, height: NY });
    // Annotation fill of the pore band back to nothing, as the shared function does it.
    const expected = Uint8Array.from(after);
    floodFill(expected, { width: NX, height: NY }, 20, 30, 0);
    await backend.call('paintAnnotation', { volume: 'grey', z: 1, stroke: { kind: 'fill', x: 20, y: 30, label: 0 } });
    expect(planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })))).toEqual(expected);
    const u = value<AnnotationUndoResult>(await backend.call('undoAnnotation', { volume: 'grey', author: 'gina' }));
    expect(u.undone).toMatchObject({ tool: 'fill', slices: [1], detail: { label: 0 } });
    expect(planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })))).toEqual(after);
    value(await backend.call('paintAnnotation', { volume: 'grey', z: 2, stroke: { kind: 'rect', x: 1, y: 2, width: 3, height: 4, label: 1 } }));
    const s = value<AnnotationSummary>(await backend.call('annotationSummary', { volume: 'grey' }));
    const n2 = after.filter((v) => v === 2).length;
    const n1 = after.filter((v) => v === 1).length;
    expect(s).toMatchObject({ status: 'current', totals: { '1': n1 + 12, '2': n2 }, slices: [{ z: 1 }, { z: 2, counts: { '1': 12 } }], undoable: 3 });
    expect(s.lastEdit).toMatchObject({ tool: 'rect', slices: [2] });
    const c = value<{ slices: number[]; discarded: boolean; version: number }>(await backend.call('clearAnnotations', { volume: 'grey' }));
    expect(c).toMatchObject({ slices: [1, 2], discarded: false });
    expect(value<AnnotationSummary>(await backend.call('annotationSummary', { volume: 'grey' })).slices).toEqual([]);
    value(await backend.call('undoAnnotation', { volume: 'grey' }));
    expect(planeOf(value<AnnotationSliceImage>(await backend.call('annotationSlice', { volume: 'grey', z: 1 })))).toEqual(after);
  });

  it('refuses malformed requests where they enter, and strokes the store cannot take, with messages that say what to do', async () => {
    const bad = [
      { volume: 'grey', z: 0, stroke: { kind: 'spray', points: [[1, 1]], radiusPx: 2, label: 1 } },
      { volume: 'grey', z: 0, stroke: { kind: 'brush', points: [[1, 1]], radiusPx: -1, label: 1 } },
      { volume: 'grey', z: 0, stroke: { kind: 'brush', points: [], radiusPx: 1, label: 1 } },
      { volume: 'grey', z: 0, stroke: { kind: 'brush', points: [[1, 1]], radiusPx: 1, label: 0 } },
      { volume: 'grey', z: 0, stroke: { kind: 'eraser', points: [[1, 1]], radiusPx: 1, label: 1 } },
      { volume: 'grey', z: -1, stroke: { kind: 'rect', x: 0, y: 0, width: 1, height: 1, label: 1 } },
    ];
    for (const req of bad) {
      const r = await backend.call('paintAnnotation', req);
      expect(r.ok, JSON.stringify(req)).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ tag: 'invalid_input', message: expect.stringMatching(/^Invalid paintAnnotation request/) });
    }
    const version = value<AnnotationSummary>(await backend.call('annotationSummary', { volume: 'grey' })).version;
    const cases: [unknown, RegExp][] = [
      [{ volume: 'grey', z: 0, stroke: { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 3 } }, /Label 3 is not an annotation class \(0 = not annotated, 1 = pore, 2 = solid\)/],
      [{ volume: 'grey', z: NZ, stroke: { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 1 } }, /Slice 3 does not exist in "grey": it has slices 0 to 2/],
      [{ volume: 'seg', z: 0, stroke: { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 1 } }, /"seg" is a label volume .* \(grey volumes here: "grey"\)/],
      [{ volume: 'grey', z: 0, stroke: { kind: 'pixels', indices: [NX * NY], label: 1 } }, /Pixel index 3072 is outside the 64 x 48 px slice/],
    ];
    for (const [req, message] of cases) {
      const r = await backend.call('paintAnnotation', req);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(message);
    }
    expect(value<AnnotationSummary>(await backend.call('annotationSummary', { volume: 'grey' })).version).toBe(version);
    value(await backend.call('closeProject', undefined));
    const none = await backend.call('annotationSummary', { volume: 'grey' });
    expect(none.ok === false && none.error.tag).toBe('no_project');
  });
});
