// The app-generator half of the domain-randomised training data (training/domain_random.py):
// writes one synthetic sample per spec with the app's own writer (src-main/synth,
// writeSyntheticSample), no ruler band, so that the whole image is the structure.
// The parameters are drawn by domain_random.py (seeded numpy) and passed in a JSON file:
//   [{ "dir": "training/data/dr/app-hnpg-1001", "params": <SyntheticSampleParams> }, ...]
// Each dir gets <kV>kV_<detector>.tif, truth.tif and manifest.json (as `fibrecon synth`).
// Usage: node --import tsx training/domain_random_app.ts SPECS.json
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticSample, type SyntheticSampleParams } from '../src-main/synth/write-synthetic-sample';

interface Spec {
  dir: string;
  params: SyntheticSampleParams;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx training/domain_random_app.ts SPECS.json');
  process.exit(2);
}
const specs = JSON.parse(readFileSync(file, 'utf8')) as Spec[];
for (const s of specs) {
  if (existsSync(join(s.dir, 'manifest.json'))) continue;
  const t0 = performance.now();
  await writeSyntheticSample(s.dir, s.params);
  console.log(`${s.dir}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
