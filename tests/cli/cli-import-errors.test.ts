// fibrecon import that must fail: bad flag values, a missing path, channels of
// different sizes. Each exits 1 with a message that names what is wrong, and
// leaves the project exactly as it was (info --json before == after).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';
import { makeSlices, writeStackWithTifffile } from '../helpers/stacks';
import { cli, cliOk, infoJson, runsJson } from './run-cli';

let root: string;
let cleanup: () => void;
let project: string;
let good: string;
let smaller: string;
let before: ProjectSummary;
const [nz, ny, nx] = [3, 10, 12];

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-import-errors-'));
  good = join(root, 'good.tif');
  smaller = join(root, 'smaller.tif');
  writeStackWithTifffile(good, makeSlices(nz, ny, nx, 'uint8', 21), ny, nx, { layout: 'multipage' });
  writeStackWithTifffile(smaller, makeSlices(nz, ny - 2, nx, 'uint8', 22), ny - 2, nx, { layout: 'multipage' });
  project = join(root, 'p.fibrecon');
  await cliOk(['create', project, '--name', 'errors']);
  // One channel already there, so that "unchanged" means more than "still empty".
  await cliOk(['import', project, good, '--name', 'first', '--pixel-size-nm', '5']);
  before = await infoJson(project);
  expect(before.channels.map((c) => c.name)).toEqual(['first']);
});
afterAll(() => cleanup());

async function expectUnchanged() {
  expect(await infoJson(project)).toEqual(before);
}

describe('fibrecon import: bad input', () => {
  it('bad flag values exit 1 with a message naming the flag and the value; the project is unchanged', async () => {
    const cases: [string[], string][] = [
      [['--pixel-size-nm', '0'], '--pixel-size-nm must be a positive number of nm, got "0"'],
      [['--pixel-size-nm', 'abc'], '--pixel-size-nm must be a positive number of nm, got "abc"'],
      [['--slice-spacing-nm', 'NaN'], '--slice-spacing-nm must be a positive number of nm, got "NaN"'],
      [['--beam-kv', '0'], '--beam-kv must be a positive number of kV, got "0"'],
      [['--crop', '1,2,3'], '--crop takes X,Y,WIDTH,HEIGHT'],
      [['--crop', '1,2,0,4'], '--crop takes X,Y,WIDTH,HEIGHT'],
      [['--crop', '1.5,2,3,4'], '--crop takes X,Y,WIDTH,HEIGHT'],
    ];
    const results = await Promise.all(cases.map(([flagArgs]) => cli(['import', project, good, '--name', 'second', '--pixel-size-nm', '5', ...flagArgs])));
    for (const [i, r] of results.entries()) {
      const [flagArgs, message] = cases[i];
      expect(r.code, `${flagArgs.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('[invalid_input]');
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(`"${flagArgs[1]}"`);
    }
    // These are refused before the project is opened: one look after all of them is enough.
    await expectUnchanged();
  });

  it('a crop that does not fit in the image exits 1 and says so', async () => {
    const r = await cli(['import', project, good, '--name', 'second', '--pixel-size-nm', '5', '--crop', `4,0,${nx},${ny}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/region of interest .* does not fit in the 12 x 10 px images of "second"/);
    await expectUnchanged();
  });

  it('a missing path exits 1 with tag file_not_found and the path in the message', async () => {
    const missing = join(root, 'no-such-stack.tif');
    const r = await cli(['import', project, missing, '--pixel-size-nm', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[file_not_found]');
    expect(r.stderr).toContain(missing);
    await expectUnchanged();
  });

  it('a stack without pixel size and no --pixel-size-nm exits 1 and says which flag to use', async () => {
    const r = await cli(['import', project, good, '--name', 'second']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No pixel size found');
    expect(r.stderr).toContain('--pixel-size-nm');
    await expectUnchanged();
  });

  it('channels of different sizes in one call: exit 1, size_mismatch, the file named; neither channel is kept', async () => {
    // The first new channel fits the project; the second is two rows shorter.
    const r = await cli(['import', project, '--channel', `ok=${good}`, '--channel', `short=${smaller}`, '--pixel-size-nm', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[size_mismatch]');
    expect(r.stderr).toContain('smaller.tif');
    expect(r.stderr).toContain('"short"');
    await expectUnchanged();
  });

  it('a channel that does not match the channel already in the project: exit 1, size_mismatch, the file named', async () => {
    const r = await cli(['import', project, smaller, '--name', 'other', '--pixel-size-nm', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[size_mismatch]');
    expect(r.stderr).toContain('smaller.tif');
    expect(r.stderr).toContain('"first"');
    await expectUnchanged();
  });

  it('a channel name the project already has exits 1 and the project is unchanged', async () => {
    const r = await cli(['import', project, good, '--name', 'first', '--pixel-size-nm', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already has a channel named "first"');
    await expectUnchanged();
  });

  // Wrong values typed by the user are input errors (exit 1, invalid_input), not internal errors.
  it('an empty or too long channel name or detector is invalid input (exit 1), not an internal error (exit 3)', async () => {
    const cases = [
      ['--name', ''],
      ['--name', 'n'.repeat(65)],
      ['--detector', ''],
    ];
    const results = await Promise.all(cases.map((c) => cli(['import', project, good, '--pixel-size-nm', '5', ...c])));
    for (const [i, r] of results.entries()) {
      expect(r.code, `${JSON.stringify(cases[i])}: ${r.stderr.split('\n')[0]}`).toBe(1);
      expect(r.stderr).toContain('[invalid_input]');
    }
    await expectUnchanged();
  });

  it('none of the failures above left a run record behind that claims success', async () => {
    const runs = await runsJson(project);
    expect(runs.filter((r) => r.status === 'done')).toHaveLength(1);
    expect(runs.every((r) => r.status === 'done' || r.status === 'failed')).toBe(true);
  });
});
