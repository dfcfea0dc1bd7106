// Labels are labels: masks spelled 0/1, 0/255 (Fiji) or 1/2 (Avizo label
// fields), uint8 or uint16, reconstructed as binary give volumes that hold
// exactly 0 and 1; the measured slices equal the input mapped by the rule
// (of the two values the higher is solid), computed here independently; and
// every spelling gives the very volume the 0/1 mask gives.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Volume } from '../../src-shared/volume';
import { binaryMapping, toBinaryLabels } from '../../src-main/geometry/binary-labels';
import { fillGapsMl } from '../../src-main/geometry/fill-ml';
import { fillGaps } from '../../src-main/geometry/gap-fill';
import { buildRepositionedVolume, directNearestNeighbour, repositionAndFill, repositionSlices, standardRepositionCubic } from '../../src-main/geometry/reposition';
import { asBinaryLabels } from '../../src-main/import/read-tiff-volume';
import { loadModel, type LoadedModel } from '../../src-main/inference';
import { openProject } from '../../src-main/project/open-project';
import { listRuns } from '../../src-main/project/runs';
import { getVolume, readSlice } from '../../src-main/project/volume-store';
import { leveledWaveStructure } from '../../src-main/synth';
import { writeTiffStack } from '../../src-main/tiff-write';
import { cli, cliOk } from '../cli/run-cli';
import { tempDir } from '../helpers/python';

/** A 0/1 label stack milled every 10 nm (every 4th plane of a 2.5 nm structure), with uneven z for repositioning. */
function measuredLabels(): Volume {
  const truth = leveledWaveStructure({ shape: [25, 20, 24], voxelSizeNm: 2.5, wavelengthNm: 30, waves: 40, seed: 9, solidFraction: 0.4 });
  const slices = truth.slices.filter((_, z) => z % 4 === 0);
  const zPositionsNm = slices.map((_, i) => i * 10 + (i % 3 === 1 ? 1.5 : 0));
  return { shape: [slices.length, 20, 24], dtype: 'uint8', voxelSizeNm: { x: 2.5, y: 2.5, z: 10 }, zPositionsNm, slices };
}

