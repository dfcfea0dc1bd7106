// TIFF stack writer: uncompressed grey multipage TIFF (uint8, uint16, float32),
// little endian, one strip per page, ImageJ flavour by default.
//
//   await writeTiffStack('/out/stack.tif', volumeInfo, slices, {
//     onProgress: (done, total) => ..., signal: abortController.signal,
//     extraTags: [{ tag: 34682, text: feiIni }],
//   });
//
// - slices: an array, an (async) iterable in z order, or (z) => slice | Promise<slice>;
//   only the current slice is held, so exports of any size stream to disk.
// - Layout (layout.ts): classic TIFF while the file fits 4 GiB; beyond, BigTIFF,
//   or with `imagejHuge: true` ImageJ's one-IFD contiguous layout.
// - Output goes to `<path>.<pid>.partial`, renamed when complete, removed on cancel/error.
export { writeTiffStack } from './write-file';
export { encodeTiffStack, type TiffStackInfo, type TiffStackOptions, type TiffStackResult } from './write-stack';
export type { SliceSource } from './slice-source';
export type { ExtraTextTag } from './page-entries';
export { planTiffLayout, CLASSIC_TIFF_MAX_BYTES, type TiffLayout, type TiffLayoutKind, type LayoutChoice } from './layout';
export { MemorySink, type ByteSink } from './sink';
export { FileSink, PARTIAL_SUFFIX, partialPathOf } from './file-sink';
export { toRational } from './rational';
export { javaDouble, IMAGEJ_VERSION } from './imagej-description';
