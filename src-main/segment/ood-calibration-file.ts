// Reads the calibrated out-of-distribution threshold (models/ood-calibration.json,
// written by bench/ood-calibration.ts --write). A models folder of one's own
// (FIBRECON_MODELS_DIR) may carry its own file; without one, the app's is used.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src-shared/errors';
import { modelsDir } from './model-files';
import { oodCalibrationSchema, type OodCalibration } from './ood/ood-score';

export const OOD_CALIBRATION_FILE = 'ood-calibration.json';

/** The app's own models folder (where the shipped calibration lives). */
export function shippedModelsDir(): string {
  return fileURLToPath(new URL('../../models/', import.meta.url));
}

function readCalibration(path: string): OodCalibration {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AppError('corrupt_file', `${path} is not valid JSON (${(e as Error).message}): run npm run bench:ood -- --write to make it again.`, path);
  }
  const parsed = oodCalibrationSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('corrupt_file', `${path} is not a valid out-of-distribution calibration (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): run npm run bench:ood -- --write to make it again.`, path);
  }
  return parsed.data;
}

/** The calibration of the models folder, else the app's; undefined when neither exists. */
export function loadOodCalibration(dir = modelsDir()): OodCalibration | undefined {
  for (const d of [dir, shippedModelsDir()]) {
    const path = join(d, OOD_CALIBRATION_FILE);
    if (existsSync(path)) return readCalibration(path);
  }
  return undefined;
}
