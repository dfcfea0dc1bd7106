// The model card: a JSON file next to an ONNX model (models/NAME.onnx ->
// models/NAME.json) that says what the model expects and what it returns.
// Schema and meaning: docs/inference.md.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../src-shared/errors';

export const MODEL_KINDS = ['segmentation-2d', 'segmentation-2.5d', 'segmentation-3d', 'inpainting'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const finite = z.number().finite();

export const normalisationSchema = z.discriminatedUnion('type', [
  /** Raw voxel values as float32. */
  z.object({ type: z.literal('none') }).strict(),
  /** (v - mean) / std, in raw voxel units. */
  z.object({ type: z.literal('scale'), mean: finite, std: finite.positive() }).strict(),
  /** (v - min) / (max - min), optionally clipped to [0, 1]. */
  z.object({ type: z.literal('minmax'), min: finite, max: finite, clip: z.boolean().default(true) }).strict(),
  /** Like minmax with min/max = the low/high percentiles of each input slice (numpy 'linear' percentiles). */
  z
    .object({ type: z.literal('minmax-percentile'), low: z.number().min(0).max(100), high: z.number().min(0).max(100), clip: z.boolean().default(true) })
    .strict(),
]);
export type Normalisation = z.infer<typeof normalisationSchema>;

export const modelCardSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(MODEL_KINDS),
    description: z.string().optional(),
    input: z
      .object({
        /** Slices the model sees at once: 1 for 2D, an odd window (e.g. 7) for 2.5D, the patch depth for 3D. Default 1. */
        slices: z.number().int().min(1).default(1),
        /** Square tile edge in pixels (the model's H = W). */
        tile: z.number().int().min(1),
        /** Overlap of neighbouring tiles in pixels; default tile / 8 (rounded). */
        overlap: z.number().int().min(0).optional(),
        /** 3D only: overlap of neighbouring z patches in slices; default floor(slices / 4). */
        overlapSlices: z.number().int().min(0).optional(),
        normalisation: normalisationSchema.default({ type: 'none' }),
        /**
         * Optional: the model reads several stacks of the same sample at once (e.g. late fusion of
         * 1, 2 and 4 kV). One entry per input stack, in the order the model concatenates their
         * windows along the channel axis: input channels = channels.length * slices, channel
         * c * slices + k = slice k of the window of stack c. Each stack is normalised on its own.
         * Absent: one stack.
         */
        channels: z
          .array(
            z
              .object({
                /** Beam energy the stack was imaged at (kV). */
                beamKeV: finite.positive().optional(),
                /** Detector (e.g. "TLD"). */
                detector: z.string().min(1).optional(),
                /** What to feed here, in words (e.g. "1 kV TLD stack"). */
                label: z.string().min(1).optional(),
              })
              .strict(),
          )
          .min(1)
          .optional(),
        /**
         * Inpainting models only (kind 'inpainting'): scales of the input channels built from a
         * repositioned binary volume (src-main/geometry/inpaint-input.ts).
         */
        inpainting: z
          .object({
            /** Channel 0 is tanh(signed distance in nm / distanceScaleNm). */
            distanceScaleNm: finite.positive(),
            /** Channel 2 is min(rows to the nearest measured row / gapScaleRows, 4). */
            gapScaleRows: finite.positive(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    output: z
      .object({
        /** Output channels of the model (dimension 1 of the output tensor). */
        channels: z.number().int().min(1),
        /** What the engine applies to the raw output: 'none' when the model already returns probabilities. */
        activation: z.enum(['none', 'sigmoid', 'softmax']),
        /** What each channel means; for 1 channel, the class whose probability it is (e.g. ["solid"]). */
        classes: z.array(z.string().min(1)).min(1),
        /** 1 channel: label 1 where probability >= threshold. Default 0.5. */
        threshold: z.number().min(0).max(1).default(0.5),
      })
      .strict(),
    /**
     * Optional: what the model was trained on, for the out-of-distribution check
     * (src-main/segment/ood): [low, high] ranges and lists. Informational beside the
     * calibrated score; a stack outside them is named in the warning.
     */
    trainedRange: z
      .object({
        /** The training data in words (generator, preset, seeds). */
        data: z.string().min(1),
        pixelNm: z.tuple([finite.positive(), finite.positive()]).optional(),
        beamKeV: z.tuple([finite.positive(), finite.positive()]).optional(),
        detectors: z.array(z.string().min(1)).optional(),
        fills: z.array(z.string().min(1)).optional(),
        solidFraction: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).optional(),
        /** Mean chord (solid and pore, along x and y) of Otsu's labels of the training stacks, px and nm. */
        otsuChordPx: z.tuple([finite.positive(), finite.positive()]).optional(),
        otsuChordNm: z.tuple([finite.positive(), finite.positive()]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((card, ctx) => {
    const { slices, tile, overlap, overlapSlices } = card.input;
    const issue = (path: (string | number)[], message: string): void => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    if (card.kind === 'segmentation-2d' && slices !== 1) issue(['input', 'slices'], `a 2D model sees 1 slice, not ${slices}`);
    if (card.kind === 'segmentation-2.5d' && (slices < 3 || slices % 2 === 0)) issue(['input', 'slices'], `a 2.5D model needs an odd window of 3 or more slices, got ${slices}`);
    if (overlap !== undefined && overlap >= tile) issue(['input', 'overlap'], `overlap (${overlap} px) must be smaller than the tile (${tile} px)`);
    if (overlapSlices !== undefined && (card.kind !== 'segmentation-3d' || overlapSlices >= slices)) {
      issue(['input', 'overlapSlices'], card.kind !== 'segmentation-3d' ? 'overlapSlices is for 3D models only' : `overlapSlices (${overlapSlices}) must be smaller than the patch depth (${slices})`);
    }
    if (card.kind === 'inpainting' && !card.input.inpainting) issue(['input', 'inpainting'], 'an inpainting model needs input.inpainting {distanceScaleNm, gapScaleRows}');
    if (card.kind !== 'inpainting' && card.input.inpainting) issue(['input', 'inpainting'], 'input.inpainting is for inpainting models only');
    if (card.kind === 'inpainting' && card.output.channels !== 1) issue(['output', 'channels'], 'an inpainting model returns 1 channel (solid)');
    if (card.input.channels && card.input.channels.length > 1 && card.kind === 'segmentation-3d') issue(['input', 'channels'], 'several input stacks are supported for 2D / 2.5D models only');
    const n = card.input.normalisation;
    if (n.type === 'minmax' && !(n.max > n.min)) issue(['input', 'normalisation'], `max (${n.max}) must be greater than min (${n.min})`);
    if (n.type === 'minmax-percentile' && !(n.high > n.low)) issue(['input', 'normalisation'], `high percentile (${n.high}) must be greater than low (${n.low})`);
    const { channels, activation, classes } = card.output;
    if (activation === 'softmax' && channels < 2) issue(['output', 'activation'], 'softmax needs 2 or more output channels');
    if (classes.length !== channels) issue(['output', 'classes'], `${channels} output channel(s) but ${classes.length} class name(s): give one name per channel`);
  });

/** A validated card, defaults filled in. */
export type ModelCard = z.infer<typeof modelCardSchema>;

/** Number of input stacks the model reads (input.channels, default 1). */
export function inputStacks(card: ModelCard): number {
  return card.input.channels?.length ?? 1;
}

/** Describes input stack c of the card for messages: "1 kV TLD" or "stack 2". */
export function describeInputStack(card: ModelCard, c: number): string {
  const ch = card.input.channels?.[c];
  if (!ch) return `stack ${c + 1}`;
  if (ch.label) return ch.label;
  const parts = [ch.beamKeV !== undefined ? `${ch.beamKeV} kV` : '', ch.detector ?? ''].filter(Boolean);
  return parts.length ? parts.join(' ') : `stack ${c + 1}`;
}

/** Tile overlap in pixels, default applied. */
export function tileOverlap(card: ModelCard): number {
  return card.input.overlap ?? Math.round(card.input.tile / 8);
}

/** 3D patch overlap in slices, default applied. */
export function sliceOverlap(card: ModelCard): number {
  return card.input.overlapSlices ?? Math.floor(card.input.slices / 4);
}

/** models/NAME.onnx -> models/NAME.json (any other name: NAME + '.json'). */
export function modelCardPath(modelPath: string): string {
  return modelPath.toLowerCase().endsWith('.onnx') ? modelPath.slice(0, -5) + '.json' : modelPath + '.json';
}

/** Validates a parsed card; `where` names its file in the message. */
export function parseModelCard(value: unknown, where = 'the model card'): ModelCard {
  const parsed = modelCardSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(card)'}: ${i.message}`).join('; ');
    throw new AppError('invalid_input', `${where} is not a valid model card: ${problems}. See docs/inference.md for the fields.`);
  }
  return parsed.data;
}

/** Reads and validates the card next to a model (or at `cardPath`). */
export async function loadModelCard(modelPath: string, cardPath = modelCardPath(modelPath)): Promise<ModelCard> {
  let text: string;
  try {
    text = await readFile(cardPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('file_not_found', `No model card ${cardPath} next to the model: write one (name, kind, input, output; see docs/inference.md).`, cardPath);
    }
    throw new AppError('file_not_found', `Cannot read the model card ${cardPath}: ${(e as Error).message}.`, cardPath);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new AppError('corrupt_file', `The model card ${cardPath} is not valid JSON (${(e as Error).message}): fix it or write it again.`, cardPath);
  }
  return parseModelCard(json, `The model card ${cardPath}`);
}
