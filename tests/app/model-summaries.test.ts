// listModels' model summaries on the shipped models and their training records
// (read here independently), and on a model whose record is missing or broken.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listModelInfos } from '../../src-main/app/model-summaries';
import { REPO } from '../cli/run-cli';
import { tempDir } from '../helpers/python';

const MODELS = join(REPO, 'models');
const json = (file: string) => JSON.parse(readFileSync(join(MODELS, file), 'utf8'));

describe('model summaries (listModels)', () => {
  const tmp = tempDir('fibrecon-model-summaries-');
  afterAll(() => tmp.cleanup());

  it('fusion: its input stacks from the card, architecture and fused MP from its record', async () => {
    const infos = await listModelInfos(MODELS);
    const fusion = infos.find((m) => m.name === 'fusion-w7-124kv')!;
    const record = json('fusion-w7-124kv.record.json');
    expect(fusion.inputStacks).toEqual(['1 kV TLD', '2 kV TLD', '4 kV TLD']);
    expect(fusion.architecture).toBe(record.architecture);
    expect(fusion.heldOut).toEqual({ mpPercent: record.evaluation.rows.find((r: { method: string }) => r.method === 'fusion').MP, on: '1+2+4 kV' });
    expect(fusion.inputSlices).toBe(7);
  });

  it('a one-stack model: no input stacks; the score at its trained kV with Otsu on the same stacks', async () => {
    const infos = await listModelInfos(MODELS);
    const m = infos.find((x) => x.name === 'unet25d-w7-4kv')!;
    const rec = json('unet25d-w7-4kv.training.json');
    const rows = rec.evaluation.rows as { method: string; kv: number; MP: number }[];
    expect(rec.trainedOn.kV).toBe(4);
    expect(m.inputStacks).toBeUndefined();
    expect(m.heldOut).toEqual({ mpPercent: rows.find((r) => r.method === 'model' && r.kv === 4)!.MP, on: '4 kV', otsuMpPercent: rows.find((r) => r.method === 'otsu' && r.kv === 4)!.MP });
  });

  it('a model without a record, or with a broken one, is listed without architecture and score', async () => {
    for (const name of ['plain', 'broken']) {
      copyFileSync(join(MODELS, 'unet2d-2kv.onnx'), join(tmp.dir, `${name}.onnx`));
      writeFileSync(join(tmp.dir, `${name}.json`), JSON.stringify({ ...json('unet2d-2kv.json'), name }));
    }
    writeFileSync(join(tmp.dir, 'broken.training.json'), '{ not json');
    const infos = await listModelInfos(tmp.dir);
    expect(infos.map((m) => m.name).sort()).toEqual(['broken', 'plain']);
    for (const m of infos) {
      expect(m).toMatchObject({ kind: 'segmentation-2d', inputSlices: 1, tile: 128 });
      expect(m.architecture).toBeUndefined();
      expect(m.heldOut).toBeUndefined();
    }
  });
});
