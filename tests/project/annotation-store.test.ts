// Sparse annotation in a real project file: strokes (brush, eraser, fills,
// rectangles, pixel lists) against independent numpy/scipy rasterisations, the
// per-slice storage (only annotated slices, removed when emptied), undo that
// restores the exact earlier bytes, the version, the edit history, training
// samples against numpy's nonzero, and the binding to the exact volume
// (a replaced volume's annotations are stale, reported, exportable, clearable).
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classCounts, floodFill, paintBrush, paintPixels, paintRect } from '../../src-shared/annotation-paint';
import type { AnnotationStroke } from '../../src-shared/contract';
import {
  annotatedSlices,
  annotationSummary,
  annotationVersion,
  applyStroke,
  clearAnnotations,
  countsPerClass,
  findAnnotationTarget,
  gatherSamples,
  getSliceAnnotation,
  listAnnotationClasses,
  listEdits,
  setSliceAnnotation,
  undoLast,
} from '../../src-main/project/annotation-store';
import { createProject, integrityCheck, openProject, type Project } from '../../src-main/project/open-project';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from '../../src-main/project/schema';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { runPython, tempDir } from '../helpers/python';

const [NZ, NY, NX] = [5, 40, 52];
let root: string;
let cleanup: () => void;
let project: Project;
let grey: Uint8Array[];

/** Stores a volume the way imports do: a row, one compressed blob per slice. */
async function storeVolume(db: Database.Database, name: string, kind: 'grey' | 'labels', slices: Uint8Array[], shape: [number, number, number] = [NZ, NY, NX]): Promise<number> {
  const id = insertVolume(db, { name, role: kind === 'grey' ? 'channel' : 'derived', kind, dtype: 'uint8', shape, voxelSizeNm: { x: 5, y: 5, z: 10 }, voxelSizeSource: { x: 't', y: 't', z: 't' } });
  const write = sliceWriter(db, id);
  for (const [z, s] of slices.entries()) write(z, z * 10, await encodeSlice(s));
  finishVolume(db, id);
  return id;
}

/** Smooth grey ramps with plateaus: regions of equal grey for the grey fill. */
function makeGrey(nz: number, ny: number, nx: number): Uint8Array[] {
  return Array.from({ length: nz }, (_, z) => Uint8Array.from({ length: ny * nx }, (_, i) => (Math.floor((i % nx) / 8) * 20 + Math.floor(i / nx / 10) * 3 + z) & 0xff));
}

/** Runs numpy on planes given as raw bytes; the script gets `planes` (list of arrays ny x nx) and `spec`, prints JSON. */
function numpy(script: string, planes: Uint8Array[], spec: unknown): unknown {
  const raw = join(root, `np-${Math.random().toString(36).slice(2)}.raw`);
  writeFileSync(raw, Buffer.concat(planes.map((p) => Buffer.from(p))));
  const head = `import sys, json, numpy as np
from scipy import ndimage
spec = json.loads(sys.argv[2])
planes = list(np.fromfile(sys.argv[1], np.uint8).reshape(-1, spec['ny'], spec['nx'])) if ${planes.length} else []
`;
  return JSON.parse(runPython(head + script, [raw, JSON.stringify({ ny: NY, nx: NX, ...(spec as object) })]));
}

/** Pixels within r of the polyline, computed by numpy over the whole grid: the reference brush. */
function numpyBrush(points: [number, number][], r: number): number[] {
  return numpy(
    `yy, xx = np.mgrid[0:spec['ny'], 0:spec['nx']].astype(float)
pts = np.array(spec['points'], float)
segs = [(pts[i], pts[i + 1]) for i in range(len(pts) - 1)] or [(pts[0], pts[0])]
d2 = np.full(yy.shape, np.inf)
for a, b in segs:
    ab = b - a
    L = ab @ ab
    u = np.clip(((xx - a[0]) * ab[0] + (yy - a[1]) * ab[1]) / L, 0, 1) if L > 0 else np.zeros_like(xx)
    d2 = np.minimum(d2, (a[0] + u * ab[0] - xx) ** 2 + (a[1] + u * ab[1] - yy) ** 2)
print(json.dumps(np.flatnonzero(d2 <= spec['r'] ** 2).tolist()))`,
    [],
    { points, r },
  ) as number[];
}

