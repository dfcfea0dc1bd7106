// NumPy .npy (format 1.0) bytes of a C-ordered array: the training data of the
// inpainting model and the tests' hand-over to numpy use it.
export type NpyDescr = '<f4' | '|u1';

export function npyBytes(descr: NpyDescr, shape: readonly number[], data: ArrayBufferView): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre[0] = 0x93;
  pre.write('NUMPY', 1, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Planes of equal length as one C-ordered array. */
export function stackPlanes<T extends Float32Array | Uint8Array>(planes: readonly T[], make: (n: number) => T): T {
  const n = planes[0].length;
  const out = make(planes.length * n);
  planes.forEach((p, z) => out.set(p, z * n));
  return out;
}
