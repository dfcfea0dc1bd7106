// The pixel classifier against Otsu, k-means and the shipped U-Nets on stacks from
// two independent generators (the app's own forward model and the independent
// simulator in training/indep_sim), scored on the slices the simulated user did not
// paint. Prints one table per stack.
//   npm run bench:classifier [-- --size 24,128,128 --rounds 3 --budget 0.01]
import { parseArgs } from 'node:util';
import { appSyntheticStack } from '../tests/helpers/app-synthetic-stack';
import { evaluateClassifier, type EvaluationResult } from '../tests/helpers/classifier-evaluation';
import { makeIndepStack } from '../tests/helpers/indep-sim';

const { values } = parseArgs({ options: { size: { type: 'string', default: '24,128,128' }, rounds: { type: 'string', default: '3' }, budget: { type: 'string', default: '0.01' }, families: { type: 'string', default: 'spinodal,grains,pores' }, models: { type: 'string', default: 'unet25d-w7-2kv,unet2d-2kv,unet3d-2kv' }, 'feature-model': { type: 'string' } } });
const [nz, ny, nx] = values.size!.split(',').map(Number);
const painted = [Math.floor(nz / 6), Math.floor(nz / 2), Math.floor((5 * nz) / 6)];
const opts = { painted, budgetFraction: Number(values.budget), rounds: Number(values.rounds), models: values.models!.split(',').filter(Boolean), featureModel: values['feature-model'] };


function print(name: string, r: EvaluationResult): void {
  const f = (x: number) => x.toFixed(2).padStart(7);
  console.log(`\n${name}: painted ${r.paintedPixels} px (${(100 * r.paintedFraction).toFixed(2)} % of ${painted.length} slices), held-out slices ${r.heldOut.length}`);
  console.log('method                      MP %   MGP %    mIoU');
  r.rounds.forEach((q, i) => console.log(`classifier round ${i} (${String(q.painted).padStart(4)} px) ${f(q.score.mp)} ${f(q.score.mgp)} ${q.score.miou.toFixed(4).padStart(7)}   CV on painted px ${q.estimate ? q.estimate.mp.toFixed(2) : '-'} %, whole-slice estimate ${q.wholeSliceMp?.toFixed(2) ?? '-'} %`));
  for (const [m, s] of Object.entries(r.others)) console.log(`${m.padEnd(26)} ${f(s.mp)} ${f(s.mgp)} ${s.miou.toFixed(4).padStart(7)}`);
}

const app = await appSyntheticStack([nz, ny, nx], 100, 2);
print('app forward model, HNPG seed 100, 2 kV TLD', await evaluateClassifier(app.grey, app.truth, opts));
for (const family of values.families!.split(',')) {
  const s = makeIndepStack({ family: family as 'spinodal', seed: 5, shape: [nz, ny, nx], kv: 2, featurePx: 12 });
  try {
    print(`independent simulator, ${family} seed 5, 2 kV TLD`, await evaluateClassifier(s.grey, s.truth, opts));
  } finally {
    s.cleanup();
  }
}
