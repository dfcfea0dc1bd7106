// Turns what the user picked (a multipage TIFF, a folder, or a list of files)
// into a checked plan: every file and page in slice order, one size and pixel
// type for all, the metadata of each file. Nothing is read beyond the TIFF
// headers, and nothing is written: problems are found before any work starts.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DType } from '../../src-shared/dtype';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import type { ImageMetadata } from '../../src-shared/metadata';
import { parseImageMetadata } from '../metadata/parse-image-metadata';
import { listStackFiles, openTiff, pageMemoryModel, pageReadBytes, tagText, type PageMemoryModel, type TiffFile, type TiffPage, unsupportedError } from '../tiff';

export interface PlannedFile {
  path: string;
  sizeBytes: number;
  modifiedAt: string;
  pages: number;
  metadata: ImageMetadata;
}

export interface StackPlan {
  files: PlannedFile[];
  /** Slice order: which page of which file. */
  slices: { file: number; page: number }[];
  width: number;
  height: number;
  dtype: DType;
  notices: string[];
  /** The page that takes the most memory to read (strip / tile layout, colour), with where it is, for the import's memory budget. */
  largestRead: { model: PageMemoryModel; file: string; page: number; pages: number };
}

async function expandPaths(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 1) {
    let st;
    try {
      st = await stat(paths[0]);
    } catch {
      throw new AppError('file_not_found', `${paths[0]} does not exist: check the path (a multipage TIFF or a folder of TIFF slices).`, paths[0]);
    }
    if (st.isDirectory()) return listStackFiles(paths[0]);
    return [paths[0]];
  }
  return [...paths];
}

function pageDType(file: string, page: TiffPage): DType {
  // Colour and palette pages are converted to grey by the reader; their
  // sample depth decides the stored type.
  const unsupported = unsupportedError(page, file);
  if (unsupported) throw unsupported;
  if (page.bitsPerSample === 8) return 'uint8';
  if (page.bitsPerSample === 16) return 'uint16';
  throw new AppError(
    'unsupported_format',
    `${basename(file)} has ${page.bitsPerSample}-bit samples; fibrecon imports 8 and 16 bit grey images. Convert the stack to 8 or 16 bit (e.g. in Fiji: Image > Type) and import again.`,
    file,
  );
}

function metadataOf(page: TiffPage): ImageMetadata {
  // The reader gives a RATIONAL as one number (numerator / denominator).
  const res = (tag: number): number | undefined => {
    const v = page.tags.get(tag)?.values?.[0];
    return v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
  };
  return parseImageMetadata(
    { text: (tag: number) => tagText(page, tag) },
    { width: page.width, height: page.height, xResolution: res(282), yResolution: res(283) },
  );
}

export async function planStack(paths: readonly string[], signal?: AbortSignal): Promise<StackPlan> {
  const files = await expandPaths(paths);
  const plan: Omit<StackPlan, 'largestRead'> = { files: [], slices: [], width: 0, height: 0, dtype: 'uint8', notices: [] };
  let largest: StackPlan['largestRead'] | undefined;
  let largestBytes = -1;
  let first: { file: string; width: number; height: number; dtype: DType } | undefined;
  for (const [fi, path] of files.entries()) {
    throwIfAborted(signal);
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new AppError('file_not_found', `${path} does not exist any more: check the folder and try again.`, path);
    }
    if (st.size === 0) throw new AppError('corrupt_file', `${basename(path)} is empty (0 bytes): copy it again from the microscope PC or remove it from the stack.`, path);
    let tiff: TiffFile | undefined;
    try {
      tiff = await openTiff(path);
      if (tiff.pages.length === 0) throw new AppError('corrupt_file', `${basename(path)} holds no image: re-export the stack as TIFF from the instrument software or Fiji, or remove the file from the stack.`, path);
      for (const page of tiff.pages) {
        const dtype = pageDType(path, page);
        if (!first) {
          first = { file: path, width: page.width, height: page.height, dtype };
        } else if (page.width !== first.width || page.height !== first.height || dtype !== first.dtype) {
          const where = tiff.pages.length > 1 ? `page ${page.index + 1} of ${basename(path)}` : basename(path);
          throw new AppError(
            'size_mismatch',
            `${where} is ${page.width} x ${page.height} px ${dtype} but the stack (from ${basename(first.file)}) is ${first.width} x ${first.height} px ${first.dtype}: ` +
              'remove it from the folder, or import it as another channel.',
            path,
          );
        }
        plan.slices.push({ file: fi, page: page.index });
        const model = pageMemoryModel(page);
        const bytes = pageReadBytes(model, page);
        if (bytes > largestBytes) {
          largestBytes = bytes;
          largest = { model, file: path, page: page.index, pages: tiff.pages.length };
        }
      }
      plan.files.push({
        path,
        sizeBytes: st.size,
        modifiedAt: st.mtime.toISOString(),
        pages: tiff.pages.length,
        metadata: metadataOf(tiff.pages[0]),
      });
    } finally {
      await tiff?.close();
    }
  }
  if (!first) throw new AppError('empty_folder', `No TIFF images found in ${paths.join(', ')}: choose a multipage TIFF, a folder of TIFF slices, or a list of TIFF files.`, paths[0]);
  plan.width = first.width;
  plan.height = first.height;
  plan.dtype = first.dtype;
  for (const n of plan.files[0].metadata.notices) plan.notices.push(n);
  return { ...plan, largestRead: largest as StackPlan['largestRead'] };
}
