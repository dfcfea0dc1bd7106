// One slice of a stack that is not imported yet, as an 8-bit plane for the
// Import step, where the region of interest is drawn. It is the image the
// import would store: the same plan (planStack), the same data-bar rows
// (resolveGeometry's rule) and the same TIFF reader; nothing is written.
import { basename } from 'node:path';
import type { StackSlicePreview } from '../../src-shared/contract';
import { AppError, throwIfAborted } from '../../src-shared/errors';
import { grey8Preview } from '../project/slice-preview';
import { openTiff, pageReadBytes } from '../tiff';
import { importMemoryBudgetBytes, slicesInFlight } from './memory-budget';
import { planStack } from './plan-stack';

export interface StackSliceRequest {
  paths: readonly string[];
  /** Slice index (default the middle slice). */
  z?: number;
  /** Longest side of the preview, px (default 512). */
  maxSize?: number;
  cropDataBar?: boolean;
}

export async function previewStackSlice(req: StackSliceRequest, signal?: AbortSignal): Promise<StackSlicePreview> {
  const plan = await planStack(req.paths, signal);
  const nz = plan.slices.length;
  const z = req.z ?? Math.floor(nz / 2);
  if (z >= nz) throw new AppError('invalid_input', `The stack has ${nz} slices; slice ${z} does not exist (0..${nz - 1}).`);
  const m = plan.files[0].metadata;
  // As resolveGeometry: the data bar is cut when the metadata gives fewer image rows than the page has.
  const imageRows = req.cropDataBar !== false && m.imageRows && m.imageRows.value < plan.height ? m.imageRows.value : plan.height;
  const entry = plan.slices[z];
  const file = plan.files[entry.file];
  const big = plan.largestRead;
  const crop = { x: 0, y: 0, width: plan.width, height: imageRows };
  // The preview decodes the slice the import would: the same memory check (a bomb is refused here already).
  slicesInFlight({ planeBytes: crop.width * crop.height * (plan.dtype === 'uint8' ? 1 : 2), readBytes: pageReadBytes(big.model, crop) }, importMemoryBudgetBytes(), {
    file: big.file,
    page: big.page,
    pages: big.pages,
    width: crop.width,
    height: crop.height,
    dtype: plan.dtype,
  });
  throwIfAborted(signal);
  const tiff = await openTiff(file.path);
  let data;
  try {
    data = (await tiff.readPage(entry.page, { crop })).data;
  } finally {
    await tiff.close();
  }
  const p = grey8Preview(data, plan.width, imageRows, req.maxSize ?? 512);
  const px = m.pixelSizeXNm?.value;
  const py = m.pixelSizeYNm?.value ?? px;
  const known = px !== undefined && py !== undefined;
  return {
    volume: basename(file.path),
    axis: 'xy',
    index: z,
    width: p.width,
    height: p.height,
    grey8Base64: Buffer.from(p.data).toString('base64'),
    min: p.min,
    max: p.max,
    pixelNm: { u: ((known ? px : 1) * plan.width) / p.width, v: ((known ? py : 1) * imageRows) / p.height },
    slices: nz,
    imageWidth: plan.width,
    imageHeight: imageRows,
    dataBarRows: plan.height - imageRows,
    pixelSizeKnown: known,
  };
}
