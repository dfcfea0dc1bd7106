// fibrecon annotate: label TIFFs written by tifffile go in (added or replacing)
// and come out bit-identical (numpy); counts match numpy; undo; and every bad
// input (wrong size, values that are not classes, 0/255 and 0/1 masks, an empty
// file, a missing or label volume, a replaced volume, an existing export file)
// exits 1 with what to do and leaves the project file byte for byte as it was,
// with no run recorded. Projects are set up and read in-process; the commands
// run as the real CLI, the many refusals through the CLI's main() in-process
// (the same code, without a Node start per case).
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationSummary } from '../../src-shared/contract';
import { annotationSummary, getSliceAnnotation, setSliceAnnotation } from '../../src-main/project/annotation-store';
import { createProject, openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { encodeSlice } from '../../src-main/project/slice-codec';
import { finishVolume, insertVolume, sliceWriter } from '../../src-main/project/volume-store';
import { makeSlices } from '../helpers/stacks';
import { runPython, tempDir } from '../helpers/python';
import { cliOk } from './run-cli';

const [NZ, NY, NX] = [5, 12, 16];
let root: string;
let cleanup: () => void;
let project: string;

async function storeVolume(db: Database.Database, name: string, kind: 'grey' | 'labels', seed: number): Promise<void> {
  const id = insertVolume(db, { name, role: 'channel', kind, dtype: 'uint8', shape: [NZ, NY, NX], voxelSizeNm: { x: 4, y: 4, z: 10 }, voxelSizeSource: { x: 't', y: 't', z: 't' } });
  const write = sliceWriter(db, id);
  for (const [z, s] of makeSlices(NZ, NY, NX, 'uint8', seed).entries()) write(z, z * 10, await encodeSlice(kind === 'grey' ? s : s.map((v) => v & 1)));
  finishVolume(db, id);
}

/** Writes a label stack with tifffile from a numpy expression over the z, y, x index grids (and a seeded rng). */
function labelTiff(name: string, expr: string, shape: [number, number, number] = [NZ, NY, NX], dtype = 'uint8'): string {
  const out = join(root, name);
  runPython(
    `import sys, numpy as np, tifffile
z, y, x = np.indices(${JSON.stringify(shape)})
rng = np.random.default_rng(7)
tifffile.imwrite(sys.argv[1], (${expr}).astype(np.${dtype}), photometric='minisblack')`,
    [out],
  );
  return out;
}

/** numpy's answer about TIFF files f[0], f[1], ...: the script prints JSON. */
function numpy(script: string, files: string[]): unknown {
  return JSON.parse(runPython(`import sys, json, numpy as np, tifffile\nread = tifffile.imread\nf = sys.argv[1:]\n${script}`, files));
}

/** The bytes of the array `e` that a numpy script makes from the files. */
function bytesOf(script: string, files: string[]): Buffer {
  return Buffer.from(numpy(`${script}\nimport base64; print(json.dumps(base64.b64encode(np.ascontiguousarray(e, np.uint8).tobytes()).decode()))`, files) as string, 'base64');
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The project file's bytes and its WAL's size (every close checkpoints: together they are the whole project). */
function fileState(path: string): string {
  const wal = `${path}-wal`;
  return `${sha(path)} wal:${existsSync(wal) ? readFileSync(wal).length : 0}`;
}

function inProject<T>(path: string, write: boolean, fn: (db: Database.Database) => T): T {
  const p = openProject(path, { write });
  try {
    return fn(p.db);
  } finally {
    p.close();
  }
}

/** What a refused command must not change, read in-process: runs and annotation summary. */
function recorded(path = project, volume = 'grey'): { runs: unknown; summary: AnnotationSummary } {
  return inProject(path, false, (db) => ({ runs: listRuns(db), summary: annotationSummary(db, volume) }));
}

/** The CLI's main() in this process, its output captured. */
async function cliHere(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src-main/cli/main');
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += `${t}\n`), err: (t) => void (stderr += `${t}\n`), tty: false });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-annotate-'));
  project = join(root, 'p.fibrecon');
  const p = createProject(project, { appVersion: 'test' });
  await storeVolume(p.db, 'grey', 'grey', 5);
  await storeVolume(p.db, 'seg', 'labels', 6);
  p.close();
});
afterAll(() => cleanup());

