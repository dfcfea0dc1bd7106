// Annotations to and from TIFF stacks of the volume's size (one page per slice,
// 0 = not annotated, else a class value), for other tools (Fiji, napari) and for
// moving annotations between projects. A file is checked completely (size,
// values) before anything is written; what its values mean is never guessed.
import type { Database } from 'better-sqlite3';
import { basename } from 'node:path';
import type { AnnotationClass } from '../../src-shared/contract';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { Shape3 } from '../../src-shared/volume';
import { openTiff, type TiffFile, type TiffPage } from '../tiff';
import { checkExportTargets } from '../export/export-guard';
import { writeTiffStack } from '../tiff-write';
import type { ProgressCallback } from '../../src-shared/progress';
import { describeClasses, findAnnotationTarget, listAnnotationClasses, requireCurrent } from './annotation-binding';
import { type EditOutcome, readStoredPlane } from './annotation-edits';
import { editAnnotationsStreaming } from './annotation-store';

/** value -> class for the file's values (identity for values not listed). */
export type ValueMap = ReadonlyMap<number, number>;

const fmt = (n: number): string => n.toLocaleString('en-US');

function labelPages(tiff: TiffFile): TiffPage[] {
  // Reduced-resolution copies (thumbnails) are not slices.
  return tiff.pages.filter((p) => (p.subfileType & 1) === 0);
}

function checkPages(pages: TiffPage[], path: string, shape: Shape3, volume: string): void {
  const [nz, ny, nx] = shape;
  const first = pages[0];
  const name = basename(path);
  const odd = pages.find((p) => p.width !== first.width || p.height !== first.height);
  if (odd) throw new AppError('size_mismatch', `${name}: page ${odd.index + 1} is ${odd.width} x ${odd.height} px but page 1 is ${first.width} x ${first.height} px; a label TIFF has one page per slice, all of one size.`, path);
  if (pages.length !== nz || first.width !== nx || first.height !== ny) {
    throw new AppError(
      'size_mismatch',
      `${name} is ${pages.length} x ${first.height} x ${first.width} (z, y, x: ${pages.length} page${pages.length === 1 ? '' : 's'} of ${first.width} x ${first.height} px) but "${volume}" is ${nz} x ${ny} x ${nx}: ` +
        'the label TIFF must have the size of the volume, one page per slice (export a blank one to paint in with --export).',
      path,
    );
  }
  const colour = pages.find((p) => p.samplesPerPixel !== 1 || p.photometric !== 1);
  if (colour) {
    throw new AppError(
      'unsupported_format',
      `${name}: page ${colour.index + 1} is ${colour.samplesPerPixel > 1 ? 'colour' : colour.photometric === 0 ? 'stored white-is-zero' : `photometric ${colour.photometric}`}; label values must be a single grey channel (black = 0): save it as 8-bit grey.`,
      path,
    );
  }
}

/** Reads every page of the label TIFF (its size checked against the volume first), in z order. */
export async function forEachLabelPage(path: string, shape: Shape3, volume: string, fn: (z: number, values: Uint8Array | Uint16Array) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
  const tiff = await openTiff(path);
  try {
    const pages = labelPages(tiff);
    if (pages.length === 0) throw new AppError('corrupt_file', `${basename(path)} holds no image.`, path);
    checkPages(pages, path, shape, volume);
    for (const [z, page] of pages.entries()) {
      throwIfAborted(signal);
      await fn(z, (await tiff.readPage(page.index)).data);
    }
  } finally {
    await tiff.close();
  }
}

/** A lookup table value -> class for every 16-bit value (identity where the map says nothing). */
export function valueTable(map: ValueMap): Int32Array {
  const lut = new Int32Array(65536);
  for (let v = 0; v < lut.length; v++) lut[v] = map.get(v) ?? v;
  return lut;
}

/** A page's values through the table, as a plane of class values (the values were checked by checkLabelValues). */
export function toClassPlane(values: Uint8Array | Uint16Array, lut: Int32Array): Uint8Array {
  const plane = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) plane[i] = lut[values[i]];
  return plane;
}

export interface LabelFileScan {
  /** Voxels per value after the map (index = value). */
  histogram: Float64Array;
  /** Slices holding a non-zero value after the map. */
  slices: number;
}

/** First pass over a label TIFF: its size is checked, its values counted (after the map). */
export async function scanLabelTiff(path: string, shape: Shape3, volume: string, map: ValueMap, signal?: AbortSignal): Promise<LabelFileScan> {
  const lut = valueTable(map);
  const histogram = new Float64Array(65536);
  const page = new Float64Array(65536);
  let slices = 0;
  await forEachLabelPage(
    path,
    shape,
    volume,
    (_z, values) => {
      page.fill(0);
      for (let i = 0; i < values.length; i++) page[values[i]]++;
      let any = false;
      for (let v = 0; v < page.length; v++) {
        if (page[v] === 0) continue;
        histogram[lut[v]] += page[v];
        if (lut[v] !== 0) any = true;
      }
      if (any) slices++;
    },
    signal,
  );
  return { histogram, slices };
}

