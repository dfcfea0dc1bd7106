// The memory an import may use, and how many slices it keeps in flight within
// it. Each slice in flight holds its plane while a worker compresses it (the
// codec's delta and byte planes: about two more planes), and the slice being
// read needs its decoded chunks on top (tiff/read-memory.ts). A page whose
// slice alone does not fit is refused before anything is read, naming the file
// and the page: a small file that declares a huge image (a decompression bomb,
// or a corrupt size tag) ends in a message instead of gigabytes allocated.
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors';

/** Default budget: enough for 16k x 16k 16-bit slices, small enough for a laptop. */
export const DEFAULT_IMPORT_MEMORY_MB = 2048;

/** Environment variable that sets the budget in MB (for machines with more memory). */
export const IMPORT_MEMORY_ENV = 'FIBRECON_IMPORT_MEMORY_MB';

/** Most slices in flight between reading and writing (keeps both cores busy). */
export const MAX_SLICES_IN_FLIGHT = 6;

/** Planes a slice occupies while it is compressed: its own, and the codec's delta and byte planes. */
const PLANES_WHILE_ENCODING = 3;

/** The budget in bytes: FIBRECON_IMPORT_MEMORY_MB when set to a positive number, else the default. */
export function importMemoryBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[IMPORT_MEMORY_ENV];
  const mb = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
  if (raw !== undefined && raw.trim() !== '' && !(mb > 0 && Number.isFinite(mb))) {
    throw new AppError('invalid_input', `${IMPORT_MEMORY_ENV}=${raw} is not a positive number of MB: set it to e.g. 8192 for 8 GB, or unset it for the default ${DEFAULT_IMPORT_MEMORY_MB} MB.`);
  }
  return Math.round((Number.isNaN(mb) ? DEFAULT_IMPORT_MEMORY_MB : mb) * 2 ** 20);
}

export interface SliceMemory {
  /** Bytes of one stored (cropped) plane. */
  planeBytes: number;
  /** Bytes at the peak of reading one slice (tiff pageReadBytes), the plane included. */
  readBytes: number;
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`;

/** Bytes one slice needs from the start of its read until it is written. */
export function sliceBytes(s: SliceMemory): number {
  return s.readBytes + (PLANES_WHILE_ENCODING - 1) * s.planeBytes;
}

/**
 * Slices the import keeps in flight: as many as fit the budget beside the one
 * being read, 1 to MAX_SLICES_IN_FLIGHT. Throws when even one slice does not fit.
 */
export function slicesInFlight(s: SliceMemory, budgetBytes: number, where: { file: string; page: number; pages: number; width: number; height: number; dtype: string }): number {
  const one = sliceBytes(s);
  if (one > budgetBytes) {
    const image = where.pages > 1 ? `image ${where.page + 1} of ${basename(where.file)}` : basename(where.file);
    throw new AppError(
      'unsupported_format',
      `${image} is ${where.width} x ${where.height} px ${where.dtype}: reading one slice needs about ${mb(one)}, more than the import's memory budget of ${mb(budgetBytes)}. ` +
        `Import a region of it (--crop X,Y,W,H), or raise the budget (${IMPORT_MEMORY_ENV}=${Math.ceil((2 * one) / 2 ** 20)}) if the machine has the memory; ` +
        'if the image should be smaller, the file is damaged: copy it again.',
      where.file,
    );
  }
  const more = Math.floor((budgetBytes - one) / (PLANES_WHILE_ENCODING * s.planeBytes));
  return Math.max(1, Math.min(MAX_SLICES_IN_FLIGHT, 1 + more));
}

/** For readers that hold a whole volume (metrics on a TIFF): refuses one that does not fit the budget, before reading it. */
export function checkVolumeFits(bytes: number, budgetBytes: number, what: { file: string; shape: readonly number[]; dtype: string }): void {
  if (bytes <= budgetBytes) return;
  const [nz, ny, nx] = what.shape;
  throw new AppError(
    'unsupported_format',
    `${basename(what.file)} holds ${nz} slices of ${nx} x ${ny} px ${what.dtype}: reading it whole needs about ${mb(bytes)}, more than the memory budget of ${mb(budgetBytes)}. ` +
      `Crop or bin it (e.g. in Fiji), or raise the budget (${IMPORT_MEMORY_ENV}=${Math.ceil((1.5 * bytes) / 2 ** 20)}) if the machine has the memory; if it should be smaller, the file is damaged: copy it again.`,
    what.file,
  );
}
