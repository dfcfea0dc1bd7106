// Exports never destroy: the open project, another project, a database, an
// unrelated file, a foreign folder are never overwritten without the user
// asking (and projects/databases never), OME-Zarr stores are replaced only when
// we wrote them, and a killed export's leftovers are removed (and named) by the
// next export. Checked on real projects and real files, through the CLI the
// tester used and through the export step the app's job runs.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTargets } from '../../src-main/export/export-targets';
import { beginExportRecord, cleanInterruptedExports } from '../../src-main/export/export-journal';
import { partialPathOf } from '../../src-main/tiff-write/file-sink';
import { openProject } from '../../src-main/project/open-project';
import { exportStoredVolume } from '../../src-main/steps/export-step';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { BIN, CLI_ENV, cliOk, REPO, type CliResult } from '../cli/run-cli';

let root: string;
let cleanup: () => void;
let project: string;
let other: string;
let stateDir: string;
const [nz, ny, nx] = [5, 24, 20];

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** The CLI with its own journal folder (FIBRECON_STATE_DIR), so that tests do not share one. */
function cliIn(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...CLI_ENV, FIBRECON_STATE_DIR: stateDir }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      done({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : null, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

async function makeProject(path: string, name: string, shape: [number, number, number], seed: number): Promise<void> {
  const tif = `${path}.tif`;
  let s = seed;
  const slices = Array.from({ length: shape[0] }, () => Uint16Array.from({ length: shape[1] * shape[2] }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) & 0xffff));
  await writeTiffStack(tif, { shape, dtype: 'uint16', voxelSizeNm: { x: 5, y: 5, z: 10 } }, slices);
  await cliOk(['create', path]);
  await cliOk(['import', path, tif, '--name', name, '--pixel-size-nm', '5', '--slice-spacing-nm', '10']);
}

/** The export step as the app's job runs it (project opened read-only), with its own journal folder. */
async function exportStep(req: { format: string; path: string; overwrite?: boolean }) {
  const prev = process.env.FIBRECON_STATE_DIR;
  process.env.FIBRECON_STATE_DIR = stateDir;
  const p = openProject(project, { write: false });
  try {
    return await exportStoredVolume(p.db, { volume: 'grey', ...req });
  } finally {
    p.close();
    if (prev === undefined) delete process.env.FIBRECON_STATE_DIR;
    else process.env.FIBRECON_STATE_DIR = prev;
  }
}

async function refusal(req: { format: string; path: string; overwrite?: boolean }): Promise<{ tag: string; message: string }> {
  try {
    await exportStep(req);
  } catch (e) {
    return e as { tag: string; message: string };
  }
  throw new Error(`export to ${req.path} was not refused`);
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-export-safety-'));
  stateDir = join(root, 'state');
  project = join(root, 'p.fibrecon');
  other = join(root, 'other.fibrecon');
  await makeProject(project, 'grey', [nz, ny, nx], 3);
  await makeProject(other, 'grey', [2, 8, 8], 4);
}, 60_000);
afterAll(() => cleanup());

