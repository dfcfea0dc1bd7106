// What the Segmentation step shows of each installed model: the card's facts
// (kind, window, tile, input stacks) and, from the training record next to it
// (NAME.training.json, or NAME.record.json for a fusion model), the
// architecture and the held-out score. A record that is missing or does not
// parse leaves those two out: the model is still usable.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelInfo } from '../../src-shared/contract';
import { describeInputStack, loadModelCard, type ModelCard } from '../inference/model-card';
import { listModelNames } from '../segment/model-files';

const evaluationRow = z.object({ MP: z.number(), method: z.string(), kv: z.union([z.number(), z.string()]), input: z.string().optional() }).passthrough();
const trainingRecord = z
  .object({
    architecture: z.string().optional(),
    trainedOn: z.object({ kV: z.union([z.number(), z.array(z.number())]).optional() }).passthrough().optional(),
    evaluation: z.object({ rows: z.array(evaluationRow) }).passthrough().optional(),
  })
  .passthrough();
type TrainingRecord = z.infer<typeof trainingRecord>;

async function readRecord(dir: string, name: string): Promise<TrainingRecord | null> {
  for (const file of [`${name}.training.json`, `${name}.record.json`]) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    try {
      const parsed = trainingRecord.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: as if there were no record.
    }
  }
  return null;
}

/** The model's row at its trained kV (a fusion model: its 'fusion' row) and Otsu's row on the same stack. */
export function heldOutScore(record: TrainingRecord): ModelInfo['heldOut'] {
  const rows = record.evaluation?.rows ?? [];
  const kv = record.trainedOn?.kV;
  const own = rows.find((r) => r.method === 'fusion') ?? rows.find((r) => r.method === 'model' && typeof kv === 'number' && r.kv === kv);
  if (!own) return undefined;
  const otsu = typeof own.kv === 'number' ? rows.find((r) => r.method === 'otsu' && r.kv === own.kv) : undefined;
  const on = own.input ?? (typeof own.kv === 'number' ? `${own.kv} kV` : String(own.kv));
  return { mpPercent: own.MP, on, ...(otsu ? { otsuMpPercent: otsu.MP } : {}) };
}

export function modelInfo(name: string, card: ModelCard, record: TrainingRecord | null): ModelInfo {
  const stacks = card.input.channels;
  const heldOut = record ? heldOutScore(record) : undefined;
  return {
    name,
    kind: card.kind,
    inputSlices: card.input.slices,
    tile: card.input.tile,
    description: card.description,
    ...(stacks ? { inputStacks: stacks.map((_, c) => describeInputStack(card, c)) } : {}),
    ...(record?.architecture ? { architecture: record.architecture } : {}),
    ...(heldOut ? { heldOut } : {}),
  };
}

export async function listModelInfos(dir: string): Promise<ModelInfo[]> {
  const models: ModelInfo[] = [];
  for (const name of listModelNames(dir)) {
    const card = await loadModelCard(join(dir, `${name}.onnx`));
    models.push(modelInfo(name, card, await readRecord(dir, name)));
  }
  return models;
}
