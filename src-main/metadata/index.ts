// The metadata readers' public surface: the dispatcher for a whole TIFF and one
// parser per vendor for callers (and tests) that already know the format.
export { parseImageMetadata } from './parse-image-metadata';
export { METADATA_TAGS, type ImageGeometry, type TagTextSource } from './metadata-input';
export { parseFeiMetadata } from './thermo-fei';
export { parseZeissMetadata } from './zeiss-smartsem';
export { parseFibicsMetadata } from './fibics-atlas';
export { parseTescanMetadata } from './tescan';
export { isImageJDescription, parseImageJDescription, type ImageJParseOptions } from './imagej-description';