describe('export onto files that must survive', () => {
  it('refuses the open project itself (the reported data loss), with or without --overwrite; the project stays intact', async () => {
    const before = sha(project);
    for (const extra of [[], ['--overwrite']]) {
      const r = await cliIn(['export', project, '--channel', 'grey', '--out', project, '--format', 'nrrd', ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/is the open project .*Choose another file name/);
    }
    expect(sha(project)).toBe(before);
    expect(await cliOk(['check', project])).toMatch(/: ok$/m);
    expect(readdirSync(root).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('refuses the project through another path (a symbolic link) and its -wal / .lock companions', async () => {
    const link = join(root, 'link.fibrecon');
    if (!existsSync(link)) (await import('node:fs')).symlinkSync(project, link);
    for (const path of [link, `${project}-wal`, `${project}.lock`]) {
      const e = await refusal({ format: 'nrrd', path, overwrite: true });
      expect(e.tag, path).toBe('invalid_input');
      expect(e.message).toMatch(/open project/);
    }
  });

  it('refuses another project file and any SQLite database even with overwrite', async () => {
    const before = sha(other);
    const e = await refusal({ format: 'mrc', path: other, overwrite: true });
    expect(e).toMatchObject({ tag: 'invalid_input' });
    expect(e.message).toMatch(/is a fibrecon project file; exports never overwrite a project\. Choose another file name/);
    expect(sha(other)).toBe(before);

    const dbPath = join(root, 'lab.sqlite');
    const db = new Database(dbPath);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const dbBefore = sha(dbPath);
    const e2 = await refusal({ format: 'nrrd', path: dbPath, overwrite: true });
    expect(e2.message).toMatch(/is an SQLite database/);
    expect(sha(dbPath)).toBe(dbBefore);
  });

  it('refuses an unrelated existing file unless asked to replace it, then replaces it whole', async () => {
    const notes = join(root, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const r = await cliIn(['export', project, '--channel', 'grey', '--out', notes, '--format', 'nrrd']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt already exists: choose another name, or replace it \(--overwrite on the command line/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    const ok = await cliIn(['export', project, '--channel', 'grey', '--out', notes, '--format', 'nrrd', '--overwrite']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(notes).subarray(0, 4).toString('latin1')).toBe('NRRD');
  });

  it('checks every file of a set before writing any: an existing .raw beside a new .mhd is named and nothing is written', async () => {
    const mhd = join(root, 'set.mhd');
    const raw = join(root, 'set.raw');
    writeFileSync(raw, 'precious');
    const e = await refusal({ format: 'metaimage', path: mhd });
    expect(e.tag).toBe('file_exists');
    expect(e.message).toContain(raw);
    expect(existsSync(mhd)).toBe(false);
    expect(readFileSync(raw, 'utf8')).toBe('precious');
  });

  it('names the per-slice TIFFs of a stacked-slices export before writing them', () => {
    const t = exportTargets('avizo-stacked-slices', '/d/vol.asi', 3).map((x) => x.path);
    expect(t).toEqual(['/d/vol.asi', '/d/vol_0000.tif', '/d/vol_0001.tif', '/d/vol_0002.tif']);
  });

  it('refuses a destination folder that does not exist, saying to create it', async () => {
    const e = await refusal({ format: 'nrrd', path: join(root, 'no-such-folder', 'v.nrrd') });
    expect(e.message).toMatch(/does not exist: create it first/);
  });
});

describe('OME-Zarr: only our own stores are ever replaced', () => {
  it('never deletes a folder that holds a zarr.json it did not write, with or without overwrite', async () => {
    const store = join(root, 'foreign.ome.zarr');
    mkdirSync(store);
    writeFileSync(join(store, 'zarr.json'), JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: {} }));
    writeFileSync(join(store, 'thesis.docx'), 'do not delete');
    for (const overwrite of [false, true]) {
      const e = await refusal({ format: 'ome-zarr', path: store, overwrite });
      expect(e.tag).toBe('invalid_input');
      expect(e.message).toMatch(/fibrecon did not write/);
    }
    expect(readFileSync(join(store, 'thesis.docx'), 'utf8')).toBe('do not delete');
  });

  it('replaces its own store only when asked, and not when someone put other files into it', async () => {
    const store = join(root, 'mine.ome.zarr');
    await exportStep({ format: 'ome-zarr', path: store });
    const marker = JSON.parse(readFileSync(join(store, 'zarr.json'), 'utf8')).attributes.fibrecon;
    expect(marker).toEqual({ writtenBy: 'fibrecon' });
    expect((await refusal({ format: 'ome-zarr', path: store })).tag).toBe('file_exists');
    const r = await exportStep({ format: 'ome-zarr', path: store, overwrite: true });
    expect(r.files).toEqual([store]);
    expect(readdirSync(root).filter((n) => n.startsWith('mine.ome.zarr'))).toEqual(['mine.ome.zarr']);

    writeFileSync(join(store, 'notes.txt'), 'mine');
    const e = await refusal({ format: 'ome-zarr', path: store, overwrite: true });
    expect(e.message).toMatch(/also holds other files \(notes\.txt\)/);
    expect(readFileSync(join(store, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('leftovers of killed exports', () => {
  /** Records an export of `target` by a process that has certainly exited; returns its pid. */
  async function deadExportRecord(target: string, format: string, dir: string): Promise<number> {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await new Promise((r) => child.on('exit', r));
    const realPid = process.pid;
    Object.defineProperty(process, 'pid', { value: pid, configurable: true });
    try {
      await beginExportRecord([target], format, dir);
    } finally {
      Object.defineProperty(process, 'pid', { value: realPid, configurable: true });
    }
    return pid;
  }

  it('removes and names the .partial files of an export whose process died', async () => {
    const dir = join(root, 'journal-unit');
    const target = join(root, 'dead.nrrd');
    const pid = await deadExportRecord(target, 'nrrd', dir);
    writeFileSync(partialPathOf(target, pid), Buffer.alloc(2_000_000));
    writeFileSync(`${target}.partial`, Buffer.alloc(1_000_000)); // as versions before per-process partials named it
    // A live export's record is left alone, and so is its partial file.
    const live = join(root, 'live.nrrd');
    const end = await beginExportRecord([live], 'nrrd', dir);
    writeFileSync(partialPathOf(live), 'x');

    const removed = await cleanInterruptedExports(dir);
    expect(removed).toEqual([`${partialPathOf(target, pid)} (2.0 MB)`, `${target}.partial (1.0 MB)`]);
    expect(existsSync(partialPathOf(target, pid))).toBe(false);
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(existsSync(partialPathOf(live))).toBe(true);
    await end();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a live export of the target a dead one left keeps its own partial: the cleanup removes only the dead process\'s', async () => {
    const dir = join(root, 'journal-race');
    const target = join(root, 'shared-target.tif');
    const pid = await deadExportRecord(target, 'tiff', dir);
    writeFileSync(partialPathOf(target, pid), Buffer.alloc(1000));
    // This process started writing the same target after the cleanup had read the journal (no live
    // entry of it yet): its partial has another name and is not touched.
    writeFileSync(partialPathOf(target), 'being written');
    expect(await cleanInterruptedExports(dir)).toEqual([`${partialPathOf(target, pid)} (0.0 MB)`]);
    expect(readFileSync(partialPathOf(target), 'utf8')).toBe('being written');
  });

  it('a CLI export killed with SIGKILL mid-write leaves a .partial that the next export removes and names', async () => {
    const big = join(root, 'big.fibrecon');
    await makeProject(big, 'grey', [48, 384, 384], 9);
    const out = join(root, 'killed.mhd');
    const partialNames = () => readdirSync(root).filter((n) => n.startsWith('killed') && n.endsWith('.partial'));
    let killed = false;
    for (let attempt = 0; attempt < 4 && !killed; attempt++) {
      const child = spawn(process.execPath, [BIN, 'export', big, '--channel', 'grey', '--out', out, '--format', 'metaimage', '--overwrite'], {
        cwd: REPO,
        env: { ...CLI_ENV, FIBRECON_STATE_DIR: stateDir },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      let done = false;
      void exited.then(() => (done = true));
      while (!done && partialNames().every((n) => statSync(join(root, n)).size === 0)) await new Promise((r) => setTimeout(r, 2));
      if (!done) {
        child.kill('SIGKILL');
        killed = (await exited) === null;
      } else await exited;
    }
    expect(killed, 'the export finished before it could be killed on every attempt').toBe(true);
    expect(partialNames().length).toBeGreaterThan(0);
    const r = await cliIn(['export', project, '--channel', 'grey', '--out', join(root, 'after.nrrd')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Removed what interrupted exports had left: .*killed\.raw\.\d+\.partial \(\d+\.\d MB\)/);
    expect(partialNames()).toEqual([]);
    expect(readdirSync(join(stateDir, 'exports-in-progress'))).toEqual([]);
  }, 90_000);
});
