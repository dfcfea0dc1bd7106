// Where the shipped segmentation models live and how a model is named on the
// command line: a bare name (e.g. unet25d-w7-2kv) is models/NAME.onnx with its card
// models/NAME.json; anything with a path separator or ending in .onnx is a file path.
// The models folder is FIBRECON_MODELS_DIR when set, else the app's own models/.
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src-shared/errors';

export function modelsDir(): string {
  return process.env.FIBRECON_MODELS_DIR ?? fileURLToPath(new URL('../../models/', import.meta.url));
}

/** Names of the models in the models folder (NAME.onnx with a NAME.json card beside it). */
export function listModelNames(dir = modelsDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.onnx') && existsSync(join(dir, f.replace(/\.onnx$/, '.json'))))
    .map((f) => f.replace(/\.onnx$/, ''))
    .sort();
}

export function resolveModelPath(nameOrPath: string, dir = modelsDir()): string {
  if (nameOrPath.endsWith('.onnx') || nameOrPath.includes('/') || nameOrPath.includes('\\') || isAbsolute(nameOrPath)) return resolve(nameOrPath);
  const path = join(dir, `${nameOrPath}.onnx`);
  if (!existsSync(path)) {
    const names = listModelNames(dir);
    throw new AppError(
      'file_not_found',
      `There is no model named "${nameOrPath}" in ${dir}. ${names.length ? `Shipped models: ${names.join(', ')}.` : 'No models are installed there.'} Or give the path of an .onnx file with its .json card beside it.`,
    );
  }
  return path;
}
