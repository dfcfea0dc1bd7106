// The one typed contract between the renderer and the main process. Main (IPC
// handlers), preload (named functions), the HTTP bridge (tests in a browser) and
// the renderer all import it. Requests are validated with these schemas where
// they enter the main process; errors come back as tagged values (Result).
import { z } from 'zod';
import type { Result } from './errors';
import type { DType } from './dtype';
import type { Shape3, VoxelSizeNm } from './volume';
import type { Sourced } from './metadata';
import type { StoredMetrics } from './metric-definitions';
import { BINARY_INTERPOLANTS, EP_CHOICES, PLANE_AXES, RECONSTRUCT_METHODS, SEGMENTATION_METHODS } from './pipeline-methods';

const positiveNm = z.number().finite().positive();

export const CropRectSchema = z.object({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type CropRect = z.infer<typeof CropRectSchema>;

export const OverridesSchema = z
  .object({
    pixelSizeXNm: positiveNm.optional(),
    pixelSizeYNm: positiveNm.optional(),
    sliceSpacingNm: positiveNm.optional(),
    beamVoltageV: z.number().finite().positive().optional(),
    detector: z.string().min(1).max(200).optional(),
  })
  .strict();

export const ChannelImportSchema = z
  .object({
    /** Channel name, e.g. "2kV", "TLD". */
    name: z.string().trim().min(1).max(64),
    /** One multipage TIFF, one folder of per-slice TIFFs, or a list of per-slice TIFFs. */
    paths: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const ImportRequestSchema = z
  .object({
    channels: z.array(ChannelImportSchema).min(1),
    overrides: OverridesSchema.optional(),
    /** Region of interest in pixels of the (data-bar-cropped) image. */
    crop: CropRectSchema.optional(),
    /** Crop the vendor data bar below the image (FEI ResolutionY). Default true. */
    cropDataBar: z.boolean().optional(),
  })
  .strict();
export type ImportRequest = z.infer<typeof ImportRequestSchema>;

export const CreateProjectSchema = z
  .object({ path: z.string().min(1), name: z.string().trim().min(1).max(200).optional() })
  .strict();
export const OpenProjectSchema = z.object({ path: z.string().min(1) }).strict();
export const InspectStackSchema = z.object({ paths: z.array(z.string().min(1)).min(1) }).strict();
/** One slice of a stack before import (the Import step draws the region of interest on it). */
export const PreviewStackSliceSchema = z
  .object({
    paths: z.array(z.string().min(1)).min(1),
    z: z.number().int().nonnegative().optional(),
    maxSize: z.number().int().positive().max(4096).optional(),
    /** As ImportRequest.cropDataBar (default true): the preview is the image the crop is given in. */
    cropDataBar: z.boolean().optional(),
  })
  .strict();
/** The residual translation between slice z of two volumes of one size (the Registration step's cross-channel check). */
export const ChannelShiftSchema = z.object({ reference: z.string().min(1), moving: z.string().min(1), z: z.number().int().nonnegative() }).strict();
export const JobIdSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();
export const SliceRequestSchema = z
  .object({ channel: z.string().min(1), z: z.number().int().nonnegative(), maxSize: z.number().int().positive().max(4096).optional() })
  .strict();

const volumeName = z.string().trim().min(1).max(64);

/** Any stored volume (channel or derived) as a plane: xy = a slice, xz = row `index` of every slice, yz = column `index`. */
export const PlaneRequestSchema = z
  .object({ volume: z.string().min(1), axis: z.enum(PLANE_AXES), index: z.number().int().nonnegative(), maxSize: z.number().int().positive().max(4096).optional() })
  .strict();

export const SegmentJobSchema = z
  .object({
    volume: z.string().min(1),
    method: z.enum(SEGMENTATION_METHODS),
    /** method 'model': a shipped model's name (listModels). */
    model: z.string().min(1).max(200).optional(),
    ep: z.enum(EP_CHOICES).optional(),
    tile: z.number().int().min(16).max(4096).optional(),
    batchSize: z.number().int().min(1).max(256).optional(),
    /** Model runs: resample in-plane to the card's trained feature size where the stack is far from it (default true). */
    rescale: z.boolean().optional(),
    out: volumeName,
  })
  .strict()
  .refine((r) => r.method !== 'model' || r.model !== undefined, { message: 'choose a model for method "model"', path: ['model'] });
export type SegmentJobRequest = z.infer<typeof SegmentJobSchema>;

/** The Segmentation step's preview: the chosen method (or model) on slice z only, before the run over the stack. */
export const SegmentPreviewSchema = z
  .object({
    /** As SegmentJobRequest.volume (several names separated by commas for a multi-stack model). */
    volume: z.string().min(1),
    z: z.number().int().nonnegative(),
    method: z.enum(SEGMENTATION_METHODS),
    model: z.string().min(1).max(200).optional(),
    ep: z.enum(EP_CHOICES).optional(),
    tile: z.number().int().min(16).max(4096).optional(),
    batchSize: z.number().int().min(1).max(256).optional(),
    /** As SegmentJobRequest.rescale (default true). */
    rescale: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.method !== 'model' || r.model !== undefined, { message: 'choose a model for method "model"', path: ['model'] });
export type SegmentPreviewRequest = z.infer<typeof SegmentPreviewSchema>;

/** Labels of one slice as the run would write them, and what ran. */
export interface SegmentPreview {
  volumes: string[];
  z: number;
  width: number;
  height: number;
  /** width * height bytes, row-major, base64: 1 = solid, 0 = pore (full resolution). */
  labelsBase64: string;
  solidFraction: number;
  method: string;
  /** Classical methods: grey thresholds (ascending), from the histogram of the whole stack as in the run. */
  thresholds?: number[];
  solidAbove?: number;
  convention: string;
  model?: { name: string; kind: string; ep: 'cuda' | 'cpu'; reason: string };
  /** Pixel classifier: width * height bytes, base64: how unsure it is (0 = certain, 255 = a coin flip). */
  uncertaintyBase64?: string;
  /** Pixel classifier: the accuracy estimate from the annotations alone (whole annotated slices held out), and what it learnt from. */
  classifier?: {
    estimate: { wholeSliceMpPercent: number | null; scheme: string; weaker: boolean; note: string; mpPercent: number | null; mgpPercent: number | null; meanIoU: number | null; pixels: number } | null;
    annotationVersion: number;
    painted: number;
  };
  /** First and last slice read, z. */
  slicesRead: [number, number];
  seconds: number;
  /** Method auto: the method it chose (which previewed the slice), on what basis ('annotations', 'ood-check', 'boundary-contrast'), and why. */
  auto?: { method: string; model?: string; basis: string; reason: string };
}

export const ReconstructJobSchema = z
  .object({
    volume: z.string().min(1),
    method: z.enum(RECONSTRUCT_METHODS),
    gridNm: positiveNm.optional(),
    targetNm: positiveNm.optional(),
    binary: z.boolean().optional(),
    binaryInterpolant: z.enum(BINARY_INTERPOLANTS).optional(),
    /** method 'ml': an inpainting model's name (listModels, kind 'inpainting'); default DEFAULT_INPAINT_MODEL. */
    model: z.string().min(1).max(200).optional(),
    ep: z.enum(EP_CHOICES).optional(),
    tile: z.number().int().min(16).max(4096).optional(),
    batchSize: z.number().int().min(1).max(256).optional(),
    out: volumeName,
  })
  .strict()
  .refine((r) => r.method === 'ml' || (r.model === undefined && r.ep === undefined && r.tile === undefined && r.batchSize === undefined), {
    message: 'model, ep, tile and batchSize are for method "ml" only',
    path: ['model'],
  });
export type ReconstructJobRequest = z.infer<typeof ReconstructJobSchema>;

/** Quality metrics of a label volume (job kind 'metrics'); with a truth of the same shape also MP, MGP, MDS. */
export const MetricsJobSchema = z
  .object({
    volume: z.string().min(1),
    truth: z.string().min(1).optional(),
    /** Largest r of the curves, nm; default a quarter of the shortest side. */
    rMaxNm: positiveNm.optional(),
    /** Patch side in voxels (patches of nz x patch x patch; mean and sd); default the whole volume. */
    patch: z.number().int().min(2).max(65536).optional(),
  })
  .strict();
export type MetricsJobRequest = z.infer<typeof MetricsJobSchema>;

/** Export of a stored volume to a file for another program (job kind 'export'). */
export const ExportJobSchema = z
  .object({
    volume: z.string().min(1),
    /** An id from listExportFormats. */
    format: z.string().min(1).max(64),
    /** Destination file (or folder for OME-Zarr), absolute path. */
    path: z.string().min(1).max(4096),
    /** Replace existing files (asked of the user after a 'file_exists' refusal); a project file is never replaced. */
    overwrite: z.boolean().optional(),
  })
  .strict();
export type ExportJobRequest = z.infer<typeof ExportJobSchema>;

/** Every segmentation method scored on the annotations of a grey volume (job kind 'compare'); reads only. */
export const CompareJobSchema = z
  .object({
    volume: z.string().min(1),
    /** Shipped single-stack models to score (default: every one). */
    models: z.array(z.string().min(1).max(200)).max(64).optional(),
  })
  .strict();
export type CompareJobRequest = z.infer<typeof CompareJobSchema>;

/** One method's score on the painted pixels (pore and solid annotations only). */
export interface MethodScore {
  /** A segmentation method ('otsu', 'model', 'pixel-classifier', ...). */
  method: string;
  /** Shipped model name, for method 'model'. */
  model?: string;
  /** % of the painted pixels misplaced. */
  mpPercent: number;
  /** % of the painted solid labelled pore (NaN, or null over JSON, when unknown). */
  mgpPercent: number | null;
  /** Mean intersection over union of pore and solid, 0..1. */
  meanIoU: number | null;
  pixels: number;
  /** How the score was made, in words. */
  basis: string;
  /** Pixel classifier: the estimated MP over the whole annotated slices, %. */
  wholeSliceMpPercent?: number | null;
}

/** The 'compare' job's result: every method on the user's annotations, the best named. */
export interface AnnotationScores {
  volume: string;
  annotationVersion: number;
  slices: number[];
  pixels: number;
  scores: MethodScore[];
  /** The method with the lowest MP on the annotations, and the sentence that says why. */
  best: { method: string; model?: string; reason: string };
}

export const VolumeNameSchema = z.object({ volume: z.string().min(1) }).strict();

/** Gives a stored volume another name (the layer list, `fibrecon volume rename`); every reference to it follows. */
export const RenameVolumeSchema = z.object({ volume: z.string().min(1), to: volumeName }).strict();

/** A pipeline run as recorded in the project (how a volume was made). */
export interface RunSummary {
  id: number;
  step: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  startedAt: string;
  finishedAt: string | null;
  durationS: number | null;
  softwareVersion: string;
  /** The settings the run was started with, as recorded (names as they were then). */
  params: unknown;
  modelName: string | null;
  executionProvider: string | null;
  log: string;
}

/** How a volume was made, what it was called before, and what depends on it (what a delete would take with it). */
export interface VolumeProvenance {
  volume: string;
  role: 'channel' | 'derived';
  kind: 'grey' | 'labels' | 'probability';
  createdAt: string;
  /** The run that wrote it; null when none is recorded. */
  madeBy: RunSummary | null;
  /** Other volumes the same run wrote (e.g. the channels of one registration). */
  madeWith: string[];
  /** Its renames, oldest first. */
  renames: { runId: number; from: string; to: string; at: string }[];
  dependents: {
    slices: number;
    storedBytes: number;
    /** Annotations bound to it (deleted with it). */
    annotation: { slices: number; version: number; edits: number } | null;
    /** Stored quality results of it, or against it as the truth (deleted with it). */
    metrics: number;
    /** Thickness tables measured for it (deleted with it). */
    thicknessTables: number;
    /** Trained pixel classifiers kept with it (deleted with it). */
    classifiers: number;
    /** Volumes made from it (kept: they do not need it any more, but their record names it). */
    derivedVolumes: string[];
    /** Runs that read it, newest last (kept as history). */
    usedByRuns: { id: number; step: string; startedAt: string; status: string }[];
  };
}

export interface VolumeRenameResult {
  from: string;
  to: string;
  /** The run that records the rename. */
  runId: number;
  /** Other records changed with it: annotations, classifiers, other volumes' "made from". */
  referencesUpdated: number;
}

export interface VolumeDeleteResult {
  volume: string;
  /** The run that records the delete. */
  runId: number;
  removed: { slices: number; storedBytes: number; annotationSlices: number; metrics: number; thicknessTables: number; classifiers: number };
}

const THICKNESS_RESOLUTION = z.enum(['keep', 'target', 'median', 'interpolate']);
const pixelRegion = { x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(1), height: z.number().int().min(1) };

/** A measured thickness series for a volume's slices (job kind 'thickness'): from a file or the ruler markers in its images. */
export const ThicknessJobSchema = z
  .object({
    volume: z.string().min(1),
    /** Other volumes of the same milling (channels imported together: the same slices) that get the same series, in the same transaction. */
    alsoVolumes: z.array(z.string().min(1)).max(16).optional(),
    source: z.union([
      z.object({ asv: z.string().min(1).max(4096) }).strict(),
      z.object({ table: z.string().min(1).max(4096), unit: z.enum(['nm', 'um', 'm']).optional(), column: z.enum(['thickness', 'z']).optional() }).strict(),
      z.object({ ruler: z.object({ ...pixelRegion, angleDeg: z.number().gt(0).lt(90), markerPolarity: z.enum(['bright', 'dark']).optional() }).strict() }).strict(),
    ]),
    /** What to do with flagged values (default: NaN and tiny interpolated, outliers kept). */
    resolve: z.object({ nan: THICKNESS_RESOLUTION.optional(), tiny: THICKNESS_RESOLUTION.optional(), outliers: THICKNESS_RESOLUTION.optional() }).strict().optional(),
    zLimit: z.number().finite().positive().optional(),
    targetNm: positiveNm.optional(),
    /** Move the slices to the measured z positions. */
    apply: z.boolean(),
  })
  .strict();
export type ThicknessJobRequest = z.infer<typeof ThicknessJobSchema>;

/** The latest thickness series stored for a volume, as the Thickness step shows it. */
export interface ThicknessSeries {
  tableId: number;
  volume: string;
  source: string;
  description: string;
  createdAt: string;
  /** thicknessNm[i]: milled between slice i and i + 1, nm, after resolution. */
  thicknessNm: (number | null)[];
  /** The flag each value had before resolution ('nan', 'tiny', 'outlier') or null. */
  flags: (string | null)[];
  /** Target (nominal) thickness per value, nm; null where unknown. */
  targetNm: (number | null)[] | null;
  applied: boolean;
  statistics: { count: number; validCount: number; meanNm: number; sdNm: number; minNm: number; maxNm: number; medianNm: number };
  /** Gamma fit (location 0); null when it cannot be fitted. */
  gamma: { shape: number; scaleNm: number; meanNm: number; sdNm: number; n: number; excluded: number } | null;
  /** The volume's slice z positions now, nm. */
  zPositionsNm: number[];
  /** Ruler vs ASV when the volume has both (the latest ProjectData.dat series and the latest ruler series); null otherwise. */
  comparison?: ThicknessComparison | null;
}

/** One stored series of a thickness comparison. */
export interface ThicknessComparisonSeries {
  tableId: number;
  description: string;
  /** Per slice, nm, after resolution; null where not measured. */
  thicknessNm: (number | null)[];
}

/** The ASV and ruler series of a volume side by side, and ruler − ASV over the slices where both hold a value, nm. */
export interface ThicknessComparison {
  asv: ThicknessComparisonSeries;
  ruler: ThicknessComparisonSeries;
  n: number;
  meanDiffNm: number;
  /** Sample sd (n − 1). */
  sdDiffNm: number;
  maxAbsDiffNm: number;
  /** Pearson correlation of the two series; null when undefined (fewer than 2 values or a constant series). */
  correlation: number | null;
}

/** Alignment of volumes' slices (job kind 'register'); results stored as "<name>-reg" with translationsPx in their metadata. */
export const RegisterJobSchema = z
  .object({
    volumes: z.array(z.string().min(1)).min(1).max(16),
    reference: z.string().min(1).optional(),
    /** A region (e.g. a fiducial) to match on, whole pixels. */
    region: z.object(pixelRegion).strict().optional(),
    maxShiftPx: z.number().finite().positive().optional(),
    /** Round the translations to whole pixels: no resampling, raw grey values (default: sub-pixel, bilinear). */
    wholePixels: z.boolean().optional(),
  })
  .strict();
export type RegisterJobRequest = z.infer<typeof RegisterJobSchema>;

/** One export format as the Export step offers it. */
export interface ExportFormatInfo {
  id: string;
  name: string;
  extensions: string[];
  /** Programs that read it with the voxel size. */
  readBy: string[];
  /** Marks a label volume as labels (materials), not only as uint8 numbers. */
  supportsLabels: boolean;
  /** Holds slices at uneven z. */
  supportsNonUniformZ: boolean;
  notes: string;
}

/** A stored volume: an imported channel or a derived volume (registration, segmentation, reconstruction). */
export interface VolumeSummary {
  name: string;
  role: 'channel' | 'derived';
  kind: 'grey' | 'labels' | 'probability';
  shape: Shape3;
  dtype: DType;
  voxelSizeNm: VoxelSizeNm;
  /** First and last slice z, nm. */
  zRangeNm: [number, number];
  /** How it was made (method, thresholds, model, EP...), as stored with it. */
  metadata: Record<string, unknown>;
  /** Where each voxel size came from (metadata tag, user override, "assumed ..." when nothing said it). */
  voxelSizeSource?: { x: string; y: string; z: string };
  /** The first slice gap that is not the z voxel size (slices at uneven z, as measured thicknesses leave them); null when even. */
  unevenZ?: { index: number; gapNm: number } | null;
}

export interface PlaneImage {
  volume: string;
  axis: 'xy' | 'xz' | 'yz';
  index: number;
  width: number;
  height: number;
  /** Grey values scaled to 0..255 (labels: 0 / 255), row-major, base64; rows = y for xy, z for xz and yz. */
  grey8Base64: string;
  min: number;
  max: number;
  /** Physical size of one pixel of the image as sent (after any downsampling), nm: u across, v down. */
  pixelNm: { u: number; v: number };
}

/** A slice of a stack not yet imported, as a plane (volume: the first file's name, axis 'xy', index: the slice). */
export interface StackSlicePreview extends PlaneImage {
  slices: number;
  /** Size of the image the region of interest is given in (after the data-bar crop), px. */
  imageWidth: number;
  imageHeight: number;
  /** Rows of vendor data bar removed below the image (0: none found, or not cropped). */
  dataBarRows: number;
  /** False when the files give no pixel size: pixelNm then says 1 nm per image pixel (aspect only). */
  pixelSizeKnown: boolean;
}

/** Phase correlation of slice z of `moving` against `reference`: the translation that brings moving onto reference. */
export interface ChannelShift {
  reference: string;
  moving: string;
  z: number;
  dxPx: number;
  dyPx: number;
  /** dxPx and dyPx times the reference's voxel size x and y. */
  dxNm: number;
  dyNm: number;
  /** Correlation peak in [0, 1]; below ~0.03 the estimate is unreliable. */
  peak: number;
}

/** One stored voxel, (z, y, x) indices: the orthoviews' read-out. */
export const VoxelRequestSchema = z
  .object({ volume: z.string().min(1), z: z.number().int().nonnegative(), y: z.number().int().nonnegative(), x: z.number().int().nonnegative() })
  .strict();

/** A voxel's value as stored (not the 8-bit preview of the planes) and where it lies. */
export interface VoxelValue {
  volume: string;
  z: number;
  y: number;
  x: number;
  value: number;
  dtype: DType;
  kind: 'grey' | 'labels' | 'probability';
  /** Position of the voxel centre, nm: x and y from the pixel size, z the slice's own stored z. */
  positionNm: { x: number; y: number; z: number };
}

/** A whole volume for the 3D view, downsampled by integer factors to fit the GPU. */
export const VolumeDataRequestSchema = z
  .object({
    volume: z.string().min(1),
    /** Largest uint8 block to send, bytes (default 256 MiB, at most 1 GiB). */
    maxBytes: z.number().int().min(4096).max(1024 * 1024 * 1024).optional(),
    /** The GPU's MAX_3D_TEXTURE_SIZE (default 2048). */
    maxTexture3D: z.number().int().min(16).max(16384).optional(),
  })
  .strict();

export interface VolumeData {
  volume: string;
  kind: 'grey' | 'labels';
  /** Shape after downsampling, [nz, ny, nx]. */
  shape: [number, number, number];
  /** Downsampling factor per axis [fz, fy, fx] (1 = full resolution). */
  factors: [number, number, number];
  /** Voxel size of the downsampled volume, nm. */
  voxelSizeNm: VoxelSizeNm;
  /** uint8 voxels, z-major then y then x, base64: grey scaled from min..max to 0..255, labels 0 / 1. */
  dataBase64: string;
  min: number;
  max: number;
}

export interface ModelInfo {
  name: string;
  kind: string;
  /** Input window in slices (1 = 2D). */
  inputSlices: number;
  tile: number;
  description?: string;
  /** Several input stacks (late fusion, card input.channels): what to feed each, in the model's order, e.g. "1 kV TLD". Absent: one stack. */
  inputStacks?: string[];
  /** From the model's training record (NAME.training.json or NAME.record.json) when there is one. */
  architecture?: string;
  /** Mean misclassified percentage on the held-out synthetic stacks at the trained kV (fusion: its stacks together), and Otsu's on the same stack. */
  heldOut?: { mpPercent: number; on: string; otsuMpPercent?: number };
}

/** A project opened or created recently (newest first, at most 10), kept by the backend in its recent-projects file. */
export interface RecentProject {
  path: string;
  /** The project's name when it was last opened. */
  name: string | null;
  /** ISO time of the last open. */
  openedAt: string;
  /** False when the file is no longer there (moved or deleted). */
  exists: boolean;
}

/** What the Electron preload adds to window.fibrecon beside the contract's methods (no IPC: Electron's webUtils in the page). */
export interface PreloadFileHelpers {
  /** The file system path of a File dropped on the page (empty for a File not from the disk). */
  pathForFile(file: File): string;
}

export interface ChannelSummary {
  name: string;
  shape: Shape3;
  dtype: DType;
  voxelSizeNm: VoxelSizeNm;
  /** Where each voxel size came from. */
  voxelSizeSource: { x: string; y: string; z: string };
  /** Depth covered by the slices, nm: last z minus first z. */
  depthNm: number;
  beamVoltageV?: Sourced<number>;
  detector?: Sourced<string>;
  sourceFileCount: number;
  /** Uncompressed size of the pixel data, bytes. */
  rawBytes: number;
  /** Size of the compressed slices in the project, bytes. */
  storedBytes: number;
  importedAt: string;
}

export interface ProjectSummary {
  path: string;
  name: string;
  schemaVersion: number;
  createdAt: string;
  appVersion: string;
  channels: ChannelSummary[];
  /** Jobs that were running when the app or CLI died, found on open. */
  interruptedRuns: number;
}

export interface StackInspection {
  files: string[];
  slices: number;
  width: number;
  height: number;
  dtype: DType;
  vendor: string;
  pixelSizeXNm?: Sourced<number>;
  pixelSizeYNm?: Sourced<number>;
  sliceSpacingNm?: Sourced<number>;
  beamVoltageV?: Sourced<number>;
  detector?: Sourced<string>;
  imageRows?: Sourced<number>;
  notices: string[];
}

export interface SliceImage {
  channel: string;
  z: number;
  width: number;
  height: number;
  /** Grey values scaled to 0..255 (min..max of the slice), row-major, base64. */
  grey8Base64: string;
  /** Value range of the slice before scaling. */
  min: number;
  max: number;
}

export type JobKind = 'import' | 'segment' | 'reconstruct' | 'metrics' | 'export' | 'thickness' | 'register' | 'compare';

export type JobEvent =
  | { jobId: string; kind: JobKind; type: 'progress'; fraction: number; message: string; etaS?: number }
  | { jobId: string; kind: JobKind; type: 'log'; message: string }
  /** scores: the 'compare' job's table (the only job whose result the renderer reads). */
  | { jobId: string; kind: JobKind; type: 'done'; message: string; scores?: AnnotationScores }
  | { jobId: string; kind: JobKind; type: 'failed'; error: { tag: string; message: string; file?: string } }
  | { jobId: string; kind: JobKind; type: 'cancelled'; message: string };

/** What the native menu (or a second launch with a project file) asks the window to do; one channel for all (APP_COMMAND_CHANNEL). */
export type AppCommand =
  | { command: 'new-project' | 'open-project' | 'import-stack' | 'close-project' | 'next-slice' | 'previous-slice' | 'view-3d' }
  | { command: 'open-path'; path: string };

/**
 * Sparse annotation of a grey volume for the pixel classifier: a uint8 plane per
 * slice, 0 = not annotated, other values = a class of the project's class table
 * (1 = pore, 2 = solid). Only annotated slices are stored.
 */
export interface AnnotationClass {
  value: number;
  name: string;
  /** Display colour, #rrggbb. */
  color: string;
}

/** Annotated pixels per class value; keys are the values as text: { "1": 120, "2": 40 }. */
export type AnnotationCounts = Record<string, number>;

/**
 * 'none': no annotation yet; 'current': made on the volume of that name as it is now;
 * 'replaced': made on an earlier volume of that name (deleted, then a new one stored
 * under the name); 'volume_missing': the volume is gone. Stale annotations (the last
 * two) are kept but cannot be painted or used: export them, or clear them.
 */
export type AnnotationStatus = 'none' | 'current' | 'replaced' | 'volume_missing';

export interface AnnotationEditInfo {
  /** Edit id; the annotation version right after this edit. */
  id: number;
  /** 'brush', 'eraser', 'fill', 'rect', 'pixels', 'slice', 'import', 'replace', 'clear' or 'undo'. */
  tool: string;
  author: string;
  /** ISO time. */
  at: string;
  /** Slices the edit changed, z ascending. */
  slices: number[];
  changedPixels: number;
  detail: Record<string, unknown> | null;
  /** For an undo: the edit it undid. */
  undoes: number | null;
  /** The undo that took this edit back; null while it stands. */
  undoneBy: number | null;
}

export interface AnnotationSummary {
  volume: string;
  status: AnnotationStatus;
  /** For stale annotations: what happened and what to do. */
  message?: string;
  /** (z, y, x) of the volume the annotations belong to. */
  shape: Shape3;
  /** Bumped by every edit and undo; a classifier records the version it learned from. 0: never annotated. */
  version: number;
  classes: AnnotationClass[];
  totals: AnnotationCounts;
  /** Annotated slices, z ascending, with their counts. */
  slices: { z: number; counts: AnnotationCounts }[];
  editCount: number;
  /** Edits that undoAnnotation can still take back. */
  undoable: number;
  lastEdit: AnnotationEditInfo | null;
}

const strokePoint = z.tuple([z.number().finite(), z.number().finite()]);
const annotationClassValue = z.number().int().min(1).max(255);
const annotationValue = z.number().int().min(0).max(255);
const strokeLine = { points: z.array(strokePoint).min(1).max(100_000), radiusPx: z.number().finite().min(0).max(4096) };

/**
 * One painting action on a slice, in pixels of the full-resolution slice (x = column,
 * y = row, pixel centres at integer coordinates). brush/eraser: every pixel whose
 * centre is within radiusPx of the polyline; fill: the 4-connected region of the
 * seed's annotation value (by 'annotation', default) or of grey values within
 * toleranceGrey of the seed's (by 'grey'); label 0 erases.
 */
export const AnnotationStrokeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('brush'), ...strokeLine, label: annotationClassValue }).strict(),
  z.object({ kind: z.literal('eraser'), ...strokeLine }).strict(),
  z
    .object({
      kind: z.literal('fill'),
      x: z.number().int().nonnegative(),
      y: z.number().int().nonnegative(),
      label: annotationValue,
      by: z.enum(['annotation', 'grey']).optional(),
      toleranceGrey: z.number().finite().nonnegative().optional(),
    })
    .strict(),
  z
    .object({ kind: z.literal('rect'), x: z.number().int().nonnegative(), y: z.number().int().nonnegative(), width: z.number().int().positive(), height: z.number().int().positive(), label: annotationValue })
    .strict(),
  z.object({ kind: z.literal('pixels'), indices: z.array(z.number().int().nonnegative()).min(1).max(1 << 24), label: annotationValue }).strict(),
]);
export type AnnotationStroke = z.infer<typeof AnnotationStrokeSchema>;

const annotationAuthor = z.string().trim().min(1).max(100);
export const AnnotationSliceSchema = z.object({ volume: z.string().min(1), z: z.number().int().nonnegative() }).strict();
export const PaintAnnotationSchema = z
  .object({ volume: z.string().min(1), z: z.number().int().nonnegative(), stroke: AnnotationStrokeSchema, author: annotationAuthor.optional() })
  .strict();
/** undoAnnotation and clearAnnotations: the volume, and who does it (default: the OS user). */
export const AnnotationEditSchema = z.object({ volume: z.string().min(1), author: annotationAuthor.optional() }).strict();

/** One slice's annotation as the painter draws it. */
export interface AnnotationSliceImage {
  volume: string;
  z: number;
  width: number;
  height: number;
  /** width * height bytes, row-major, base64 (0 = not annotated); null when the slice has no annotation. */
  labelsBase64: string | null;
  counts: AnnotationCounts;
  version: number;
}

export interface AnnotationPaintResult {
  volume: string;
  z: number;
  /** The version after the stroke (unchanged when the stroke changed no pixel). */
  version: number;
  changedPixels: number;
  /** Smallest rectangle holding the changed pixels; null when none changed. */
  box: { x: number; y: number; width: number; height: number } | null;
  /** The slice's counts after the stroke. */
  counts: AnnotationCounts;
}

export interface AnnotationUndoResult {
  volume: string;
  version: number;
  undone: AnnotationEditInfo;
}

export interface AnnotationClearResult {
  volume: string;
  version: number;
  /** Slices that had annotation. */
  slices: number[];
  /** True when stale annotations (of a replaced or missing volume) were deleted with their history; false: a 'clear' edit, undoable. */
  discarded: boolean;
}

/** Native save dialog for a new project file; the suggested file name is optional. */
export const ChooseNewProjectSchema = z.object({ suggestedName: z.string().trim().min(1).max(200).optional() }).strict();
/** Native open dialog for a stack: several TIFF files, or one folder of slices. */
export const ChooseImportSchema = z.object({ select: z.enum(['files', 'folder']) }).strict();

/** Everything the renderer may ask of the main process. */
export interface FibreconApi {
  appInfo(): Promise<Result<{ version: string; platform: string; bridge: 'electron' | 'http' }>>;
  createProject(req: z.infer<typeof CreateProjectSchema>): Promise<Result<ProjectSummary>>;
  openProject(req: z.infer<typeof OpenProjectSchema>): Promise<Result<ProjectSummary>>;
  closeProject(): Promise<Result<null>>;
  /** Projects opened or created recently, newest first; missing files marked. */
  listRecentProjects(): Promise<Result<RecentProject[]>>;
  projectSummary(): Promise<Result<ProjectSummary>>;
  inspectStack(req: z.infer<typeof InspectStackSchema>): Promise<Result<StackInspection>>;
  previewStackSlice(req: z.infer<typeof PreviewStackSliceSchema>): Promise<Result<StackSlicePreview>>;
  startImport(req: ImportRequest): Promise<Result<{ jobId: string }>>;
  cancelJob(req: z.infer<typeof JobIdSchema>): Promise<Result<null>>;
  getSlice(req: z.infer<typeof SliceRequestSchema>): Promise<Result<SliceImage>>;
  listVolumes(): Promise<Result<VolumeSummary[]>>;
  getPlane(req: z.infer<typeof PlaneRequestSchema>): Promise<Result<PlaneImage>>;
  listModels(): Promise<Result<ModelInfo[]>>;
  getVolumeData(req: z.infer<typeof VolumeDataRequestSchema>): Promise<Result<VolumeData>>;
  startSegment(req: SegmentJobRequest): Promise<Result<{ jobId: string }>>;
  startReconstruct(req: ReconstructJobRequest): Promise<Result<{ jobId: string }>>;
  startMetrics(req: MetricsJobRequest): Promise<Result<{ jobId: string }>>;
  /** Every stored Quality result, oldest first. */
  listMetrics(): Promise<Result<StoredMetrics[]>>;
  startExport(req: ExportJobRequest): Promise<Result<{ jobId: string }>>;
  listExportFormats(): Promise<Result<ExportFormatInfo[]>>;
  /** Scores every segmentation method on the volume's annotations (a read-only job; its done event carries the scores). */
  startCompare(req: CompareJobRequest): Promise<Result<{ jobId: string }>>;
  startThickness(req: ThicknessJobRequest): Promise<Result<{ jobId: string }>>;
  /** The latest stored thickness series of a volume; null when it has none. */
  getThickness(req: z.infer<typeof VolumeNameSchema>): Promise<Result<ThicknessSeries | null>>;
  startRegister(req: RegisterJobRequest): Promise<Result<{ jobId: string }>>;
  measureChannelShift(req: z.infer<typeof ChannelShiftSchema>): Promise<Result<ChannelShift>>;
  /** Segments slice z only (in a worker thread), as the run over the stack would; writes nothing. */
  previewSegmentation(req: SegmentPreviewRequest): Promise<Result<SegmentPreview>>;
  /** Native dialogs (desktop): the chosen path(s), null when cancelled. Over the HTTP bridge: error 'dialog_unavailable' (type or drop the path). */
  chooseProjectFile(): Promise<Result<string | null>>;
  chooseNewProjectPath(req: z.infer<typeof ChooseNewProjectSchema>): Promise<Result<string | null>>;
  chooseImportPaths(req: z.infer<typeof ChooseImportSchema>): Promise<Result<string[] | null>>;
  /** Annotation counts, version, status (stale annotations say what to do) and the class table. */
  annotationSummary(req: z.infer<typeof VolumeNameSchema>): Promise<Result<AnnotationSummary>>;
  /** One slice's annotation plane. */
  annotationSlice(req: z.infer<typeof AnnotationSliceSchema>): Promise<Result<AnnotationSliceImage>>;
  /** Applies one stroke to slice z (recorded as an undoable edit). */
  paintAnnotation(req: z.infer<typeof PaintAnnotationSchema>): Promise<Result<AnnotationPaintResult>>;
  /** Takes the last edit back, restoring exactly the slices it changed. */
  undoAnnotation(req: z.infer<typeof AnnotationEditSchema>): Promise<Result<AnnotationUndoResult>>;
  /** Removes all annotation of a volume (an undoable edit; stale annotations are deleted). */
  clearAnnotations(req: z.infer<typeof AnnotationEditSchema>): Promise<Result<AnnotationClearResult>>;
  /** One voxel's stored value and position (the orthoviews' cursor read-out). */
  getVoxel(req: z.infer<typeof VoxelRequestSchema>): Promise<Result<VoxelValue>>;
  /** How a volume was made (its run and settings), its renames, and what depends on it. */
  volumeProvenance(req: z.infer<typeof VolumeNameSchema>): Promise<Result<VolumeProvenance>>;
  /** Renames a volume and every reference to it; refused while a job runs or when the name is taken. */
  renameVolume(req: z.infer<typeof RenameVolumeSchema>): Promise<Result<VolumeRenameResult>>;
  /** Deletes a volume with its slices and what belongs only to it; refused while a job runs. */
  deleteVolume(req: z.infer<typeof VolumeNameSchema>): Promise<Result<VolumeDeleteResult>>;
  /** Subscribes to job events (one channel for every job). Returns an unsubscribe function. */
  onJobEvent(listener: (e: JobEvent) => void): () => void;
  /** Subscribes to the native menu's commands (never called in a browser). Returns an unsubscribe function. */
  onAppCommand(listener: (c: AppCommand) => void): () => void;
}

/** Request schemas by method; a method without one takes no argument. */
export const REQUEST_SCHEMAS = {
  appInfo: null,
  createProject: CreateProjectSchema,
  openProject: OpenProjectSchema,
  closeProject: null,
  listRecentProjects: null,
  projectSummary: null,
  inspectStack: InspectStackSchema,
  previewStackSlice: PreviewStackSliceSchema,
  startImport: ImportRequestSchema,
  cancelJob: JobIdSchema,
  getSlice: SliceRequestSchema,
  listVolumes: null,
  getPlane: PlaneRequestSchema,
  listModels: null,
  getVolumeData: VolumeDataRequestSchema,
  startSegment: SegmentJobSchema,
  startReconstruct: ReconstructJobSchema,
  startMetrics: MetricsJobSchema,
  listMetrics: null,
  startExport: ExportJobSchema,
  listExportFormats: null,
  startCompare: CompareJobSchema,
  startThickness: ThicknessJobSchema,
  getThickness: VolumeNameSchema,
  startRegister: RegisterJobSchema,
  measureChannelShift: ChannelShiftSchema,
  previewSegmentation: SegmentPreviewSchema,
  chooseProjectFile: null,
  chooseNewProjectPath: ChooseNewProjectSchema,
  chooseImportPaths: ChooseImportSchema,
  annotationSummary: VolumeNameSchema,
  annotationSlice: AnnotationSliceSchema,
  paintAnnotation: PaintAnnotationSchema,
  undoAnnotation: AnnotationEditSchema,
  clearAnnotations: AnnotationEditSchema,
  volumeProvenance: VolumeNameSchema,
  renameVolume: RenameVolumeSchema,
  deleteVolume: VolumeNameSchema,
  getVoxel: VoxelRequestSchema,
} as const;

export type ApiMethod = keyof typeof REQUEST_SCHEMAS;
export const API_METHODS = Object.keys(REQUEST_SCHEMAS) as ApiMethod[];

/** The IPC channel names: one per method, one for job events and one for the menu's commands. */
export { ipcChannel, JOB_EVENT_CHANNEL, APP_COMMAND_CHANNEL } from './ipc-channels';

/** Validates a request; returns the parsed value or a user-facing error message. */
export function validateRequest(method: ApiMethod, input: unknown): Result<unknown> {
  const schema = REQUEST_SCHEMAS[method];
  if (schema === null) return { ok: true, value: undefined };
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
  return { ok: false, error: { tag: 'invalid_input', message: `Invalid ${method} request (${detail}).` } };
}
