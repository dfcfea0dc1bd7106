// The FEI parser against real Thermo Fisher Helios TIFFs (rosettasciio test
// data, GPL: used as test input only, unpacked into a temporary folder). The
// tag text is read by python tifffile, an independent TIFF reader, and the
// expected values come from tifffile's own parse of it (fei_metadata), not
// from numbers typed here.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeiMetadata } from '../../src-main/metadata/thermo-fei';
import { parseImageMetadata } from '../../src-main/metadata/parse-image-metadata';
import { runPython, tempDir } from '../helpers/python';

const ZIP_NAME = 'rosettasciio_tiff_FEI_Helios.zip';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ZIP_CANDIDATES = [
  process.env.FIBRECON_TESTDATA ? resolve(process.env.FIBRECON_TESTDATA, ZIP_NAME) : undefined,
  resolve(REPO, '../shared/testdata', ZIP_NAME),
  resolve(REPO, 'shared/testdata', ZIP_NAME),
].filter((p): p is string => p !== undefined);
const ZIP = ZIP_CANDIDATES.find((p) => existsSync(p));

/** Unzips into `dir`, then per TIFF: the tag 34682 text as a TIFF reader decodes it, tifffile's parse, the shape. */
const READ_WITH_TIFFFILE = String.raw`
import json, pathlib, sys, zipfile
import tifffile
zip_path, out_dir = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(zip_path) as z:
    z.extractall(out_dir)
result = {}
for path in sorted(out_dir.rglob('*.tif')):
    with tifffile.TiffFile(path) as tif:
        page = tif.pages[0]
        tag = page.tags[34682]
        tif.filehandle.seek(tag.valueoffset)
        raw = tif.filehandle.read(tag.count)
        fei = tif.fei_metadata
        res = page.tags.get(282)
        result[path.name] = {
            'text': raw.split(b'\0')[0].decode('latin-1'),
            'height': page.shape[0],
            'width': page.shape[1],
            'xResolution': res.value[0] / res.value[1] if res else None,
            'fei': {s: fei[s] for s in ('Scan', 'EScan', 'Beam', 'EBeam', 'Detectors', 'Image') if s in fei},
        }
print(json.dumps(result))
`;

type Section = Record<string, string | number | boolean>;
interface FileReading {
  text: string;
  height: number;
  width: number;
  xResolution: number | null;
  fei: Record<string, Section>;
}

let files: Record<string, FileReading> = {};
const temp = tempDir('fibrecon-fei-');

beforeAll(() => {
  if (!ZIP) {
    throw new Error(`Test data ${ZIP_NAME} not found; looked in: ${ZIP_CANDIDATES.join(', ')} (set FIBRECON_TESTDATA).`);
  }
  files = JSON.parse(runPython(READ_WITH_TIFFFILE, [ZIP, temp.dir])) as Record<string, FileReading>;
});
afterAll(() => temp.cleanup());

/** The documented rule applied to tifffile's dict: [Scan] PixelWidth in metres, else the active scan section's. */
function expectedPixelWidthM(fei: Record<string, Section>): number | undefined {
  for (const s of ['Scan', String(fei['Beam']?.['Scan'] ?? ''), 'EScan']) {
    const v = fei[s]?.['PixelWidth'];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

function expectedHv(fei: Record<string, Section>): number | undefined {
  for (const s of ['Beam', String(fei['Beam']?.['Beam'] ?? ''), 'EBeam']) {
    const v = fei[s]?.['HV'];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

describe('FEI Helios files (tifffile as the reference reader)', () => {
  it('finds the five files of the archive', () => {
    expect(Object.keys(files).sort()).toEqual([
      'FEI-Helios-Ebeam-16bits.tif',
      'FEI-Helios-Ebeam-8bits.tif',
      'FEI-Helios-navcam-with-no-IRBeam-bad-floats.tif',
      'FEI-Helios-navcam-with-no-IRBeam.tif',
      'FEI-Helios-navcam.tif',
    ]);
  });

  it('reads pixel size (nm), HV (V), detector and image rows as the INI text says', () => {
    for (const [name, f] of Object.entries(files)) {
      const m = parseFeiMetadata(f.text, { width: f.width, height: f.height });
      const ctx = `${name}: ${JSON.stringify(m.notices)}`;
      expect(m.vendor, ctx).toBe('thermo-fei');

      const pxM = expectedPixelWidthM(f.fei);
      if (pxM === undefined) {
        expect(m.pixelSizeXNm, ctx).toBeUndefined();
        expect(m.notices.join('\n'), ctx).toMatch(/pixel size is unknown/);
      } else {
        expect(m.pixelSizeXNm!.value, ctx).toBeCloseTo(pxM * 1e9, 9);
        const phM = f.fei['Scan']?.['PixelHeight'];
        expect(m.pixelSizeYNm!.value, ctx).toBeCloseTo((typeof phM === 'number' ? phM : pxM) * 1e9, 9);
      }

      expect(m.beamVoltageV?.value, ctx).toBe(expectedHv(f.fei));
      expect(m.detector?.value, ctx).toBe(f.fei['Detectors']!['Name']);

      const rows = f.fei['Image']!['ResolutionY'] as number;
      expect(m.imageRows?.value, ctx).toBe(rows < f.height ? rows : undefined);

      // Every pair tifffile saw is in raw (tifffile keeps the last of a repeated key, as we do).
      for (const [section, pairs] of Object.entries(f.fei)) {
        for (const key of Object.keys(pairs)) expect(m.raw, `${name} ${section}.${key}`).toHaveProperty([`${section}.${key}`]);
      }
    }
  });

  it('the E-beam images have a data bar below ResolutionY and a real pixel size', () => {
    const f = files['FEI-Helios-Ebeam-16bits.tif']!;
    const m = parseFeiMetadata(f.text, { width: f.width, height: f.height });
    expect(m.imageRows!.value).toBeLessThan(f.height);
    expect(m.pixelSizeXNm).toBeDefined();
    expect(m.notices).toEqual([]);
  });

  it('the file with malformed floats yields notices, not an exception', () => {
    const f = files['FEI-Helios-navcam-with-no-IRBeam-bad-floats.tif']!;
    expect(f.fei['Beam']!['HV']).toBe('notafloat'); // what tifffile saw
    let m: ReturnType<typeof parseFeiMetadata> | undefined;
    expect(() => (m = parseFeiMetadata(f.text, { width: f.width, height: f.height }))).not.toThrow();
    expect(m!.beamVoltageV).toBeUndefined();
    expect(m!.notices.join('\n')).toMatch(/\[Beam\] HV="notafloat"/);
  });

  it('the dispatcher picks tag 34682 and ignores the dummy TIFF resolution', () => {
    for (const [name, f] of Object.entries(files)) {
      const tags = { text: (tag: number) => (tag === 34682 ? f.text : undefined) };
      const m = parseImageMetadata(tags, { width: f.width, height: f.height, xResolution: f.xResolution ?? undefined });
      const direct = parseFeiMetadata(f.text, { width: f.width, height: f.height });
      expect(m, name).toEqual(direct);
    }
  });
});