describe('fibrecon annotate: label TIFFs in and out', () => {
  it('imports sparse labels, exports them bit-identical (numpy), adds a second file (non-zero overwrites, 0 keeps), replaces, undoes; counts as numpy counts', async () => {
    // Slices 1 and 3: a patch of pore and random pore/solid.
    const a = labelTiff('a.tif', `np.where((z == 1) & (y < 5) & (x < 6), 1, 0) + np.where((z == 3) & (y > 6), rng.integers(0, 3, z.shape), 0)`);
    expect(await cliOk(['annotate', project, '--volume', 'grey', '--labels', a, '--author', 'erin'])).toMatch(/Added annotations to "grey" from .*a\.tif: 2 slices changed/);
    const ex1 = join(root, 'ex1.tif');
    await cliOk(['annotate', project, '--volume', 'grey', '--export', ex1]);
    expect(numpy(`e, a = read(f[0]), read(f[1]); print(json.dumps([list(e.shape), str(e.dtype), bool((e == a).all())]))`, [ex1, a])).toEqual([[NZ, NY, NX], 'uint8', true]);

    const ref = numpy(
      `a = read(f[0])
cnt = lambda b: {str(v): int((b == v).sum()) for v in (1, 2) if (b == v).sum()}
print(json.dumps({'totals': cnt(a), 'slices': [{'z': k, 'counts': cnt(a[k])} for k in range(a.shape[0]) if a[k].any()]}))`,
      [a],
    );
    const s1 = JSON.parse(await cliOk(['annotate', project, '--volume', 'grey', '--json'])) as AnnotationSummary;
    expect(s1).toMatchObject({ status: 'current', ...(ref as object), editCount: 1, undoable: 1 });
    expect(s1.lastEdit).toMatchObject({ tool: 'import', author: 'erin', slices: [1, 3] });

    // A second file adds: its non-zero voxels overwrite, its zeros keep what slices 1 and 3 hold.
    const b = labelTiff('b.tif', `np.where((z == 3) & (x < 4), 2, 0) + np.where((z == 4) & (y == x), 1, 0)`);
    await cliOk(['annotate', project, '--volume', 'grey', '--labels', b]);
    const added = inProject(project, false, (db) => Array.from({ length: NZ }, (_, z) => getSliceAnnotation(db, 'grey', z)));
    const expectedAdd = bytesOf(`a, b = read(f[0]), read(f[1]); e = np.where(b != 0, b, a)`, [a, b]);
    expect(Buffer.concat(added.map((p) => (p ? Buffer.from(p) : Buffer.alloc(NY * NX))))).toEqual(expectedAdd);

    // --replace: the file becomes the whole annotation (slices 1 and 3 of a are gone).
    await cliOk(['annotate', project, '--volume', 'grey', '--labels', b, '--replace']);
    const bBytes = bytesOf('e = read(f[0])', [b]);
    inProject(project, false, (db) => {
      for (let z = 0; z < NZ; z++) {
        const want = bBytes.subarray(z * NY * NX, (z + 1) * NY * NX);
        const got = getSliceAnnotation(db, 'grey', z);
        expect(got ? Buffer.from(got) : Buffer.alloc(NY * NX)).toEqual(Buffer.from(want));
        expect(got === null).toBe(want.every((v) => v === 0));
      }
    });
    // Undo: exactly the added state again.
    expect(await cliOk(['annotate', project, '--volume', 'grey', '--undo'])).toMatch(/Undid edit #\d+ \(replace by /);
    inProject(project, false, (db) => expect(Array.from({ length: NZ }, (_, z) => getSliceAnnotation(db, 'grey', z))).toEqual(added));
    expect(recorded().runs).toMatchObject([{ step: 'annotate', status: 'done' }, { step: 'annotate' }, { step: 'annotate' }, { step: 'annotate', params: { action: 'undo' } }]);
  });
});

describe('fibrecon annotate: bad input changes nothing', () => {
  it('each refusal exits 1 with what is wrong and what to do; the project file, its runs and the version stay as they were', async () => {
    const before = fileState(project);
    const state = recorded();
    const small = labelTiff('small.tif', 'np.where(y == 1, 1, 0)', [NZ, NY, NX - 2]);
    const fewer = labelTiff('fewer.tif', 'np.where(y == 1, 1, 0)', [NZ - 1, NY, NX]);
    const mask = labelTiff('mask.tif', 'np.where((z == 2) & (x > 10), 255, 0)');
    const odd = labelTiff('odd.tif', 'np.where(z == 0, x % 5, 0)', [NZ, NY, NX], 'uint16');
    const ones = labelTiff('ones.tif', 'np.where((z == 0) & (y < 3), 1, 0)');
    const zeros = labelTiff('zeros.tif', 'np.zeros_like(z)');
    const [n255, n3, n4] = numpy(`m, o = read(f[0]), read(f[1]); print(json.dumps([int((m == 255).sum()), int((o == 3).sum()), int((o == 4).sum())]))`, [mask, odd]) as number[];
    const exists = join(root, 'exists.tif');
    writeFileSync(exists, 'not yours');
    const cases: [string[], ...(string | RegExp)[]][] = [
      [['--labels', small], /small\.tif is 5 x 12 x 14 \(z, y, x: 5 pages of 14 x 12 px\) but "grey" is 5 x 12 x 16: the label TIFF must have the size of the volume/],
      [['--labels', fewer], /fewer\.tif is 4 x 12 x 16 .* but "grey" is 5 x 12 x 16/],
      [['--labels', mask], `mask.tif holds values that are not annotation classes: 255 in ${n255} voxels`, 'It is a 0/255 mask: say which class 255 is, e.g. --map 255=2 (solid) or --map 255=1 (pore)'],
      [['--labels', odd], `values that are not annotation classes: 3 in ${n3} voxels, 4 in ${n4} voxels`, /Map each to a class with --map VALUE=CLASS/],
      [['--labels', mask, '--map', '255=7'], '--map 255=7: 7 is not an annotation class (0 = not annotated, 1 = pore, 2 = solid)'],
      [['--labels', ones], /holds only 0 and 1 \(1 in 48 voxels on 1 slices\): in annotations 1 = pore, but in a segmentation/, '--map 1=1 if the 1s are pore annotations, --map 1=2 if they are solid'],
      [['--labels', zeros], /holds no annotation \(every voxel is 0\): nothing to add\. To remove all annotations use --clear/],
      [['--labels', zeros, '--replace'], /nothing to replace the annotations with/],
      [['--export', exists], `[file_exists]: ${exists} already exists: choose another name, or replace it (--overwrite`],
      [['--export', project, '--overwrite'], `${project} is the open project (or its journal or lock file); exporting there would destroy the project`],
    ];
    const other: [string[], ...(string | RegExp)[]][] = [
      [['--volume', 'nope', '--labels', mask, '--map', '255=2'], /\[not_found\].*no volume or channel named "nope" \(it has: grey, seg\)/],
      [['--volume', 'seg', '--labels', mask, '--map', '255=2'], /"seg" is a label volume \(a segmentation\): annotations are painted on the grey volume .* \(grey volumes here: "grey"\)/],
    ];
    const all = [...cases.map(([args, ...m]): [string[], ...(string | RegExp)[]] => [['--volume', 'grey', ...args], ...m]), ...other];
    const results = [];
    for (const [args] of all) results.push(await cliHere(['annotate', project, ...args]));
    for (const [i, r] of results.entries()) {
      const [args, ...messages] = all[i];
      expect(r.code, `annotate ${args.join(' ')}\n${r.stderr}`).toBe(1);
      expect(r.stdout).toBe('');
      for (const m of messages) expect(r.stderr).toMatch(m);
    }
    expect(readFileSync(exists, 'utf8')).toBe('not yours');
    expect(fileState(project)).toBe(before);
    expect(recorded()).toEqual(state);
    const usage = await cliHere(['annotate', project, '--volume', 'grey', '--undo', '--clear']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give one action at a time, not --undo and --clear');

    // Said what it means, the mask goes in: its 255s are solid now.
    await cliOk(['annotate', project, '--volume', 'grey', '--labels', mask, '--map', '255=2']);
    const { summary } = recorded();
    expect(summary.lastEdit?.detail).toMatchObject({ map: { '255': 2 } });
    expect(summary.version).toBeGreaterThan(state.summary.version);
    const maskBytes = bytesOf('e = read(f[0])', [mask]);
    inProject(project, false, (db) => {
      for (let z = 0; z < NZ; z++) {
        const plane = getSliceAnnotation(db, 'grey', z);
        for (let i = 0; i < NY * NX; i++) if (maskBytes[z * NY * NX + i] === 255) expect(plane?.[i]).toBe(2);
      }
    });
  });
});

describe('fibrecon annotate: a replaced volume', () => {
  it('says so and what to do; refuses new labels and undo; exports the old annotations; --clear deletes them; then the new volume can be annotated', async () => {
    const p2 = join(root, 'replaced.fibrecon');
    const p = createProject(p2, { appVersion: 'test' });
    await storeVolume(p.db, 'ch', 'grey', 8);
    const old = Array.from({ length: NZ }, (_, z) => Uint8Array.from({ length: NY * NX }, (_, i) => (z === 2 && i % 3 === 0 ? 1 : z === 4 && i < 20 ? 2 : 0)));
    for (const [z, plane] of old.entries()) if (plane.some((v) => v)) setSliceAnnotation(p.db, 'ch', z, plane);
    // Deleted (as a future "delete volume" would) and stored again under its name.
    p.db.prepare("DELETE FROM volume WHERE name = 'ch'").run();
    await new Promise((r) => setTimeout(r, 5));
    await storeVolume(p.db, 'ch', 'grey', 9);
    p.close();

    const text = await cliOk(['annotate', p2, '--volume', 'ch']);
    expect(text).toMatch(/^Stale annotations of "ch"/);
    expect(text).toMatch(/which has been replaced: "ch" is now another volume .* Export them \(fibrecon annotate PROJECT --volume "ch" --export OLD\.tif\), check that they fit the volume, then clear them \(--clear\) and import them again \(--labels OLD\.tif\); or just clear them\./);
    const before = fileState(p2);
    const state = recorded(p2, 'ch');
    expect(state.summary.status).toBe('replaced');
    const a = labelTiff('for-ch.tif', 'np.where(z == 0, 2, 0)');
    const refusals = [await cliHere(['annotate', p2, '--volume', 'ch', '--labels', a]), await cliHere(['annotate', p2, '--volume', 'ch', '--undo'])];
    for (const r of refusals) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('which has been replaced');
    }
    expect(fileState(p2)).toBe(before);
    expect(recorded(p2, 'ch')).toEqual(state);

    const exported = join(root, 'old.tif');
    await cliOk(['annotate', p2, '--volume', 'ch', '--export', exported]);
    const bytes = bytesOf('e = read(f[0])', [exported]);
    expect(bytes).toEqual(Buffer.concat(old));
    expect(await cliOk(['annotate', p2, '--volume', 'ch', '--clear'])).toMatch(/Deleted the stale annotations of "ch" \(2 slices\) with their history/);
    await cliOk(['annotate', p2, '--volume', 'ch', '--labels', exported]);
    const after = recorded(p2, 'ch').summary;
    expect(after.status).toBe('current');
    expect(after.version).toBeGreaterThan(state.summary.version);
    expect(after.totals).toEqual(state.summary.totals);
  });
});
