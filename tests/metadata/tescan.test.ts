import { describe, expect, it } from 'vitest';
import { parseTescanMetadata } from '../../src-main/metadata/tescan';

const MAIN = [
  'AccFrames=4',
  'Company=TESCAN',
  'Date=2024-03-01',
  'Description=NPG slice 12',
  'Device=TESCAN AMBER X',
  'Magnification=25000',
  'PixelSizeX=4.9e-09',
  'PixelSizeY=5.1e-09',
  'UserName=operator',
];
const SEM = ['AcceleratorVoltage=2000', 'Detector=E-T', 'Detector0=E-T', 'HV=2000', 'WD=0.0051'];
const FIB = ['Detector=SE', 'HV=30000'];

/** A sidecar-style .hdr text: the same pairs under [MAIN] and [SEM] (and [FIB]). */
const HDR = ['[MAIN]', ...MAIN, '', '[SEM]', ...SEM, '', '[FIB]', ...FIB, ''].join('\r\n');

/** Tag 50431 as bytes: blocks of uint32 size (type + data), uint16 type, data; decoded as Latin-1 like a BYTE tag. */
function tescanTag(blocks: [number, string][]): string {
  const parts: Buffer[] = [];
  for (const [type, data] of blocks) {
    const body = Buffer.from(data, 'latin1');
    const head = Buffer.alloc(6);
    head.writeUInt32LE(body.length + 2, 0);
    head.writeUInt16LE(type, 4);
    parts.push(head, body);
  }
  return Buffer.concat(parts).toString('latin1');
}

/** Bytes of a fake JPEG thumbnail that happen to contain "=" and line breaks. */
const THUMBNAIL = '\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\n==\xB5\xC3\r\nQ=\x01\x02\xFF\xD9';

/** Pads the MAIN block so that the low byte of its size is "J": a printable byte glued to the first key. */
function mainBlockText(): string {
  let text = MAIN.join('\r\n') + '\r\n';
  while (((text.length + 2) & 0xff) !== 0x4a) text += ' ';
  return text;
}

describe('parseTescanMetadata', () => {
  it('reads pixel size (m), HV (V) and detector from .hdr-style text with sections', () => {
    const m = parseTescanMetadata(HDR);
    expect(m.vendor).toBe('tescan');
    expect(m.pixelSizeXNm?.value).toBeCloseTo(4.9, 12);
    expect(m.pixelSizeXNm?.source).toBe('Tescan tag 50431 [MAIN] PixelSizeX');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(5.1, 12);
    expect(m.beamVoltageV).toEqual({ value: 2000, source: 'Tescan tag 50431 [SEM] HV' });
    expect(m.detector?.value).toBe('E-T');
    expect(m.raw['MAIN.Device']).toBe('TESCAN AMBER X');
    expect(m.raw['FIB.HV']).toBe('30000');
    expect(m.notices).toEqual([]);
  });

  it('reads the binary block layout of the real tag: thumbnail, MAIN, SEM, FIB blocks without headers', () => {
    const text = tescanTag([
      [1, THUMBNAIL],
      [2, mainBlockText()],
      [3, SEM.join('\r\n') + '\r\n'],
      [5, FIB.join('\r\n') + '\r\n'],
      [0, ''],
    ]);
    expect(text).toMatch(/J[\s\S]\x00\x00\x02\x00AccFrames=4/); // the trap this layout sets: "J" glued to the key
    const m = parseTescanMetadata(text);
    expect(m.pixelSizeXNm?.value).toBeCloseTo(4.9, 12);
    expect(m.pixelSizeXNm?.source).toBe('Tescan tag 50431 PixelSizeX');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(5.1, 12);
    expect(m.beamVoltageV?.value).toBe(2000); // the SEM block's, not the FIB block's 30 kV
    expect(m.detector?.value).toBe('E-T');
    expect(m.raw['AccFrames']).toBe('4');
    expect(Object.keys(m.raw).every((k) => /^[A-Za-z][A-Za-z0-9_.]*$/.test(k))).toBe(true);
    expect(m.notices).toEqual([]);
  });

  it('skips malformed values with notices and falls back to AcceleratorVoltage', () => {
    const text = ['[MAIN]', 'PixelSizeX=five nm', '[SEM]', 'HV=', 'AcceleratorVoltage=1000', 'Detector0=BSE'].join('\r\n');
    const m = parseTescanMetadata(text);
    expect(m.pixelSizeXNm).toBeUndefined();
    expect(m.beamVoltageV).toEqual({ value: 1000, source: 'Tescan tag 50431 [SEM] AcceleratorVoltage' });
    expect(m.detector?.value).toBe('BSE');
    const notices = m.notices.join('\n');
    expect(notices).toMatch(/\[MAIN\] PixelSizeX="five nm"/);
    expect(notices).toMatch(/pixel size is unknown/);
  });

  it('assumes square pixels without PixelSizeY and flags a pixel size written in the wrong unit', () => {
    const square = parseTescanMetadata('PixelSizeX=5e-09\r\n');
    expect(square.pixelSizeYNm?.value).toBeCloseTo(5, 12);
    expect(square.pixelSizeYNm?.source).toMatch(/square pixels assumed/);

    const nm = parseTescanMetadata('PixelSizeX=5\r\nPixelSizeY=5\r\n');
    expect(nm.notices.join('\n')).toMatch(/probably a unit mistake/);
  });

  it('says so when there is nothing readable', () => {
    const m = parseTescanMetadata(tescanTag([[1, '\xFF\xD8\xFF\xD9']]));
    expect(m.raw).toEqual({});
    expect(m.notices).toHaveLength(1);
  });
});
