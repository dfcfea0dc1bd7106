// Public surface of the TIFF reader.
export { openTiff, type OpenTiffOptions } from './open-tiff';
export { listStackFiles, naturalCompare } from './stack-files';
export { tagText, bytesToText } from './tag-text';
export { imageJImageCount } from './imagej';
export { unsupportedError, compressionName } from './support';
export { openFileSource, memorySource, type ByteSource } from './byte-source';
export { TAG } from './tags';
export type { TiffFile, TiffPage, TagValue, GreyPlane, Crop, ReadPageOptions, GreyDType } from './types';
export { pageMemoryModel, pageReadBytes, type PageMemoryModel } from './read-memory';
