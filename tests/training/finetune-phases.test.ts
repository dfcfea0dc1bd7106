// training/train_segmentation3d.py's fine-tune phase (--finetune-epochs) and --phase1-from, by
// which the shipped 3D model was made in two processes: one command that trains both phases
// must give the same weights and record as phase 1 alone followed by a run that takes phase 1
// from its checkpoint. Tiny runs (base 4, 2 + 2 epochs of 2 steps, one training and one
// validation stack, 16 x 64 x 64 of each) on the app's synthetic stacks (generated into training/data when missing).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, runPython, tempDir } from '../helpers/python';

const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'training', 'train_segmentation3d.py');
const COMMON = ['--base', '4', '--batch', '1', '--steps-per-epoch', '2', '--train-seeds', '1', '--val-seeds', '9',
  '--test-seeds', '100', '--eval-kv', '2', '--threads', '1', '--epochs', '2',
  // 16 x 64 x 64 of every stack: each run takes seconds (whole stacks took ~50 s, minutes on a busy machine)
  '--max-stack', '16,64,64', '--patch', '32', '--tile', '64', '--overlap', '16'];
const { dir, cleanup } = tempDir('fibrecon-finetune-');
afterAll(cleanup);
// The three synthetic stacks first (about 10 s of CPU each when missing, as on a fresh checkout).
beforeAll(async () => {
  await promisify(execFile)(PYTHON, ['-c', 'import sys; sys.path.insert(0, "training"); import fibdata; [fibdata.ensure_stack(s) for s in (1, 9, 100)]'], { cwd: ROOT });
}, 300_000);

/** Asynchronous, so that the test runner stays responsive during the runs. */
async function train(name: string, extra: string[]): Promise<void> {
  await promisify(execFile)(PYTHON, [SCRIPT, '--name', name, ...COMMON, ...extra, '--out', dir], { cwd: ROOT, maxBuffer: 1 << 26 });
}
const record = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.training.json`), 'utf8')).training;

describe('3D training: fine-tune phase in one command == phase 1, then --phase1-from', () => {
  it('same weights, same history and best epoch, reproduce command without --phase1-from', async () => {
    await train('one', ['--finetune-epochs', '2']);
    await train('p1', []);
    await train('two', ['--finetune-epochs', '2', '--phase1-from', join(dir, 'p1.pt')]);
    const same = runPython(
      `import sys, torch
a = torch.load(sys.argv[1])['state_dict']; b = torch.load(sys.argv[2])['state_dict']; c = torch.load(sys.argv[3])['state_dict']
print(all(torch.equal(a[k], b[k]) for k in a), any(not torch.equal(a[k], c[k]) for k in a if a[k].is_floating_point()))`,
      [join(dir, 'one.pt'), join(dir, 'two.pt'), join(dir, 'p1.pt')],
    ).trim();
    // identical to the one-command run, and different from phase 1 alone (the fine-tune did something)
    expect(same).toBe('True True');
    const one = record('one');
    const two = record('two');
    const strip = (h: Record<string, unknown>[]) => h.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(two.history)).toEqual(strip(one.history));
    expect(one.history.map((h: { epoch: number; phase?: number }) => [h.epoch, h.phase ?? 1])).toEqual([[1, 1], [2, 1], [3, 2], [4, 2]]);
    expect(one.history[2].lr).toBe(1e-4);
    expect(two.earlyStopping).toEqual(one.earlyStopping);
    expect(two.reproduceCommand.replace('--name two', '--name one')).toBe(one.reproduceCommand);
    expect(one.reproduceCommand).toContain('--epochs 2 --finetune-epochs 2');
    expect(one.reproduceCommand).not.toContain('phase1');
    expect(two.phase1From).toContain('p1.pt');
    expect(one.phase1From).toBeUndefined();
  }, 120_000);
});
