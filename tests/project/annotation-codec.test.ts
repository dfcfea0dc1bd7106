// The annotation planes' codec: runs + raw deflate. Round trips bit-exact on
// planes of every kind (empty, full, single pixels, every value, runs longer
// than one varint byte, noise), decodes with Python's zlib alone (the layout as
// documented), and refuses damaged blobs instead of returning a wrong plane.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeLabelPlane, encodeLabelPlane } from '../../src-main/project/annotation-codec';
import { runPython } from '../helpers/python';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const N = 300 * 257;
const rand = lcg(3);
const planes: Record<string, Uint8Array> = {
  empty: new Uint8Array(N),
  full: new Uint8Array(N).fill(2),
  single: (() => {
    const p = new Uint8Array(N);
    p[N - 1] = 1;
    return p;
  })(),
  everyValue: Uint8Array.from({ length: N }, (_, i) => i % 256),
  longRuns: Uint8Array.from({ length: N }, (_, i) => (i < 20000 ? 0 : i < 60000 ? 1 : i < 60001 ? 2 : 0)),
  noise: Uint8Array.from({ length: N }, () => Math.floor(rand() * 3)),
  sparse: Uint8Array.from({ length: N }, () => (rand() < 0.01 ? 1 + Math.floor(rand() * 2) : 0)),
};

describe('annotation plane codec', () => {
  it('round-trips every kind of plane bit-exact; sparse planes shrink', () => {
    for (const [name, plane] of Object.entries(planes)) {
      const blob = encodeLabelPlane(plane);
      expect(Buffer.compare(decodeLabelPlane(blob, N), plane), name).toBe(0);
    }
    expect(encodeLabelPlane(planes.empty).length).toBeLessThan(16);
    expect(encodeLabelPlane(planes.longRuns).length).toBeLessThan(32);
    expect(encodeLabelPlane(planes.sparse).length).toBeLessThan(N / 10);
  });

  it('is what the layout says: Python decodes it with zlib and a loop', () => {
    const blobs = ['longRuns', 'noise', 'everyValue'].map((k) => encodeLabelPlane(planes[k]).toString('base64'));
    const script = `import sys, json, base64, zlib, hashlib
out = []
for b in json.loads(sys.stdin.read()):
    raw = base64.b64decode(b)
    assert raw[0] == 1
    runs = zlib.decompress(raw[1:], -15)
    plane, at = bytearray(), 0
    while at < len(runs):
        v = runs[at]; at += 1
        n, shift = 0, 0
        while True:
            c = runs[at]; at += 1
            n |= (c & 0x7f) << shift; shift += 7
            if not c & 0x80: break
        plane += bytes([v]) * n
    out.append(hashlib.sha256(plane).hexdigest())
print(json.dumps(out))`;
    const hashes = JSON.parse(runPython(script, [], JSON.stringify(blobs))) as string[];
    expect(hashes).toEqual(['longRuns', 'noise', 'everyValue'].map((k) => createHash('sha256').update(planes[k]).digest('hex')));
  });

  it('refuses damaged blobs: unknown format, cut-off data, runs that do not add up to the plane', () => {
    const blob = encodeLabelPlane(planes.sparse);
    expect(() => decodeLabelPlane(Buffer.concat([Buffer.from([9]), blob.subarray(1)]), N)).toThrow(/unknown format byte 9.*damaged/);
    expect(() => decodeLabelPlane(blob.subarray(0, blob.length >> 1), N)).toThrow(/damaged/);
    expect(() => decodeLabelPlane(blob, N + 1)).toThrow(/runs hold 77100 pixels, not 77101/);
    expect(() => decodeLabelPlane(blob, N - 1)).toThrow(/more than the 77099 pixels/);
  });
});
