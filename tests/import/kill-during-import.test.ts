// A kill -9 in the middle of a large import must leave the project exactly as
// it was before the import (only the run record says one was tried).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importChannels } from '../../src-main/import/import-channels';
import { createProject, integrityCheck, openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

function dump(path: string) {
  const p = openProject(path, { write: false });
  p.db.function('sha256', (b: unknown) => createHash('sha256').update(b as Buffer).digest('hex'));
  const state = {
    volumes: p.db.prepare('SELECT id, name, nz, ny, nx, raw_bytes, stored_bytes FROM volume ORDER BY id').all(),
    files: p.db.prepare('SELECT id, volume_id, path, sha256 FROM input_file ORDER BY id').all(),
    slices: p.db.prepare('SELECT volume_id, z_index, z_nm, sha256(data) AS h FROM slice ORDER BY volume_id, z_index').all(),
  };
  p.close();
  return state;
}

it('survives kill -9 during a large import: previous state intact, integrity check passes, run marked interrupted', async () => {
  const project = join(root, 'killed.fibrecon');
  const small = join(root, 'first.tif'); // channels of a sample must agree in size
  const big = join(root, 'big.tif');
  writeStackWithTifffile(small, makeSlices(160, 256, 256, 'uint16', 1), 256, 256, { layout: 'multipage' });
  writeStackWithTifffile(big, makeSlices(160, 256, 256, 'uint16', 2), 256, 256, { layout: 'multipage' });

  const p = createProject(project, { appVersion: 'test' });
  await importChannels(p, { channels: [{ name: 'before', paths: [small] }], overrides: { pixelSizeXNm: 5 } }, { appVersion: 'test' });
  p.close();
  const before = dump(project);

  const child = spawn(process.execPath, ['bin/fibrecon.mjs', 'import', project, '--channel', `big=${big}`, '--pixel-size-nm', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const killedAt = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /(\d+)% Importing "big": slice (\d+)/.exec(stderr.split('\n').reverse().find((l) => l.includes('Importing')) ?? '');
      if (m && Number(m[1]) >= 10) {
        child.kill('SIGKILL');
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`import ended by itself (code ${code}) before it could be killed:\n${stderr}`)));
  });
  await new Promise((r) => child.on('exit', r));
  expect(child.signalCode).toBe('SIGKILL');
  expect(killedAt).toMatch(/slice \d+/);

  // Reopen for writing (takes over the dead process's lock, marks its run).
  const q = openProject(project, { write: true });
  expect(integrityCheck(q.db)).toEqual([]);
  const runs = listRuns(q.db);
  expect(runs.map((r) => r.status)).toEqual(['done', 'interrupted']);
  q.close();
  expect(dump(project)).toEqual(before);
});
