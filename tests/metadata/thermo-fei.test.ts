import { describe, expect, it } from 'vitest';
import { parseFeiMetadata } from '../../src-main/metadata/thermo-fei';

/** FEI tag text as the Helios writes it: CRLF, SI units, sections in this order. */
function feiText(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

const HELIOS = feiText([
  '[User]',
  'Date=06/13/2016',
  'UserText=slice 0001',
  '',
  '[System]',
  'SystemType=Helios NanoLab" 660',
  '',
  '[Beam]',
  'HV=2000',
  'Beam=EBeam',
  'Scan=EScan',
  '',
  '[EBeam]',
  'HV=2000',
  'HFW=1.536e-005',
  '',
  '[Scan]',
  'PixelWidth=5e-009',
  'PixelHeight=5.1e-009',
  'HorFieldsize=1.536e-005',
  '',
  '[Image]',
  'ResolutionX=3072',
  'ResolutionY=2048',
  '',
  '[Detectors]',
  'Number=1',
  'Name=TLD',
  'Mode=SE',
  '',
  '[PrivateFei]',
  'DataBarSelected=HV curr mag HFW mode det WD Label MicronBar',
  'DatabarHeight=140',
]);

describe('parseFeiMetadata', () => {
  it('reads pixel size, HV, detector and image rows from CRLF text in SI units', () => {
    const m = parseFeiMetadata(HELIOS, { width: 3072, height: 2188 });
    expect(m.vendor).toBe('thermo-fei');
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.pixelSizeXNm?.source).toBe('FEI tag 34682 [Scan] PixelWidth');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(5.1, 12);
    expect(m.pixelSizeYNm?.source).toBe('FEI tag 34682 [Scan] PixelHeight');
    expect(m.beamVoltageV).toEqual({ value: 2000, source: 'FEI tag 34682 [Beam] HV' });
    expect(m.detector).toEqual({ value: 'TLD', source: 'FEI tag 34682 [Detectors] Name' });
    expect(m.imageRows?.value).toBe(2048);
    expect(m.notices).toEqual([]);
  });

  it('keeps every pair in raw as Section.Key, values with "=" or quotes intact', () => {
    const m = parseFeiMetadata(HELIOS + 'Odd=a=b\r\n', { width: 3072, height: 2188 });
    expect(m.raw['Scan.PixelWidth']).toBe('5e-009');
    expect(m.raw['Detectors.Mode']).toBe('SE');
    expect(m.raw['System.SystemType']).toBe('Helios NanoLab" 660');
    expect(m.raw['User.UserText']).toBe('slice 0001');
    expect(m.raw['PrivateFei.Odd']).toBe('a=b');
    expect(Object.keys(m.raw)).toHaveLength(19);
  });

  it('names the tag it read in every source', () => {
    const m = parseFeiMetadata(HELIOS, { width: 3072, height: 2188 }, 34680);
    expect(m.pixelSizeXNm?.source).toBe('FEI tag 34680 [Scan] PixelWidth');
  });

  it('sets imageRows only when the image is taller than the scan (the data bar)', () => {
    expect(parseFeiMetadata(HELIOS, { width: 3072, height: 2048 }).imageRows).toBeUndefined();
    expect(parseFeiMetadata(HELIOS).imageRows).toBeUndefined();
    const cropped = parseFeiMetadata(HELIOS, { width: 3072, height: 1024 });
    expect(cropped.imageRows).toBeUndefined();
    expect(cropped.notices.join('\n')).toMatch(/ResolutionY.*only 1024/);
  });

  it('warns when the image width differs from the scan width (resized after acquisition)', () => {
    const m = parseFeiMetadata(HELIOS, { width: 1536, height: 1094 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12); // still the recorded value; the user decides
    expect(m.notices.join('\n')).toMatch(/3072 px wide.*1536 px/);
  });

  it('takes HV from [EBeam] when [Beam] has none, and the pixel size from the active scan section', () => {
    const text = feiText(['[Beam]', 'HV=', 'Beam=EBeam', 'Scan=EScan', '[EBeam]', 'HV=1000', '[EScan]', 'PixelWidth=2.5e-009']);
    const m = parseFeiMetadata(text, { width: 100, height: 100 });
    expect(m.beamVoltageV).toEqual({ value: 1000, source: 'FEI tag 34682 [EBeam] HV' });
    expect(m.pixelSizeXNm).toEqual({ value: 2.5, source: 'FEI tag 34682 [EScan] PixelWidth' });
    expect(m.pixelSizeYNm?.value).toBe(2.5);
    expect(m.pixelSizeYNm?.source).toMatch(/square pixels assumed/);
  });

  it('skips malformed values with a notice and never throws', () => {
    const text = feiText([
      '[Beam]',
      'HV=notafloat',
      '[Scan]',
      'PixelWidth=3,37e-009',
      'PixelHeight=3.37e-009',
      '[Image]',
      'ResolutionY=abc',
      '[Detectors]',
      'Name=ETD',
    ]);
    const m = parseFeiMetadata(text, { width: 512, height: 471 });
    expect(m.beamVoltageV).toBeUndefined();
    expect(m.pixelSizeXNm).toBeUndefined();
    expect(m.imageRows).toBeUndefined();
    expect(m.detector?.value).toBe('ETD');
    const notices = m.notices.join('\n');
    expect(notices).toMatch(/\[Beam\] HV="notafloat"/);
    expect(notices).toMatch(/\[Scan\] PixelWidth="3,37e-009"/);
    expect(notices).toMatch(/\[Image\] ResolutionY="abc"/);
    expect(notices).toMatch(/pixel size is unknown/);
  });

  it('refuses a zero or negative pixel size and flags an implausible one', () => {
    const zero = parseFeiMetadata(feiText(['[Scan]', 'PixelWidth=0', 'PixelHeight=0']));
    expect(zero.pixelSizeXNm).toBeUndefined();
    expect(zero.notices.join('\n')).toMatch(/not a positive number/);

    const nmWrittenAsMetres = parseFeiMetadata(feiText(['[Scan]', 'PixelWidth=5', 'PixelHeight=5']));
    expect(nmWrittenAsMetres.pixelSizeXNm?.value).toBe(5e9); // kept ...
    expect(nmWrittenAsMetres.notices.join('\n')).toMatch(/outside the usual 0.1 nm to 10 µm/); // ... but flagged
  });

  it('copes with missing sections, stray LF, empty lines and a tag cut off mid-key', () => {
    const text = '[User]\r\nDate=05/17/2022\r\n\r\n\r\n\n[Detectors]\r\nName=Nav-Cam\r\n[HiResIllumination]\r\nBrightFieldIsOn=\r\nDarkField';
    const m = parseFeiMetadata(text, { width: 768, height: 551 });
    expect(m.detector?.value).toBe('Nav-Cam');
    expect(m.pixelSizeXNm).toBeUndefined();
    expect(m.beamVoltageV).toBeUndefined();
    expect(m.raw['HiResIllumination.BrightFieldIsOn']).toBe('');
    expect(m.raw).not.toHaveProperty('HiResIllumination.DarkField');
    expect(m.notices.join('\n')).toMatch(/no usable \[Scan\] PixelWidth/);
  });

  it('says so when the tag holds no pairs at all', () => {
    for (const text of ['', '\0\0\0', 'garbage without pairs']) {
      const m = parseFeiMetadata(text, { width: 10, height: 10 });
      expect(m.vendor).toBe('thermo-fei');
      expect(m.notices).toHaveLength(1);
      expect(m.raw).toEqual({});
    }
  });
});