const nonZero = (p: Uint8Array | null): number[] => (p ? [...p.keys()].filter((i) => p[i] !== 0) : []);

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-annotation-'));
  project = createProject(join(root, 'p.fibrecon'), { appVersion: 'test' });
  grey = makeGrey(NZ, NY, NX);
  await storeVolume(project.db, 'grey', 'grey', grey);
  await storeVolume(project.db, 'seg', 'labels', grey.map((s) => s.map((v) => (v > 60 ? 1 : 0))));
});
afterAll(() => {
  project?.close();
  cleanup();
});

describe('annotation schema', () => {
  it('a new project has the class table (1 pore, 2 solid); a schema-2 project reads with it and is brought forward with it', async () => {
    expect(listAnnotationClasses(project.db)).toEqual([
      { value: 1, name: 'pore', color: '#3b82f6' },
      { value: 2, name: 'solid', color: '#f59e0b' },
    ]);
    const path = join(root, 'v2.fibrecon');
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('journal_mode = WAL');
    expect(migrate(db, 2)).toBe(2);
    await storeVolume(db, 'old grey', 'grey', makeGrey(NZ, NY, NX));
    db.close();
    // Read-only, the older file is read as it is (never written): no annotations, the default classes.
    const r = openProject(path, { write: false });
    expect(r.db.pragma('user_version', { simple: true })).toBe(2);
    expect(annotationSummary(r.db, 'old grey')).toMatchObject({ status: 'none', version: 0, classes: [{ value: 1, name: 'pore' }, { value: 2, name: 'solid' }] });
    r.close();
    const p = openProject(path, { write: true });
    expect(p.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listAnnotationClasses(p.db).map((c) => c.value)).toEqual([1, 2]);
    const tables = p.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['annotation_class', 'annotation_set', 'annotation_slice', 'annotation_edit', 'annotation_edit_slice']));
    p.close();
  });
});

