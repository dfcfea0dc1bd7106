// What the wizard says (no DOM): the methods explained in one sentence, the
// exact parameters of a run in one line, and what a volume's metadata says
// about how it was made. Pure, so that Node tests check every sentence.
import type { ModelInfo, ReconstructJobRequest, SegmentJobRequest, VolumeSummary } from '../../src-shared/contract';
import type { ReconstructMethod, SegmentationMethod } from '../../src-shared/pipeline-methods';
import { formatNm } from '../format';

export const SEGMENT_METHOD_TEXT: Record<SegmentationMethod, string> = {
  otsu: 'Otsu: one threshold on the global grey histogram; brighter than it is solid.',
  'multi-otsu': 'Multi-Otsu: 3 grey classes; the brightest is solid, the middle one is taken as shine-through and set to pore.',
  kmeans: 'k-means: 3 grey classes; the brightest is solid, the middle one is taken as shine-through and set to pore.',
  hybrid: 'Hybrid: a threshold at the foot of the solid peak of the histogram, then each superpixel (SLIC) labelled as a whole by its mean.',
  model: 'Model: a trained network (ONNX) tiled over every slice; models that see several slices suppress shine-through best.',
  auto: 'auto (recommended): with pore and solid painted on this volume, the method with the lowest MP on your annotations; else the default model where its out-of-distribution check says it knows this kind of stack, else Otsu or k-means, whichever boundary follows the sharper grey edges; the result says which and why.',
  'pixel-classifier':
    'Pixel classifier: learns from the pore and solid strokes you paint on a few slices (a random forest on grey, edge, texture and neighbouring-slice features), with an accuracy estimate from slices it did not learn from.',
};

export const RECONSTRUCT_METHOD_TEXT: Record<ReconstructMethod, string> = {
  nearest: 'Repositioning + nearest: every slice at its measured z on the fine grid; each gap takes the nearest measured slice.',
  linear: 'Repositioning + linear: gaps interpolated linearly between the two measured neighbours.',
  cubic: 'Repositioning + cubic spline (not-a-knot): the most accurate classical gap filling (RCS in [Sardhara2023]).',
  ml: 'Repositioning + ML inpainting (RML): a trained network fills the gaps of a label volume from its zx and zy planes; measured slices are kept as they are.',
  dnn: 'DNN baseline (from [Sardhara2023]): slices assumed at the target spacing, then nearest neighbour; ignores the measured z.',
  srcs: 'SRCS baseline (from [Sardhara2023]): standard repositioning on the target grid (a later slice overwrites an earlier one, which is lost), then cubic spline.',
};

export const EP_TEXT = 'auto uses CUDA when it is installed, else the CPU; the run record says which and why.';

export function formatShape(shape: readonly number[]): string {
  return shape.join(' × ');
}

export function formatVoxelSize(v: { x: number; y: number; z: number }): string {
  return `${formatNm(v.x)} × ${formatNm(v.y)} × ${formatNm(v.z)} nm`;
}