/** The same mask spelled with other values: pore -> `pore`, solid -> `solid`. */
function spelled(v: Volume, pore: number, solid: number, dtype: 'uint8' | 'uint16' = 'uint8'): Volume {
  const make = (n: number) => (dtype === 'uint8' ? new Uint8Array(n) : new Uint16Array(n));
  return {
    ...v,
    dtype,
    slices: v.slices.map((s) => {
      const out = make(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s[i] ? solid : pore;
      return out;
    }),
  };
}

/** The rule, written out independently: of the two values the higher is 1. */
function mappedByHand(v: Volume): Uint8Array[] {
  let hi = -Infinity;
  for (const s of v.slices) for (const x of s) hi = Math.max(hi, x);
  return v.slices.map((s) => Uint8Array.from(s, (x) => (x === hi ? 1 : 0)));
}

function valuesOf(v: Volume): number[] {
  const seen = new Set<number>();
  for (const s of v.slices) for (const x of s) seen.add(x);
  return [...seen].sort((a, b) => a - b);
}

const base = measuredLabels();
const SPELLINGS: [string, Volume][] = [
  ['0/1', base],
  ['0/255', spelled(base, 0, 255)],
  ['1/2', spelled(base, 1, 2)],
  ['0/65535 uint16', spelled(base, 0, 65535, 'uint16')],
];

describe('the mapping rule', () => {
  it('0/1 is kept as is; 0/255, 1/2 and 0/65535 map the higher value to 1; the note states the rule', () => {
    const same = toBinaryLabels(base, 'mask');
    expect(same.volume).toBe(base);
    expect(same.mapping.changed).toBe(false);
    for (const [name, v] of SPELLINGS.slice(1)) {
      const { volume, mapping } = toBinaryLabels(v, 'mask');
      expect(volume.dtype, name).toBe('uint8');
      expect(volume.slices, name).toEqual(mappedByHand(v));
      expect(mapping.note, name).toMatch(/read as pore \(0\), \d+ as solid \(1\): of the two values the higher is solid \(1\), the lower pore \(0\)\./);
    }
    expect(binaryMapping([Uint8Array.from([1, 2, 2, 1])], 'uint8', 'mask').note).toBe(
      'mask holds the values 1 and 2; 1 read as pore (0), 2 as solid (1): of the two values the higher is solid (1), the lower pore (0).',
    );
  });

  it('one value: 0 is all pore, any other all solid; three values are refused with what to do', () => {
    expect(toBinaryLabels({ ...base, slices: base.slices.map((s) => new Uint8Array(s.length).fill(255)) }, 'm').volume.slices[0].every((x) => x === 1)).toBe(true);
    expect(toBinaryLabels({ ...base, slices: base.slices.map((s) => new Uint8Array(s.length)) }, 'm').volume.slices[0].every((x) => x === 0)).toBe(true);
    const three = { ...base, slices: base.slices.map((s) => Uint8Array.from(s, (x, i) => x + (i % 7 === 0 ? 1 : 0))) };
    expect(() => toBinaryLabels(three, '"grey"')).toThrow(
      '"grey" holds more than two values (0, 1, 2, ...), so it is not binary: segment it into pore and solid first, or reconstruct it as a grey volume (without --binary).',
    );
  });

  it('the metrics read a 1/2 mask as 0/1 too (2 = solid) and say so', () => {
    const { volume, notice } = asBinaryLabels(spelled(base, 1, 2), 'mask.tif');
    expect(volume.slices).toEqual(base.slices);
    expect(notice).toBe('mask.tif: solid stored as 2, read as label 1, 1 as label 0 (pore) (of the two values the higher is solid (1), the lower pore (0)).');
  });
});

describe('reconstructions of every spelling hold exactly 0 and 1, equal to the 0/1 mask\'s', () => {
  const runs: [string, (v: Volume) => { volume: Volume; known: Uint8Array }][] = [
    ['nearest', (v) => repositionAndFill(v, 'nearest', { binary: true })],
    ['linear (distance)', (v) => repositionAndFill(v, 'linear', { binary: true })],
    ['cubic (distance)', (v) => repositionAndFill(v, 'cubic', { binary: true })],
    ['cubic (labels)', (v) => repositionAndFill(v, 'cubic', { binary: true, binaryInterpolant: 'labels' })],
    ['dnn', (v) => directNearestNeighbour(v, 10, { binary: true })],
    ['srcs', (v) => standardRepositionCubic(v, 10, { binary: true })],
  ];
  for (const [method, run] of runs) {
    it(method, () => {
      const reference = run(base);
      for (const [name, v] of SPELLINGS) {
        const before = v.slices.map((s) => s.slice());
        const r = run(v);
        expect(r.volume.dtype, `${method} ${name}`).toBe('uint8');
        expect(valuesOf(r.volume), `${method} ${name}`).toEqual([0, 1]);
        const mapped = mappedByHand(v);
        let k = 0;
        r.known.forEach((known, z) => {
          if (known) expect(r.volume.slices[z], `${method} ${name} plane ${z}`).toEqual(mapped[k++]);
        });
        expect(r.volume.slices, `${method} ${name}`).toEqual(reference.volume.slices);
        expect(v.slices, `${method} ${name}: the input is unchanged`).toEqual(before);
      }
    });
  }

  it('fillGaps on a repositioned 0/255 volume (binary: true) maps it too', () => {
    const v = spelled(base, 0, 255);
    const rep = buildRepositionedVolume(v, repositionSlices(v.zPositionsNm, 2.5));
    const r = fillGaps(rep, { method: 'cubic', binary: true });
    expect(valuesOf(r.volume)).toEqual([0, 1]);
    expect(r.labels?.note).toMatch(/0 read as pore \(0\), 255 as solid \(1\)/);
  });
});

describe('ML inpainting of a 0/255 mask', () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModel(join(process.env.FIBRECON_MODELS_DIR ?? resolve(__dirname, '../../models'), 'inpaint-small.onnx'), { ep: 'cpu' });
  });
  afterAll(async () => model?.session.release());

  it('gives the 0/1 mask\'s result, values exactly 0 and 1', async () => {
    const rep = (v: Volume) => buildRepositionedVolume(v, repositionSlices(v.zPositionsNm, 2.5));
    const reference = await fillGapsMl(rep(base), { model });
    const r = await fillGapsMl(rep(spelled(base, 0, 255)), { model });
    expect(valuesOf(r.volume)).toEqual([0, 1]);
    expect(r.volume.slices).toEqual(reference.volume.slices);
  });
});