/**
 * Refuses a label file whose values are not annotation, or whose meaning is not
 * clear: values outside the class table (e.g. 255 of a 0/255 mask: the message
 * says how to map them), nothing but 0, and a 0/1 file given without --map (1 is
 * pore in annotations but solid in fibrecon's segmentations). A file with no 0
 * at all (every voxel annotated) is taken as it is; the result says so.
 */
export function checkLabelValues(scan: LabelFileScan, path: string, classes: readonly AnnotationClass[], opts: { mapGiven: boolean; replace: boolean }): { dense: boolean } {
  const name = basename(path);
  const allowed = new Set([0, ...classes.map((c) => c.value)]);
  const present: number[] = [];
  for (let v = 0; v < scan.histogram.length; v++) if (scan.histogram[v] > 0) present.push(v);
  const bad = present.filter((v) => !allowed.has(v));
  if (bad.length) {
    const listed = bad.slice(0, 6).map((v) => `${v} in ${fmt(scan.histogram[v])} voxels`).join(', ') + (bad.length > 6 ? `, and ${bad.length - 6} more values` : '');
    const nonZero = present.filter((v) => v !== 0);
    const solidClass = classes.find((c) => c.name === 'solid')?.value ?? classes[classes.length - 1]?.value;
    const poreClass = classes.find((c) => c.name === 'pore')?.value ?? classes[0]?.value;
    const how =
      nonZero.length === 1
        ? `It is a 0/${nonZero[0]} mask: say which class ${nonZero[0]} is, e.g. --map ${nonZero[0]}=${solidClass} (solid) or --map ${nonZero[0]}=${poreClass} (pore); 0 stays not annotated.`
        : `Map each to a class with --map VALUE=CLASS (e.g. --map ${bad[0]}=${solidClass}), or to 0 to leave those voxels not annotated.`;
    throw new AppError('invalid_input', `${name} holds values that are not annotation classes: ${listed}. Annotations are ${describeClasses(classes)}. ${how}`, path);
  }
  const nonZero = present.filter((v) => v !== 0);
  if (nonZero.length === 0) {
    throw new AppError(
      'invalid_input',
      `${name} holds no annotation (every voxel is 0): nothing to ${opts.replace ? 'replace the annotations with' : 'add'}. To remove all annotations use --clear; to annotate, give a file with ${describeClasses(classes)}.`,
      path,
    );
  }
  if (!opts.mapGiven && nonZero.length === 1 && nonZero[0] === 1) {
    const pore = classes.find((c) => c.value === 1)?.name ?? 'class 1';
    throw new AppError(
      'invalid_input',
      `${name} holds only 0 and 1 (1 in ${fmt(scan.histogram[1])} voxels on ${scan.slices} slices): in annotations 1 = ${pore}, but in a segmentation (fibrecon's labels) 1 = solid. Say which: --map 1=1 if the 1s are ${pore} annotations, ` +
        '--map 1=2 if they are solid (0 stays not annotated), or --map 0=1 --map 1=2 to annotate every voxel from a segmentation.',
      path,
    );
  }
  return { dense: scan.histogram[0] === 0 };
}

/** Parses --map VALUE=CLASS options; the classes are checked against the class table. */
export function parseValueMap(specs: readonly string[], classes: readonly AnnotationClass[]): Map<number, number> {
  const allowed = new Set([0, ...classes.map((c) => c.value)]);
  const map = new Map<number, number>();
  for (const spec of specs) {
    const m = /^\s*(\d+)\s*=\s*(\d+)\s*$/.exec(spec);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2]) : NaN;
    if (!m || from > 65535) throw new AppError('invalid_input', `--map takes VALUE=CLASS with whole numbers (VALUE 0 to 65535), e.g. --map 255=2; got "${spec}".`);
    if (!allowed.has(to)) throw new AppError('invalid_input', `--map ${spec}: ${to} is not an annotation class (${describeClasses(classes)}).`);
    if (map.has(from) && map.get(from) !== to) throw new AppError('invalid_input', `--map gives two classes for the value ${from}.`);
    map.set(from, to);
  }
  return map;
}

export interface AnnotationExport {
  path: string;
  shape: Shape3;
  /** Slices that held annotation. */
  annotatedSlices: number;
  status: string;
}

/**
 * Writes the annotations as a uint8 ImageJ TIFF of the volume's full size (0 where
 * not annotated), with the voxel size. Works for stale annotations too (at the size
 * they were made on): exporting is how they are kept when their volume changed.
 */
