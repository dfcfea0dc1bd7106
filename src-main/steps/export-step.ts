// The Export step: a stored volume (channel or derived) to a file another program
// reads with its voxel size (src-main/export, README "Export formats"). One
// implementation for `fibrecon export` and the app's export job. A label volume is
// marked as labels only where the format can say so (AmiraMesh); elsewhere it goes
// out as plain uint8 0/1. Nothing is left behind on error or cancel (the writers
// stream into .partial files and remove them), nothing existing is destroyed
// (export-guard.ts), and what a killed export left is removed by the next one
// (export-journal.ts).
import type { Database } from 'better-sqlite3';
import type { ExportFormatInfo } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import type { Shape3, VoxelSizeNm } from '../../src-shared/volume';
import { EXPORT_FORMATS, exportFormat, exportVolume } from '../export';
import { checkExportTargets } from '../export/export-guard';
import { beginExportRecord, cleanInterruptedExports } from '../export/export-journal';
import { exportTargets } from '../export/export-targets';
import { getVolume, readSlice } from '../project/volume-store';
import { writeTiffStack } from '../tiff-write';

export interface ExportRequest {
  volume: string;
  format: string;
  path: string;
  /** Force the label marking (CLI --labels); default: the volume's kind where the format supports it. */
  labels?: boolean;
  /** Replace existing files (CLI --overwrite, "Replace" in the app); never a project or database. */
  overwrite?: boolean;
}

export interface ExportReport {
  volume: string;
  format: string;
  formatName: string;
  /** Every file written, the main one first. */
  files: string[];
  bytes: number;
  slices: number;
  shape: Shape3;
  voxelSizeNm: VoxelSizeNm;
  /** Marked as a label field in the file. */
  labels: boolean;
  /** ImageJ TIFF: classic, BigTIFF or ImageJ's contiguous layout. */
  tiffLayout?: string;
  /** Leftovers of exports killed earlier (on this computer) that were removed first, "path (size)". */
  removedLeftovers: string[];
}

/** The formats as the Export step lists them. */
export function listExportFormats(): ExportFormatInfo[] {
  return EXPORT_FORMATS.map((f) => ({
    id: f.id,
    name: f.name,
    extensions: [...f.extensions],
    readBy: [...f.readBy],
    supportsLabels: f.supportsLabels,
    supportsNonUniformZ: f.supportsNonUniformZ,
    notes: f.notes,
  }));
}

export async function exportStoredVolume(
  db: Database,
  req: ExportRequest,
  ctx: { signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): Promise<ExportReport> {
  const f = exportFormat(req.format);
  if (!f) throw new AppError('invalid_input', `Unknown export format "${req.format}"; choose one of ${EXPORT_FORMATS.map((x) => x.id).join(', ')}.`);
  const v = getVolume(db, req.volume);
  const removedLeftovers = await cleanInterruptedExports();
  const targets = exportTargets(f.id, req.path, v.shape[0]);
  // Nothing is written before every target is known to be safe to write (export-guard.ts).
  await checkExportTargets(targets, { overwrite: req.overwrite, protectedFiles: [db.name] });
  const onProgress = (done: number, total: number) => ctx.onProgress?.({ fraction: done / total, message: `Exporting "${v.name}": slice ${done} of ${total}` });
  const base = { volume: v.name, format: f.id, formatName: f.name, slices: v.shape[0], shape: v.shape, voxelSizeNm: v.voxelSizeNm, removedLeftovers };
  const endRecord = await beginExportRecord(
    targets.map((t) => t.path),
    f.id,
  );
  try {
    if (f.id === 'imagej-tiff') {
      const r = await writeTiffStack(req.path, v, (z) => readSlice(db, v, z), { signal: ctx.signal, onProgress });
      return { ...base, files: [req.path], bytes: r.bytes, slices: r.images, labels: false, tiffLayout: r.layout };
    }
    const labels = req.labels === true || (v.kind === 'labels' && f.supportsLabels);
    const r = await exportVolume(f.id, req.path, { ...v, slices: (z: number) => readSlice(db, v, z) }, { signal: ctx.signal, onProgress }, { labels });
    return { ...base, files: r.files, bytes: r.bytes, labels };
  } finally {
    await endRecord();
  }
}

function sizeText(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB (${bytes} bytes)`;
}

/** One line for the user: files, slices, size, format, voxel size in the header. */
export function describeExport(r: ExportReport): string {
  const kind = r.tiffLayout ? `${r.tiffLayout} TIFF` : r.formatName;
  const vs = r.voxelSizeNm;
  return (
    `Wrote ${r.files.join(', ')}: ${r.slices} slices, ${sizeText(r.bytes)} (${kind}${r.labels ? ', label field' : ''}); ` +
    `voxel size ${vs.x} x ${vs.y} x ${vs.z} nm in the header.` +
    (r.removedLeftovers.length ? ` Removed what interrupted exports had left: ${r.removedLeftovers.join(', ')}.` : '')
  );
}
