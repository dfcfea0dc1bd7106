// LZW decoder speed: fibrecon's (src-main/tiff/lzw.ts) against utif's
// UTIF.decode._decodeLZW on the same streams (not a test).
//   node --import tsx tests/tiff/bench-lzw.ts
// Streams: an 8-bit and a 16-bit SEM-like strip (structure + noise, 4 MB each)
// and pure noise; utif's is skipped on a uniform strip, which it decodes wrong.
import { createRequire } from 'node:module';
import { decodeLzw } from '../../src-main/tiff/lzw';
import { encodeLzw } from './lzw-encode';
import { pixels, rng } from './synthetic';

const UTIF = createRequire(import.meta.url)('utif') as { decode: { _decodeLZW(d: Uint8Array, off: number, t: Uint8Array, toff: number): void } };

const r = rng(3);
const sem16 = pixels(2048, 1024, 16, 5) as Uint16Array;
const streams: [string, Uint8Array][] = [
  ['SEM-like 8-bit 4 MB', pixels(2048, 2048, 8, 4) as Uint8Array],
  ['SEM-like 16-bit 4 MB', new Uint8Array(sem16.buffer)],
  ['noise 4 MB', Uint8Array.from({ length: 4 << 20 }, () => Math.floor(r() * 256))],
];

for (const [name, src] of streams) {
  const enc = encodeLzw(src);
  const dst = new Uint8Array(src.length);
  let own = Infinity;
  let utif = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    let t0 = performance.now();
    decodeLzw(enc, dst);
    own = Math.min(own, performance.now() - t0);
    if (!Buffer.from(dst).equals(Buffer.from(src))) throw new Error('own decoder wrong');
    t0 = performance.now();
    UTIF.decode._decodeLZW(enc, 0, dst, 0);
    utif = Math.min(utif, performance.now() - t0);
    if (!Buffer.from(dst).equals(Buffer.from(src))) throw new Error('utif decoder wrong');
  }
  const mb = src.length / 2 ** 20;
  console.log(`${name} (ratio ${(enc.length / src.length).toFixed(2)}): own ${own.toFixed(1)} ms (${(mb / own * 1000).toFixed(0)} MiB/s), utif ${utif.toFixed(1)} ms (${(mb / utif * 1000).toFixed(0)} MiB/s)`);
}
