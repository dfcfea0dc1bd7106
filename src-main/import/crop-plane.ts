// Cuts a rectangle out of a grey plane (pure).
import type { SliceArray } from '../../src-shared/dtype';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function cropPlane<T extends SliceArray>(data: T, width: number, rect: Rect): T {
  if (rect.x === 0 && rect.width === width) {
    return data.subarray(rect.y * width, (rect.y + rect.height) * width) as T;
  }
  const out = new (data.constructor as new (n: number) => T)(rect.width * rect.height);
  for (let r = 0; r < rect.height; r++) {
    const start = (rect.y + r) * width + rect.x;
    out.set(data.subarray(start, start + rect.width), r * rect.width);
  }
  return out;
}
