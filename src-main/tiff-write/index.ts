// TIFF stack writer: public API.
export { writeTiffStack } from './write-file';
export { encodeTiffStack, type TiffStackInfo, type TiffStackOptions, type TiffStackResult } from './write-stack';
export type { SliceSource } from './slice-source';
export type { ExtraTextTag } from './page-entries';
export { planTiffLayout, CLASSIC_TIFF_MAX_BYTES, type TiffLayout, type TiffLayoutKind, type LayoutChoice } from './layout';
export { MemorySink, type ByteSink } from './sink';
export { FileSink, PARTIAL_SUFFIX } from './file-sink';
export { toRational } from './rational';
export { javaDouble, IMAGEJ_VERSION } from './imagej-description';