describe('painting, storage and undo', () => {
  it('a brush stroke paints exactly the pixels within the radius of the polyline (numpy), stores only that slice, records the edit', async () => {
    const points: [number, number][] = [
      [5.5, 6],
      [20, 9.25],
      [31, 30],
    ];
    const expected = numpyBrush(points, 3.5);
    expect(expected.length).toBeGreaterThan(100);
    const r = await applyStroke(project.db, 'grey', 2, { kind: 'brush', points, radiusPx: 3.5, label: 1 }, { author: 'alice' });
    const plane = getSliceAnnotation(project.db, 'grey', 2);
    expect(nonZero(plane)).toEqual(expected);
    expect(expected.every((i) => plane![i] === 1)).toBe(true);
    expect(r.changedPixels).toBe(expected.length);
    expect(r.counts).toEqual({ '1': expected.length });
    const ys = expected.map((i) => Math.floor(i / NX));
    const xs = expected.map((i) => i % NX);
    expect(r.box).toEqual({ x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs) + 1, height: Math.max(...ys) - Math.min(...ys) + 1 });
    expect(getSliceAnnotation(project.db, 'grey', 1)).toBeNull();
    expect(annotatedSlices(project.db, 'grey')).toEqual([2]);
    expect(project.db.prepare('SELECT COUNT(*) FROM annotation_slice').pluck().get()).toBe(1);
    const edits = listEdits(project.db, 'grey');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({ tool: 'brush', author: 'alice', slices: [2], changedPixels: expected.length, undoneBy: null });
    expect(annotationVersion(project.db, 'grey')).toBe(edits[0].id);
    expect(r.version).toBe(edits[0].id);
  });

  it('single points: radius 0 paints one pixel, radius r the lattice points of the disc (brute force count)', () => {
    const plane = new Uint8Array(NY * NX);
    expect(paintBrush(plane, { width: NX, height: NY }, [[7, 8]], 0, 2).changed).toBe(1);
    expect(plane[8 * NX + 7]).toBe(2);
    for (const r of [1, 2.5, 6]) {
      const p = new Uint8Array(NY * NX);
      let lattice = 0;
      for (let dy = -7; dy <= 7; dy++) for (let dx = -7; dx <= 7; dx++) if (dx * dx + dy * dy <= r * r) lattice++;
      expect(paintBrush(p, { width: NX, height: NY }, [[20, 20]], r, 1).changed).toBe(lattice);
    }
    // Clipped at the border: only the pixels inside the plane.
    const edge = new Uint8Array(NY * NX);
    expect(paintBrush(edge, { width: NX, height: NY }, [[0, 0]], 2, 1).changed).toBe(6);
  });

  it('the eraser removes within its radius; a fill inside a closed ring fills the 4-connected region (scipy.ndimage.label)', async () => {
    const z = 3;
    const ring: [number, number][] = [];
    for (let a = 0; a <= 64; a++) ring.push([26 + 12 * Math.cos((a / 64) * 2 * Math.PI), 20 + 12 * Math.sin((a / 64) * 2 * Math.PI)]);
    await applyStroke(project.db, 'grey', z, { kind: 'brush', points: ring, radiusPx: 1, label: 2 });
    const before = getSliceAnnotation(project.db, 'grey', z)!;
    const fill = await applyStroke(project.db, 'grey', z, { kind: 'fill', x: 26, y: 20, label: 1 });
    const after = getSliceAnnotation(project.db, 'grey', z)!;
    const inside = numpy(
      `a = planes[0]
lab, n = ndimage.label(a == a[20, 26])  # 4-connectivity (the default structure)
print(json.dumps(np.flatnonzero(lab == lab[20, 26]).tolist()))`,
      [before],
      {},
    ) as number[];
    // The ring (inner radius about 11 px) holds the fill: more than half its disc, less than the whole disc.
    expect(inside.length).toBeGreaterThan(200);
    expect(inside.length).toBeLessThan(Math.PI * 12 * 12);
    expect(fill.changedPixels).toBe(inside.length);
    for (let i = 0; i < after.length; i++) expect(after[i]).toBe(inside.includes(i) ? 1 : before[i]);
    // Erase a stripe through the middle: exactly the numpy disc-path pixels become 0.
    const path: [number, number][] = [
      [10, 20],
      [42, 20],
    ];
    const erased = numpyBrush(path, 2);
    await applyStroke(project.db, 'grey', z, { kind: 'eraser', points: path, radiusPx: 2 });
    const final = getSliceAnnotation(project.db, 'grey', z)!;
    for (let i = 0; i < final.length; i++) expect(final[i]).toBe(erased.includes(i) ? 0 : after[i]);
  });

  it('a grey fill takes the 4-connected pixels within the tolerance of the seed grey (scipy.ndimage.label)', async () => {
    const z = 0;
    const seed = { x: 12, y: 14 };
    const tolerance = 3;
    const r = await applyStroke(project.db, 'grey', z, { kind: 'fill', x: seed.x, y: seed.y, label: 2, by: 'grey', toleranceGrey: tolerance });
    const expected = numpy(
      `g = planes[0].astype(int)
m = np.abs(g - g[spec['y'], spec['x']]) <= spec['t']
lab, n = ndimage.label(m)
print(json.dumps(np.flatnonzero(lab == lab[spec['y'], spec['x']]).tolist()))`,
      [grey[z]],
      { ...seed, t: tolerance },
    ) as number[];
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(NY * NX);
    expect(nonZero(getSliceAnnotation(project.db, 'grey', z))).toEqual(expected);
    expect(r.counts).toEqual({ '2': expected.length });
  });

  it('undo restores the exact earlier blobs, slice by slice, newest first; every undo bumps the version; then nothing is left to undo', async () => {
    const z = 4;
    const blob = (zz: number) => project.db.prepare("SELECT data FROM annotation_slice s JOIN annotation_set a ON a.id = s.set_id WHERE a.volume_name = 'grey' AND z_index = ?").pluck().get(zz) as Buffer | undefined;
    await applyStroke(project.db, 'grey', z, { kind: 'rect', x: 3, y: 4, width: 10, height: 6, label: 1 });
    const afterRect = Buffer.from(blob(z)!);
    const v1 = annotationVersion(project.db, 'grey');
    const pixels = Array.from({ length: 30 }, (_, k) => 5 * NX + 8 + k);
    await applyStroke(project.db, 'grey', z, { kind: 'pixels', indices: pixels, label: 2 });
    const v2 = annotationVersion(project.db, 'grey');
    expect(v2).toBeGreaterThan(v1);
    const plane = getSliceAnnotation(project.db, 'grey', z)!;
    expect(plane[5 * NX + 8]).toBe(2);
    expect(plane[4 * NX + 3]).toBe(1);
    const u1 = undoLast(project.db, 'grey', { author: 'bob' });
    expect(u1.version).toBeGreaterThan(v2);
    expect(u1.undone[0]).toMatchObject({ tool: 'pixels', slices: [z] });
    expect(Buffer.compare(blob(z)!, afterRect)).toBe(0);
    const u2 = undoLast(project.db, 'grey');
    expect(u2.version).toBeGreaterThan(u1.version);
    expect(blob(z)).toBeUndefined();
    expect(annotatedSlices(project.db, 'grey')).not.toContain(z);
    const edits = listEdits(project.db, 'grey');
    const undos = edits.filter((e) => e.tool === 'undo');
    expect(undos.slice(-2).map((e) => e.author)).toEqual(['bob', expect.any(String)]);
    expect(edits.find((e) => e.id === u1.undone[0].id)?.undoneBy).toBe(u1.version);
    // The edits before stay undoable, one by one, down to nothing.
    let guard = 0;
    while (annotationSummary(project.db, 'grey').undoable > 0 && guard++ < 20) undoLast(project.db, 'grey');
    expect(annotatedSlices(project.db, 'grey')).toEqual([]);
    expect(() => undoLast(project.db, 'grey')).toThrow(/Nothing to undo on "grey"/);
    expect(project.db.prepare('SELECT COUNT(*) FROM annotation_edit_slice').pluck().get()).toBe(0);
    expect(integrityCheck(project.db)).toEqual([]);
  });

  it('a stroke that changes nothing records no edit; clearing is an edit that undo takes back', async () => {
    await applyStroke(project.db, 'grey', 1, { kind: 'rect', x: 0, y: 0, width: 5, height: 5, label: 2 });
    await applyStroke(project.db, 'grey', 3, { kind: 'rect', x: 10, y: 10, width: 4, height: 3, label: 1 });
    const v = annotationVersion(project.db, 'grey');
    const n = listEdits(project.db, 'grey').length;
    const same = await applyStroke(project.db, 'grey', 1, { kind: 'rect', x: 1, y: 1, width: 2, height: 2, label: 2 });
    expect(same.changedPixels).toBe(0);
    expect(same.version).toBe(v);
    expect(listEdits(project.db, 'grey')).toHaveLength(n);
    const before = [1, 3].map((z) => getSliceAnnotation(project.db, 'grey', z));
    const c = clearAnnotations(project.db, 'grey', { author: 'carol' });
    expect(c).toMatchObject({ slices: [1, 3], discarded: false });
    expect(annotatedSlices(project.db, 'grey')).toEqual([]);
    undoLast(project.db, 'grey');
    expect([1, 3].map((z) => getSliceAnnotation(project.db, 'grey', z))).toEqual(before);
  });

  it('40 random strokes: the stored plane is the shared paint functions\' plane after each, counts updated from the stroke box equal a recount; 40 undos walk back through every state', async () => {
    const db = project.db;
    await storeVolume(db, 'random', 'grey', makeGrey(1, NY, NX), [1, NY, NX]);
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const size = { width: NX, height: NY };
    const local = new Uint8Array(NY * NX);
    const states: Buffer[] = [Buffer.from(local)];
    for (let k = 0; k < 40; k++) {
      const label = 1 + Math.floor(rnd() * 2);
      const kind = ['brush', 'brush', 'eraser', 'rect', 'fill', 'pixels'][Math.floor(rnd() * 6)];
      const pt = (): [number, number] => [rnd() * NX, rnd() * NY];
      let stroke: AnnotationStroke;
      if (kind === 'brush' || kind === 'eraser') {
        const points = [pt(), pt(), pt()];
        const radiusPx = rnd() * 5;
        stroke = kind === 'brush' ? { kind, points, radiusPx, label } : { kind, points, radiusPx };
        paintBrush(local, size, points, radiusPx, kind === 'brush' ? label : 0);
      } else if (kind === 'rect') {
        stroke = { kind, x: Math.floor(rnd() * NX), y: Math.floor(rnd() * NY), width: 1 + Math.floor(rnd() * 20), height: 1 + Math.floor(rnd() * 20), label };
        paintRect(local, size, stroke, label);
      } else if (kind === 'fill') {
        const x = Math.floor(rnd() * NX);
        const y = Math.floor(rnd() * NY);
        const value = rnd() < 0.3 ? 0 : label;
        stroke = { kind, x, y, label: value };
        floodFill(local, size, x, y, value);
      } else {
        const indices = Array.from({ length: 50 }, () => Math.floor(rnd() * NX * NY));
        stroke = { kind: 'pixels', indices, label };
        paintPixels(local, size, indices, label);
      }
      const r = await applyStroke(db, 'random', 0, stroke);
      const stored = getSliceAnnotation(db, 'random', 0) ?? new Uint8Array(NY * NX);
      expect(Buffer.compare(stored, local), `stroke ${k} (${kind})`).toBe(0);
      expect(r.counts, `stroke ${k}`).toEqual(classCounts(local));
      expect(countsPerClass(db, 'random').total).toEqual(classCounts(local));
      if (r.changedPixels > 0) states.push(Buffer.from(local));
    }
    for (let k = states.length - 1; k > 0; k--) {
      undoLast(db, 'random');
      const stored = getSliceAnnotation(db, 'random', 0) ?? new Uint8Array(NY * NX);
      expect(Buffer.compare(stored, states[k - 1]), `after undoing to state ${k - 1}`).toBe(0);
    }
    expect(annotatedSlices(db, 'random')).toEqual([]);
  });

  it('counts per class (per slice and total) and the training samples agree with numpy on the stored planes', async () => {
    setSliceAnnotation(project.db, 'grey', 4, Uint8Array.from({ length: NY * NX }, (_, i) => (i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0)), { author: 'dave' });
    const zs = annotatedSlices(project.db, 'grey');
    const planes = zs.map((z) => getSliceAnnotation(project.db, 'grey', z)!);
    const ref = numpy(
      `zs = spec['zs']
per = [{str(v): int((p == v).sum()) for v in (1, 2) if (p == v).sum()} for p in planes]
st = np.stack(planes)
zi, yi, xi = np.nonzero(st)
print(json.dumps({'per': per, 'z': [zs[k] for k in zi.tolist()], 'pixel': (yi * spec['nx'] + xi).tolist(), 'cls': st[zi, yi, xi].tolist()}))`,
      planes,
      { zs },
    ) as { per: Record<string, number>[]; z: number[]; pixel: number[]; cls: number[] };
    const counts = countsPerClass(project.db, 'grey');
    expect(counts.perSlice).toEqual(zs.map((z, k) => ({ z, counts: ref.per[k] })));
    expect(counts.total).toEqual({ '1': ref.cls.filter((c) => c === 1).length, '2': ref.cls.filter((c) => c === 2).length });
    const samples = gatherSamples(project.db, 'grey');
    expect(samples.count).toBe(ref.cls.length);
    expect([...samples.z]).toEqual(ref.z);
    expect([...samples.pixel]).toEqual(ref.pixel);
    expect([...samples.classValue]).toEqual(ref.cls);
    expect(samples.version).toBe(annotationVersion(project.db, 'grey'));
    expect(listEdits(project.db, 'grey').at(-1)).toMatchObject({ tool: 'slice', author: 'dave', slices: [4] });
  });

  it('refuses values that are not classes, slices that do not exist, planes of the wrong size, label volumes and unknown volumes', async () => {
    const v = annotationVersion(project.db, 'grey');
    await expect(applyStroke(project.db, 'grey', 0, { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 3 })).rejects.toThrow(/Label 3 is not an annotation class \(0 = not annotated, 1 = pore, 2 = solid\)/);
    await expect(applyStroke(project.db, 'grey', NZ, { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 1 })).rejects.toThrow(`Slice ${NZ} does not exist in "grey": it has slices 0 to ${NZ - 1}`);
    await expect(applyStroke(project.db, 'grey', 0, { kind: 'fill', x: NX, y: 0, label: 1 })).rejects.toThrow(/outside the 52 x 40 px slice/);
    expect(() => setSliceAnnotation(project.db, 'grey', 0, new Uint8Array(10))).toThrow(/must have 2080 pixels, got 10/);
    expect(() => setSliceAnnotation(project.db, 'grey', 0, new Uint8Array(NY * NX).fill(255))).toThrow(/Annotation value 255 is not a class/);
    await expect(applyStroke(project.db, 'seg', 0, { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 1 })).rejects.toThrow(/"seg" is a label volume \(a segmentation\).*annotate that one instead \(grey volumes here: "grey", "random"\)/);
    expect(() => annotationSummary(project.db, 'nope')).toThrow(/no volume or channel named "nope" \(it has: grey, seg, random\)/);
    expect(annotationVersion(project.db, 'grey')).toBe(v);
  });
});