describe('`fibrecon reconstruct --binary` on masks imported from TIFF', () => {
  const { dir, cleanup } = tempDir('fibrecon-binary-masks-');
  afterAll(() => cleanup());

  it('0/255 and 1/2 stacks: the stored volume holds 0 and 1 only, measured slices = mapped input, the rule in the run log', async () => {
    const project = join(dir, 'p.fibrecon');
    await cliOk(['create', project]);
    const masks = [['fiji', spelled(base, 0, 255)], ['avizo', spelled(base, 1, 2)]] as const;
    for (const [name, v] of masks) await writeTiffStack(join(dir, `${name}.tif`), v, v.slices);
    // One import, two channels of the same size (the z positions come from the stacks' spacing: even).
    await cliOk(['import', project, ...masks.flatMap(([name]) => ['--channel', `${name}=${join(dir, `${name}.tif`)}`])]);
    for (const [name, v] of masks) {
      const r = await cli(['reconstruct', project, '--volume', name, '--method', 'cubic', '--binary', '--out', `${name}-rcs`]);
      expect(r.code, r.stderr).toBe(0);
      const [pore, solid] = name === 'fiji' ? [0, 255] : [1, 2];
      expect(r.stdout).toContain(`labels: "${name}" holds the values ${pore} and ${solid}; ${pore} read as pore (0), ${solid} as solid (1)`);
      const p = openProject(project, { write: false });
      const out = getVolume(p.db, `${name}-rcs`);
      const measuredPlanes = (out.metadata as { measuredPlanes: number[] }).measuredPlanes;
      const mapped = mappedByHand(v);
      const seen = new Set<number>();
      for (let z = 0; z < out.shape[0]; z++) for (const x of await readSlice(p.db, out, z)) seen.add(x);
      expect([...seen].sort()).toEqual([0, 1]);
      for (const [k, z] of measuredPlanes.entries()) expect(await readSlice(p.db, out, z)).toEqual(mapped[k]);
      const run = listRuns(p.db).filter((x) => x.step === 'reconstruct').at(-1)!;
      expect(run.log).toContain(`Labels: "${name}" holds the values ${pore} and ${solid}`);
      expect(run.log).toContain('of the two values the higher is solid (1), the lower pore (0)');
      p.close();
    }
  });

  it('`fibrecon import-volume --labels` stores a 1/2 label field (MetaImage) as 0/1 and says how it read it', async () => {
    const project = join(dir, 'iv.fibrecon');
    await cliOk(['create', project]);
    const v = spelled(base, 1, 2);
    const [nz, ny, nx] = v.shape;
    const raw = new Uint8Array(nz * ny * nx);
    v.slices.forEach((s, z) => raw.set(s, z * ny * nx));
    writeFileSync(join(dir, 'field.raw'), raw);
    writeFileSync(
      join(dir, 'field.mhd'),
      `ObjectType = Image\nNDims = 3\nDimSize = ${nx} ${ny} ${nz}\nElementSpacing = 2.5 2.5 10\nElementType = MET_UCHAR\nElementDataFile = field.raw\n`,
    );
    const r = await cli(['import-volume', project, join(dir, 'field.mhd'), '--labels', '--name', 'field']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('notice: Labels: "field" holds the values 1 and 2; 1 read as pore (0), 2 as solid (1)');
    const p = openProject(project, { write: false });
    const field = getVolume(p.db, 'field');
    expect(field.kind).toBe('labels');
    const mapped = mappedByHand(v);
    for (let z = 0; z < nz; z++) expect(await readSlice(p.db, field, z)).toEqual(mapped[z]);
    p.close();
  });
});
