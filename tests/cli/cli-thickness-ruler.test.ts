// `fibrecon thickness --ruler-region`: the ruler markers in the images of a
// synthetic sample give back its true slice thicknesses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProject } from '../../src-main/project/open-project';
import { getThicknessTable } from '../../src-main/thickness';
import { tempDir } from '../helpers/python';
import { cliOk } from './run-cli';

let root: string;
let cleanup: () => void;
beforeAll(() => ({ dir: root, cleanup } = tempDir()));
afterAll(() => cleanup());

it('measures the thickness of every slice from the ruler band within 0.5 nm rms', async () => {
  const sample = join(root, 's');
  const s = JSON.parse(await cliOk(['synth', sample, '--columns', '256', '--rows', '48', '--slices', '12', '--kv', '2', '--seed', '11', '--json']));
  const manifest = JSON.parse(readFileSync(join(sample, 'manifest.json'), 'utf8'));
  const project = join(root, 'p.fibrecon');
  await cliOk(['create', project]);
  await cliOk(['import', project, s.files.stacks[0].path, '--name', '2kV']);
  const out = JSON.parse(
    await cliOk(['thickness', project, '--volume', '2kV', '--ruler-region', `0,0,256,${manifest.ruler.rows - 1}`, '--angle-deg', String(manifest.ruler.angleDeg), '--outliers', 'keep', '--json']),
  );
  const truth = readFileSync(join(sample, 'thickness-true.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  const p = openProject(project, { write: false });
  const table = getThicknessTable(p.db, out.tableId);
  p.close();
  expect(table.values).toHaveLength(truth.length);
  const rms = Math.sqrt(table.values.reduce((a, v, i) => a + ((v.thicknessNm as number) - truth[i]) ** 2, 0) / truth.length);
  expect(rms).toBeLessThan(0.5);
  expect(table.values.every((v) => v.uncertaintyNm !== null && (v.uncertaintyNm as number) > 0)).toBe(true);
});
