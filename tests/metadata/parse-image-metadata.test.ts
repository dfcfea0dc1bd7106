import { describe, expect, it } from 'vitest';
import { parseImageMetadata } from '../../src-main/metadata/parse-image-metadata';
import type { TagTextSource } from '../../src-main/metadata/metadata-input';

function tags(byTag: Record<number, string>): TagTextSource {
  return { text: (tag) => byTag[tag] };
}

const FEI = ['[Beam]', 'HV=1000', '[Scan]', 'PixelWidth=5e-009', 'PixelHeight=5e-009', '[Image]', 'ResolutionX=1024', 'ResolutionY=884', '[Detectors]', 'Name=TLD', 'Mode=SE'].join('\r\n');
const ZEISS = ['AP_WIDTH', 'Width = 10.24 \u00B5m', 'AP_ACTUALKV', 'EHT = 2.00 kV', 'DP_DETECTOR_TYPE', 'Detector = InLens'].join('\r\n');
const FIBICS = '<?xml version="1.0"?><Fibics><Scan><FOV_X units="um">5.12</FOV_X><Ux>0.005</Ux><Uy>0</Uy><Vx>0</Vx><Vy>-0.005</Vy></Scan></Fibics>';
const TESCAN = 'PixelSizeX=6e-09\r\nPixelSizeY=6e-09\r\nHV=3000\r\n';
const IMAGEJ_5NM = 'ImageJ=1.54f\nimages=300\nslices=300\nunit=nm\nspacing=8.0\n';
const IMAGE = { width: 1024, height: 960 };

describe('parseImageMetadata', () => {
  it('tries FEI 34682, then 34680, ZEISS, Fibics, Tescan, in that order', () => {
    const all = { 34682: FEI, 34680: FEI, 34118: ZEISS, 51023: FIBICS, 50431: TESCAN };
    expect(parseImageMetadata(tags(all), IMAGE).pixelSizeXNm?.source).toBe('FEI tag 34682 [Scan] PixelWidth');
    const { 34682: _a, ...noHelios } = all;
    expect(parseImageMetadata(tags(noHelios), IMAGE).pixelSizeXNm?.source).toBe('FEI tag 34680 [Scan] PixelWidth');
    const { 34680: _b, ...noFei } = noHelios;
    expect(parseImageMetadata(tags(noFei), IMAGE).vendor).toBe('zeiss');
    const { 34118: _c, ...noZeiss } = noFei;
    expect(parseImageMetadata(tags(noZeiss), IMAGE).vendor).toBe('fibics');
    const { 51023: _d, ...onlyTescan } = noZeiss;
    expect(parseImageMetadata(tags(onlyTescan), IMAGE).vendor).toBe('tescan');
  });

  it('gives each vendor parser the image geometry', () => {
    const fei = parseImageMetadata(tags({ 34682: FEI }), IMAGE);
    expect(fei.imageRows?.value).toBe(884);
    const zeiss = parseImageMetadata(tags({ 34118: ZEISS }), IMAGE);
    expect(zeiss.pixelSizeXNm?.value).toBeCloseTo(10, 9); // Width / image width
  });

  it('passes over a blank or unreadable vendor tag to the next one', () => {
    expect(parseImageMetadata(tags({ 34682: ' \r\n', 34118: ZEISS }), IMAGE).vendor).toBe('zeiss');
    expect(parseImageMetadata(tags({ 34682: 'no pairs here', 50431: TESCAN }), IMAGE).vendor).toBe('tescan');
    const onlyJunk = parseImageMetadata(tags({ 34682: 'no pairs here' }), IMAGE);
    expect(onlyJunk.vendor).toBe('thermo-fei');
    expect(onlyJunk.notices).toHaveLength(1);
  });

  it('reads an ImageJ-only file from its description and the resolution tags', () => {
    const m = parseImageMetadata(tags({ 270: IMAGEJ_5NM }), { ...IMAGE, xResolution: 0.2, yResolution: 0.2 });
    expect(m.vendor).toBe('imagej');
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.sliceSpacingNm?.value).toBe(8);
  });

  it('with vendor tag and agreeing ImageJ description: vendor pixel size, ImageJ spacing, both sources recorded', () => {
    const m = parseImageMetadata(tags({ 34682: FEI, 270: IMAGEJ_5NM }), { ...IMAGE, xResolution: 0.2004, yResolution: 0.2 });
    expect(m.vendor).toBe('thermo-fei');
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.pixelSizeXNm?.source).toMatch(/^FEI tag 34682 \[Scan\] PixelWidth; agrees: ImageJ description unit=nm, XResolution .* gives 4.99 nm$/);
    expect(m.sliceSpacingNm).toEqual({ value: 8, source: 'ImageJ description spacing=8.0 nm' });
    expect(m.beamVoltageV?.value).toBe(1000);
    expect(m.raw['Scan.PixelWidth']).toBe('5e-009');
    expect(m.raw['ImageJ.spacing']).toBe('8.0');
    expect(m.notices).toEqual([]);
  });

  it('with a disagreement above 1 %: vendor value kept, a notice, and both in the source', () => {
    const m = parseImageMetadata(tags({ 34682: FEI, 270: IMAGEJ_5NM }), { ...IMAGE, xResolution: 0.1, yResolution: 0.2 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.pixelSizeXNm?.source).toMatch(/disagrees: ImageJ description .* gives 10 nm/);
    expect(m.pixelSizeYNm?.source).toMatch(/agrees/);
    expect(m.notices).toHaveLength(1);
    expect(m.notices[0]).toMatch(/x pixel size .* 5 nm but the ImageJ calibration says 10 nm \(50 % apart\)/);
  });

  it('uses the ImageJ pixel size when the vendor tag has none, and says so', () => {
    const navcam = '[Beam]\r\nHV=\r\n[Detectors]\r\nName=Nav-Cam\r\n';
    const m = parseImageMetadata(tags({ 34682: navcam, 270: IMAGEJ_5NM }), { ...IMAGE, xResolution: 0.2 });
    expect(m.vendor).toBe('thermo-fei');
    expect(m.pixelSizeXNm?.source).toMatch(/^ImageJ description/);
    expect(m.notices.join('\n')).toMatch(/ImageJ calibration \(5 nm\) was used/);
  });

  it('does not repeat "not calibrated" from ImageJ when the vendor gives the pixel size', () => {
    const uncalibrated = 'ImageJ=1.54f\nimages=300\nslices=300\n';
    const m = parseImageMetadata(tags({ 34682: FEI, 270: uncalibrated }), IMAGE);
    expect(m.pixelSizeXNm?.source).toBe('FEI tag 34682 [Scan] PixelWidth');
    expect(m.notices).toEqual([]);
  });

  it('never uses the TIFF resolution without an ImageJ description', () => {
    const none = parseImageMetadata(tags({ 270: 'Some other software' }), { ...IMAGE, xResolution: 96, yResolution: 96 });
    expect(none.vendor).toBe('unknown');
    expect(none.pixelSizeXNm).toBeUndefined();
    expect(none.notices.join('\n')).toMatch(/resolution tags are not used/);

    const fei = parseImageMetadata(tags({ 34682: FEI }), { ...IMAGE, xResolution: 96, yResolution: 96 });
    expect(fei.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(fei.pixelSizeXNm?.source).toBe('FEI tag 34682 [Scan] PixelWidth');
  });
});
