// A model and its card together, and a one-call segmentation of a stack from a model file.
import type { Shape3 } from '../../src-shared/volume';
import { loadModelCard, type ModelCard } from './model-card';
import { openModel, type OpenedModel, type OpenModelOptions } from './session';
import { segmentStack, type GetSlice, type SegmentOptions, type SegmentStats, type WriteSlice } from './segment-stack';

export interface LoadedModel extends OpenedModel {
  card: ModelCard;
}

/** Opens the model, then reads its card (models/NAME.json); the session is released when the card is bad. */
export async function loadModel(modelPath: string, opts: OpenModelOptions & { cardPath?: string } = {}): Promise<LoadedModel> {
  const opened = await openModel(modelPath, opts);
  try {
    return { ...opened, card: await loadModelCard(modelPath, opts.cardPath) };
  } catch (e) {
    await opened.session.release();
    throw e;
  }
}

/** loadModel + segmentStack + release: writeSlice is never called when the model cannot be opened. */
export async function segmentWithModel(
  modelPath: string,
  shape: Shape3,
  getSlice: GetSlice,
  writeSlice: WriteSlice,
  opts: SegmentOptions & OpenModelOptions & { cardPath?: string } = {},
): Promise<SegmentStats & { ep: OpenedModel['ep']; reason: string }> {
  const model = await loadModel(modelPath, opts);
  try {
    const stats = await segmentStack(model, shape, getSlice, writeSlice, opts);
    return { ...stats, ep: model.ep, reason: model.reason };
  } finally {
    await model.session.release();
  }
}