export async function exportAnnotationTiff(
  db: Database,
  volume: string,
  out: string,
  opts: { overwrite?: boolean; signal?: AbortSignal; /** The open project: never a target, even with overwrite. */ protectedFiles?: readonly string[] } = {},
): Promise<AnnotationExport> {
  const t = findAnnotationTarget(db, volume);
  if (t.status === 'none' || t.status === 'current') requireCurrent(db, t);
  // The exports' own guard: never a project or database; an existing file only with overwrite.
  await checkExportTargets([{ path: out, kind: 'file' }], { overwrite: opts.overwrite, protectedFiles: opts.protectedFiles });
  const shape = t.set?.shape ?? t.volume!.shape;
  const voxelSizeNm = t.set?.voxelSizeNm ?? t.volume!.voxelSizeNm;
  const blank = new Uint8Array(shape[1] * shape[2]);
  let annotated = 0;
  await writeTiffStack(
    out,
    { shape, dtype: 'uint8', voxelSizeNm },
    (z) => {
      const plane = t.set ? readStoredPlane(db, t.set, z) : null;
      if (plane) annotated++;
      return plane ?? blank;
    },
    { signal: opts.signal },
  );
  return { path: out, shape, annotatedSlices: annotated, status: t.status };
}

export interface AnnotationImport extends EditOutcome {
  mode: 'add' | 'replace';
  /** Every voxel of the file was annotated (no 0). */
  dense: boolean;
  /** Non-zero voxels in the file (after the map). */
  fileVoxels: number;
}

/** A label file found fit for a volume: what applyAnnotationTiff needs, and what it was checked against. */
export interface CheckedAnnotationFile {
  volume: string;
  file: string;
  mode: 'add' | 'replace';
  map: ReadonlyMap<number, number>;
  shape: Shape3;
  volumeId: number;
  volumeCreatedAt: string;
  dense: boolean;
  fileVoxels: number;
  /** What the edit and the run record say about the import. */
  detail: Record<string, unknown>;
}

/**
 * Checks a label TIFF completely against the volume (its size, its values, the
 * map) and writes nothing: a read-only project is enough. 'add' will let the
 * file's non-zero voxels overwrite and its zeros keep what is stored; 'replace'
 * will make the file the whole annotation.
 */
export async function checkAnnotationTiff(db: Database, volume: string, file: string, opts: { mode: 'add' | 'replace'; mapSpecs?: readonly string[]; signal?: AbortSignal }): Promise<CheckedAnnotationFile> {
  const t = findAnnotationTarget(db, volume);
  requireCurrent(db, t);
  const classes = listAnnotationClasses(db);
  const map = parseValueMap(opts.mapSpecs ?? [], classes);
  const scan = await scanLabelTiff(file, t.volume.shape, volume, map, opts.signal);
  const { dense } = checkLabelValues(scan, file, classes, { mapGiven: map.size > 0, replace: opts.mode === 'replace' });
  let fileVoxels = 0;
  for (let v = 1; v < 256; v++) fileVoxels += scan.histogram[v];
  const detail = { file, mode: opts.mode, ...(map.size ? { map: Object.fromEntries(map) } : {}) };
  return { volume, file, mode: opts.mode, map, shape: t.volume.shape, volumeId: t.volume.id, volumeCreatedAt: t.volume.createdAt, dense, fileVoxels, detail };
}

/** Imports a checked label TIFF as one edit, all or nothing (the volume must still be the one it was checked against). */
export async function applyAnnotationTiff(db: Database, c: CheckedAnnotationFile, opts: { author?: string; signal?: AbortSignal; onProgress?: ProgressCallback } = {}): Promise<AnnotationImport> {
  const t = findAnnotationTarget(db, c.volume);
  requireCurrent(db, t);
  if (t.volume.id !== c.volumeId || t.volume.createdAt !== c.volumeCreatedAt) {
    throw new AppError('invalid_input', `"${c.volume}" changed while ${basename(c.file)} was being checked: run the import again.`);
  }
  const lut = valueTable(c.map);
  const nz = c.shape[0];
  const out = await editAnnotationsStreaming(db, c.volume, { tool: c.mode === 'replace' ? 'replace' : 'import', author: opts.author, detail: c.detail }, (s) =>
    forEachLabelPage(
      c.file,
      c.shape,
      c.volume,
      (z, values) => {
        const incoming = toClassPlane(values, lut);
        if (c.mode === 'replace') s.put(z, incoming);
        else if (incoming.some((v) => v !== 0)) {
          const plane = s.plane(z);
          for (let i = 0; i < plane.length; i++) if (incoming[i] !== 0) plane[i] = incoming[i];
          s.put(z, plane);
        }
        opts.onProgress?.({ fraction: (z + 1) / nz, message: `Annotations from ${basename(c.file)}: slice ${z + 1} of ${nz}` });
      },
      opts.signal,
    ),
  );
  return { ...out, mode: c.mode, dense: c.dense, fileVoxels: c.fileVoxels };
}