describe('binding to the exact volume', () => {
  it('annotations of a volume that was deleted and replaced under its name are stale: reported, refused for painting, exportable state kept, cleared by deleting them', async () => {
    const db = project.db;
    const oldId = await storeVolume(db, 'other', 'grey', makeGrey(3, NY, NX), [3, NY, NX]);
    await applyStroke(db, 'other', 1, { kind: 'rect', x: 2, y: 2, width: 4, height: 4, label: 2 });
    const oldVersion = annotationVersion(db, 'other');
    // Deleted, and a new volume (another size) stored under the same name.
    db.prepare('DELETE FROM volume WHERE id = ?').run(oldId);
    expect(findAnnotationTarget(db, 'other').status).toBe('volume_missing');
    expect(annotationSummary(db, 'other').message).toMatch(/which is no longer in the project/);
    await storeVolume(db, 'other', 'grey', makeGrey(4, NY, NX), [4, NY, NX]);
    const t = findAnnotationTarget(db, 'other');
    expect(t.status).toBe('replaced');
    const s = annotationSummary(db, 'other');
    expect(s).toMatchObject({ status: 'replaced', shape: [3, NY, NX], totals: { '2': 16 }, version: oldVersion });
    expect(s.message).toMatch(/made on a volume of 3 x 40 x 52 \(z, y, x\) uint8 created .*, which has been replaced: "other" is now another volume \(4 x 40 x 52/);
    expect(s.message).toMatch(/--export OLD\.tif.*--clear.*--labels OLD\.tif/);
    expect(() => getSliceAnnotation(db, 'other', 1)).toThrow(/has been replaced/);
    await expect(applyStroke(db, 'other', 0, { kind: 'rect', x: 0, y: 0, width: 1, height: 1, label: 1 })).rejects.toThrow(/has been replaced/);
    expect(() => undoLast(db, 'other')).toThrow(/has been replaced/);
    expect(() => gatherSamples(db, 'other')).toThrow(/has been replaced/);
    const c = clearAnnotations(db, 'other');
    expect(c).toMatchObject({ discarded: true, slices: [1], version: 0 });
    expect(db.prepare("SELECT COUNT(*) FROM annotation_set WHERE volume_name = 'other'").pluck().get()).toBe(0);
    expect(findAnnotationTarget(db, 'other').status).toBe('none');
    const fresh = await applyStroke(db, 'other', 3, { kind: 'rect', x: 0, y: 0, width: 2, height: 2, label: 1 });
    expect(fresh.version).toBeGreaterThan(oldVersion);
    expect(findAnnotationTarget(db, 'other').status).toBe('current');
  });

  it('a replacement with the same id, shape and dtype is still told apart by its creation time', async () => {
    const db = project.db;
    const id = await storeVolume(db, 'twin', 'grey', makeGrey(2, NY, NX), [2, NY, NX]);
    await applyStroke(db, 'twin', 0, { kind: 'rect', x: 0, y: 0, width: 3, height: 3, label: 1 });
    db.prepare('DELETE FROM volume WHERE id = ?').run(id);
    await new Promise((r) => setTimeout(r, 5));
    const again = await storeVolume(db, 'twin', 'grey', makeGrey(2, NY, NX), [2, NY, NX]);
    expect(again).toBe(id);
    expect(findAnnotationTarget(db, 'twin').status).toBe('replaced');
  });
});
