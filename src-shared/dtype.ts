// One table of the pixel types the app stores, so that byte sizes, array
// constructors and value ranges are never spelled out twice.

export type DType = 'uint8' | 'uint16' | 'float32';

export type SliceArray = Uint8Array | Uint16Array | Float32Array;

export interface DTypeInfo {
  bytes: number;
  /** Largest representable value (integer types) or +Infinity. */
  max: number;
  create(length: number): SliceArray;
  /** View over existing bytes; byteOffset must be aligned to `bytes`. */
  view(buffer: ArrayBufferLike, byteOffset: number, length: number): SliceArray;
}

export const DTYPES: Record<DType, DTypeInfo> = {
  uint8: {
    bytes: 1,
    max: 255,
    create: (n) => new Uint8Array(n),
    view: (b, o, n) => new Uint8Array(b, o, n),
  },
  uint16: {
    bytes: 2,
    max: 65535,
    create: (n) => new Uint16Array(n),
    view: (b, o, n) => new Uint16Array(b, o, n),
  },
  float32: {
    bytes: 4,
    max: Number.POSITIVE_INFINITY,
    create: (n) => new Float32Array(n),
    view: (b, o, n) => new Float32Array(b, o, n),
  },
};

export function isDType(x: unknown): x is DType {
  return x === 'uint8' || x === 'uint16' || x === 'float32';
}

export function dtypeOf(a: SliceArray): DType {
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Uint16Array) return 'uint16';
  return 'float32';
}
