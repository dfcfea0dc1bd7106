// What the CLI says about malformed input, end to end: negative numbers reach
// the option's own check (node's parseArgs alone calls "-5" an ambiguous
// option), and broken TIFF headers are reported with what to do. Exit 1 for
// bad input, never 2 or 3.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTiffStack } from '../../src-main/tiff-write';
import { tempDir } from '../helpers/python';
import { cli, cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
let project: string;
let stack: string;
beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-cli-messages-'));
  stack = join(root, 'stack.tif');
  await writeTiffStack(stack, { shape: [2, 6, 8], dtype: 'uint8', voxelSizeNm: { x: 5, y: 5, z: 5 } }, [new Uint8Array(48), new Uint8Array(48)]);
  project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
});
afterAll(() => cleanup());

describe('negative numbers as option values', () => {
  it('--pixel-size-nm -5 says "must be a positive number of nm" (exit 1), not "argument is ambiguous"', async () => {
    const [spaced, joined, exponent] = await Promise.all([
      cli(['import', project, stack, '--pixel-size-nm', '-5']),
      cli(['import', project, stack, '--pixel-size-nm=-5']),
      cli(['import', project, stack, '--pixel-size-nm', '5', '--slice-spacing-nm', '-1e3']),
    ]);
    for (const r of [spaced, joined]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('fibrecon: error [invalid_input]: --pixel-size-nm must be a positive number of nm, got "-5": give it as a plain number with a decimal point, e.g. --pixel-size-nm 2.5.');
      expect(r.stderr).not.toContain('ambiguous');
    }
    expect(exponent.code).toBe(1);
    expect(exponent.stderr).toContain('--slice-spacing-nm must be a positive number of nm, got "-1e3"');
  });

  it('a negative number after a flag that takes no value is still an unknown option (exit 2)', async () => {
    // --keep-data-bar takes no value: "-5" after it stays an (unknown) option, a wrong command line.
    const r = await cli(['import', project, stack, '--keep-data-bar', '-5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '-5'");
  });
});

describe('broken TIFF headers through `fibrecon import`', () => {
  it('a header cut at 6 bytes is "cut short: copy it again"; a first IFD offset of 0 is "re-export"', async () => {
    const whole = readFileSync(stack);
    const cut = join(root, 'cut.tif');
    writeFileSync(cut, whole.subarray(0, 6));
    const empty = join(root, 'no-image.tif');
    writeFileSync(empty, Uint8Array.from([0x49, 0x49, 42, 0, 0, 0, 0, 0]));
    const [a, b] = await Promise.all([cli(['import', project, cut, '--pixel-size-nm', '5']), cli(['import', project, empty, '--pixel-size-nm', '5'])]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('[corrupt_file]: cut.tif is cut short: it has 6 bytes, fewer than the 8 bytes of a TIFF header alone; copy the file again from the microscope PC');
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('no-image.tif contains no image: its header points to no image directory (first IFD offset 0)');
    expect(b.stderr).toContain('re-export the stack as TIFF from the instrument software or Fiji');
  });
});
