import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hnpgPreset, writeSyntheticSample, type SyntheticSampleResult } from '../../src-main/synth/write-synthetic-sample';
import { importChannels } from '../../src-main/import/import-channels';
import { createProject } from '../../src-main/project/open-project';
import { getVolume } from '../../src-main/project/volume-store';
import { runPython, tempDir } from '../helpers/python';

let root: string;
let cleanup: () => void;
let result: SyntheticSampleResult;
const params = { ...hnpgPreset({ columns: 64, rows: 48, slices: 8, seed: 3 }), beams: [1, 2].map((energyKeV) => ({ energyKeV, detector: 'TLD' as const })) };

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir());
  result = await writeSyntheticSample(join(root, 'sample'), params);
}, 60_000);
afterAll(() => cleanup());

describe('writeSyntheticSample', () => {
  it('tifffile reads the stacks with the FEI metadata (pixel size, HV, detector) and the truth', () => {
    const out = runPython(
      `
import sys, json, tifffile
r = {}
for p in sys.argv[1:]:
    with tifffile.TiffFile(p) as t:
        tag = t.pages[0].tags.get(34682)
        ini = tag.value if tag else ''
        meta = t.fei_metadata if tag else None
        r[p] = {'shape': list(t.asarray().shape), 'dtype': str(t.pages[0].dtype), 'ini': ini,
                'hv': meta['Beam']['HV'] if meta else None, 'px': meta['Scan']['PixelWidth'] if meta else None,
                'det': meta['Detectors']['Name'] if meta else None}
print(json.dumps(r))
`,
      [...result.files.stacks.map((s) => s.path), result.files.truth],
    );
    const r = JSON.parse(out);
    for (const [i, s] of result.files.stacks.entries()) {
      const f = r[s.path];
      expect(f.shape).toEqual([8, 48 + 24, 64]);
      expect(f.dtype).toBe('uint8');
      expect(f.hv).toBe([1000, 2000][i]);
      expect(f.px).toBeCloseTo(2.5e-9, 15);
      expect(f.det).toBe('TLD');
    }
    expect(r[result.files.truth].shape).toEqual([8, 48, 64]);
  });

  it('the app imports the stacks as channels of one project with the right voxel size, beam and detector', async () => {
    const p = createProject(join(root, 'synthetic.fibrecon'), { name: 'synthetic', appVersion: 'test' });
    const req = { channels: result.files.stacks.map((s) => ({ name: `${s.beam.energyKeV}kV`, paths: [s.path] })) };
    const r = await importChannels(p, req, { appVersion: 'test' });
    expect(r.channels.map((c) => c.name)).toEqual(['1kV', '2kV']);
    for (const [i, name] of ['1kV', '2kV'].entries()) {
      const v = getVolume(p.db, name);
      expect(v.shape).toEqual([8, 72, 64]);
      expect(v.voxelSizeNm.x).toBeCloseTo(2.5, 9);
      expect(v.voxelSizeNm.y).toBeCloseTo(2.5, 9);
      expect(v.voxelSizeNm.z).toBeCloseTo(10, 9);
      expect(v.metadata).toMatchObject({ beamVoltageV: { value: [1000, 2000][i] }, detector: { value: 'TLD' } });
    }
    p.close();
  });

  it('writes z positions, thickness tables, a ProjectData.dat that parses as XML, and a manifest', () => {
    const z = readFileSync(result.files.zPositions, 'utf8').trim().split('\n');
    expect(z[0]).toBe('slice,z_nm,plane');
    expect(z.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(result.zPositionsNm);
    const t = readFileSync(result.files.thicknessTrue, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(t).toEqual(result.thicknessNm);
    const ruler = readFileSync(result.files.thicknessRuler!, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(ruler).toHaveLength(7);
    ruler.forEach((v, i) => expect(Math.abs(v - t[i])).toBeLessThan(2.5));
    const xml = JSON.parse(
      runPython(
        `
import sys, json, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
s = root.findall('Results/Slice')
print(json.dumps([[float(x.find('TargetThickness').text), x.find('MeasuredThickness').text] for x in s]))
`,
        [result.files.projectData],
      ),
    ) as [number, string][];
    expect(xml).toHaveLength(7);
    for (const [target, measured] of xml) {
      expect(target).toBeCloseTo(1e-8, 15);
      expect(measured === 'NaN' || (Number(measured) > 0 && Number(measured) < 1e-7)).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(result.files.manifest, 'utf8'));
    expect(manifest.params.seed).toBe(3);
    expect(manifest.roi).toEqual({ x: 0, y: 24, width: 64, height: 48 });
    expect(manifest.milling.zPositionsNm).toEqual(result.zPositionsNm);
  });

  it('is reproducible: the same parameters give the same bytes', async () => {
    const again = await writeSyntheticSample(join(root, 'again'), params);
    for (const [i, s] of again.files.stacks.entries()) expect(readFileSync(s.path).equals(readFileSync(result.files.stacks[i].path))).toBe(true);
    expect(readFileSync(again.files.projectData, 'utf8')).toBe(readFileSync(result.files.projectData, 'utf8'));
  });
});