/** `<volume>-<method>` (or -model name), with -2, -3 … while the name is taken. */
export function defaultOutName(volume: string, method: string, taken: readonly string[]): string {
  const base = `${volume}-${method}`.slice(0, 60);
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

export function modelLine(m: ModelInfo): string {
  const window = m.inputSlices === 1 ? '2D, 1 slice' : `${m.inputSlices} slices`;
  return `${m.name} — ${m.kind}, input window ${window}, tile ${m.tile} px`;
}

/** The run as the CLI would spell it: every parameter that will be used. */
export function segmentCommandLine(req: SegmentJobRequest): string {
  const parts = [`segment --volume ${req.volume} --method ${req.method}`];
  if (req.method === 'model') parts.push(`--model ${req.model ?? '?'} --ep ${req.ep ?? 'auto'}`);
  if (req.tile !== undefined) parts.push(`--tile ${req.tile}`);
  if (req.batchSize !== undefined) parts.push(`--batch ${req.batchSize}`);
  parts.push(`--out ${req.out}`);
  return parts.join(' ');
}

export function reconstructCommandLine(req: ReconstructJobRequest, defaults: { gridNm: number; targetNm: number }): string {
  const parts = [`reconstruct --volume ${req.volume} --method ${req.method}`];
  if (req.method === 'dnn' || req.method === 'srcs') parts.push(`--target-nm ${formatNm(req.targetNm ?? defaults.targetNm)}`);
  else parts.push(`--grid-nm ${formatNm(req.gridNm ?? defaults.gridNm)}`);
  if (req.binaryInterpolant !== undefined) parts.push(`--binary-interpolant ${req.binaryInterpolant}`);
  if (req.model !== undefined) parts.push(`--model ${req.model}`);
  if (req.ep !== undefined) parts.push(`--ep ${req.ep}`);
  parts.push(`--out ${req.out}`);
  return parts.join(' ');
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface ModelMeta {
  name?: string;
  ep?: string;
  reason?: string;
}

/** Short "how made" for the volume table: method / model + EP / moved / lost. */
export function howMade(v: VolumeSummary): string {
  const m = v.metadata;
  const method = str(m.method);
  if (v.role === 'channel' || method === undefined) return v.role === 'channel' ? 'imported' : '—';
  const parts: string[] = [];
  const model = m.model as ModelMeta | undefined;
  if ((method === 'model' || method === 'ml') && model !== undefined) parts.push(`${method === 'ml' ? 'ML inpainting' : 'model'} ${model.name ?? '?'} on ${(model.ep ?? '?').toUpperCase()}`);
  else parts.push(method);
  if (str(m.source)) parts.push(`from ${str(m.source)}`);
  const planes = num(m.planes);
  if (planes !== undefined) {
    parts.push(`${num(m.moved) ?? 0} moved`);
    const lost = Array.isArray(m.lostSlices) ? m.lostSlices.length : 0;
    parts.push(`${lost} lost`);
  }
  const thresholds = Array.isArray(m.thresholds) ? (m.thresholds as number[]) : undefined;
  if (thresholds && thresholds.length > 0) parts.push(`thresholds ${thresholds.map((t) => formatNm(t)).join(', ')}`);
  return parts.join(' · ');
}

/** The last segmentation's result, from the volume's metadata. */
export function segmentResultLine(v: VolumeSummary): string {
  const m = v.metadata;
  const model = m.model as ModelMeta | undefined;
  const head = `"${v.name}" (${formatShape(v.shape)}, ${v.kind})`;
  const sources = Array.isArray(m.sources) ? ` from ${(m.sources as string[]).join(' + ')}` : '';
  if (str(m.method) === 'model' && model) return `${head}: model ${model.name}${sources} on ${(model.ep ?? '?').toUpperCase()} (${model.reason ?? 'no reason recorded'}).`;
  const thresholds = Array.isArray(m.thresholds) ? (m.thresholds as number[]).map((t) => formatNm(t)).join(', ') : '?';
  const convention = str(m.convention)?.replace(/\.+$/, '');
  return `${head}: ${str(m.method) ?? '?'}, thresholds ${thresholds}${convention ? ` — ${convention}` : ''}.`;
}

/** The last reconstruction's result: planes, grid, moved, lost, hole voxels filled. */
export function reconstructResultLine(v: VolumeSummary): string {
  const m = v.metadata;
  const planes = num(m.planes) ?? v.shape[0];
  const grid = num(m.gridSpacingNm) ?? v.voxelSizeNm.z;
  const parts = [`"${v.name}": ${planes} planes of ${formatNm(grid)} nm from ${num(m.sourceSlices) ?? '?'} slices (${str(m.method) ?? '?'})`];
  parts.push(`${num(m.moved) ?? 0} slice(s) moved (largest shift ${formatNm(num(m.maxShiftNm) ?? 0)} nm)`);
  parts.push(`${Array.isArray(m.lostSlices) ? m.lostSlices.length : 0} slice(s) lost`);
  if (m.binary === true) parts.push(`${num(m.holeVoxelsFilled) ?? 0} hole voxel(s) filled`);
  if (str(m.binaryInterpolant)) parts.push(`binary via ${m.binaryInterpolant === 'distance' ? 'signed distance' : '0/1 labels'}`);
  const model = m.model as ModelMeta | undefined;
  if (str(m.method) === 'ml' && model) parts.push(`gaps inpainted by ${model.name ?? '?'} on ${(model.ep ?? '?').toUpperCase()} (${model.reason ?? 'no reason recorded'})`);
  return parts.join('; ') + '.';
}
