// The shapes the TIFF reader hands out. Plain data, no file access.

/** One IFD entry's value. */
export interface TagValue {
  /** TIFF field type (1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL, 7 UNDEFINED, 16 LONG8, ...). */
  type: number;
  /** Number of values (bytes for ASCII/BYTE/UNDEFINED). */
  count: number;
  /** Raw bytes of ASCII, BYTE, SBYTE and UNDEFINED tags (absent when the payload is lazy, see `lazyOffset`). */
  bytes?: Uint8Array;
  /** Decoded numbers of numeric tags; a RATIONAL gives numerator / denominator. */
  values?: number[];
  /**
   * Set instead of `bytes` when a byte payload exceeds the eager limit
   * (1 MiB by default, e.g. huge vendor XML): where it lies in the file.
   * Load it with `TiffFile.readTagBytes`.
   */
  lazyOffset?: number;
}

export interface TiffPage {
  index: number;
  width: number;
  height: number;
  bitsPerSample: number;
  samplesPerPixel: number;
  /** 1 unsigned int, 2 signed int, 3 IEEE float. */
  sampleFormat: number;
  photometric: number;
  compression: number;
  planarConfig: number;
  predictor: number;
  tiled: boolean;
  /** Tile size when tiled, else 0. */
  tileWidth: number;
  tileHeight: number;
  /** Rows per strip (image height when not stripped or unset). */
  rowsPerStrip: number;
  /** Strip or tile offsets, chunky order, then plane by plane for planar data. */
  dataOffsets: number[];
  byteCounts: number[];
  tags: Map<number, TagValue>;
  /** NewSubfileType (bit 0: reduced-resolution copy, e.g. a thumbnail). */
  subfileType: number;
  /** Byte offset of the IFD, or undefined for pages synthesised from an ImageJ description. */
  ifdOffset?: number;
}

export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type GreyDType = 'uint8' | 'uint16';

export interface GreyPlane {
  width: number;
  height: number;
  dtype: GreyDType;
  /** Native byte order, row-major. */
  data: Uint8Array | Uint16Array;
  /** What was done to the pixels on the way (inverted, converted from RGB, ...). */
  notices: string[];
}

export interface ReadPageOptions {
  crop?: Crop;
  /**
   * Decode into this array instead of allocating one (it must have the
   * plane's dtype and at least width * height elements of the crop).
   * Lets a caller reading many pages reuse one buffer.
   */
  target?: Uint8Array | Uint16Array;
}

export interface TiffFile {
  path: string;
  byteOrder: 'LE' | 'BE';
  bigTiff: boolean;
  fileSize: number;
  pages: TiffPage[];
  /** Things noticed while parsing that did not stop it (ignored broken tags, ImageJ layout, ...). */
  notices: string[];
  readPage(index: number, opts?: ReadPageOptions): Promise<GreyPlane>;
  /** A tag's payload bytes, loading lazy (large) payloads from the file. */
  readTagBytes(pageIndex: number, tag: number): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}
