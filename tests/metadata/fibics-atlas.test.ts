import { describe, expect, it } from 'vitest';
import { parseFibicsMetadata } from '../../src-main/metadata/fibics-atlas';

interface AtlasOptions {
  width?: number;
  height?: number;
  scan?: string;
  atlas3d?: string;
  beamInfo?: string;
}

/** A tag-51023 block laid out as ZEISS Atlas 5 writes it (element names and nesting of real files). */
function atlasXml(o: AtlasOptions = {}): string {
  const w = o.width ?? 2048;
  const h = o.height ?? 1536;
  const scan =
    o.scan ??
    '<Dwell units="ns">3000</Dwell><FOV_X units="um">10.24</FOV_X><FOV_Y units="um">7.68</FOV_Y>' +
      '<ScanRot units="deg">0</ScanRot><Ux>0.005</Ux><Uy>0</Uy><Vx>0</Vx><Vy>-0.005</Vy>';
  return [
    '<?xml version="1.0" encoding="iso-8859-1"?>',
    '<Fibics version="1.2" format="Image">',
    '<Application><Version>ZEISS Atlas 5 Client v5.5.5.35</Version><SupportsTransparency>true</SupportsTransparency></Application>',
    `<Image><Width>${w}</Width><Height>${h}</Height><BoundingBox.Left>0</BoundingBox.Left>` +
      `<BoundingBox.Right>${w}</BoundingBox.Right><Machine>Crossbeam 550</Machine><Beam>SEM</Beam>` +
      '<Detector>ESB</Detector><Contrast>31.2</Contrast></Image>',
    `<Scan>${scan}</Scan>`,
    '<Stage><X units="um">-21319.2368624182</X><Y units="um">1500.1</Y></Stage>',
    o.beamInfo ?? '<BeamInfo><item name="BeamI">1.5 nA</item><item name="AccV">1500</item></BeamInfo>',
    '<DetectorInfo><item name="Collector">=500.0 V</item></DetectorInfo>',
    o.atlas3d ?? '<ATLAS3D><Stack><Name>NPG_run3</Name></Stack><Slice><ZIndex>41</ZIndex><ZPos>0.4123</ZPos></Slice></ATLAS3D>',
    '</Fibics>',
  ].join('\r\n');
}

describe('parseFibicsMetadata', () => {
  it('reads the step vectors (µm) as pixel size, ZPos (µm), detector and AccV (V)', () => {
    const m = parseFibicsMetadata(atlasXml(), { width: 2048, height: 1536 });
    expect(m.vendor).toBe('fibics');
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.pixelSizeXNm?.source).toBe('Fibics tag 51023 Scan/Ux,Uy (step vector length, um)');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(5, 12); // |V|, although Vy is negative and Uy is 0
    expect(m.pixelSizeYNm?.source).toContain('Scan/Vx,Vy');
    expect(m.zPositionNm?.value).toBeCloseTo(412.3, 9);
    expect(m.zPositionNm?.source).toBe('Fibics tag 51023 ATLAS3D/Slice/ZPos (um)');
    expect(m.detector).toEqual({ value: 'ESB', source: 'Fibics tag 51023 Image/Detector' });
    expect(m.beamVoltageV).toEqual({ value: 1500, source: 'Fibics tag 51023 BeamInfo item "AccV"' });
    expect(m.notices).toEqual([]);
  });

  it('flattens the block into raw with units and item names', () => {
    const m = parseFibicsMetadata(atlasXml(), { width: 2048, height: 1536 });
    expect(m.raw['Scan.Ux']).toBe('0.005');
    expect(m.raw['Scan.FOV_X']).toBe('10.24 um');
    expect(m.raw['BeamInfo.BeamI']).toBe('1.5 nA');
    expect(m.raw['DetectorInfo.Collector']).toBe('=500.0 V');
    expect(m.raw['ATLAS3D.Slice.ZIndex']).toBe('41');
    expect(m.raw['Application.Version']).toBe('ZEISS Atlas 5 Client v5.5.5.35');
  });

  it('uses the step vector length when the scan is rotated', () => {
    const c = Math.cos(Math.PI / 6) * 0.004;
    const s = Math.sin(Math.PI / 6) * 0.004;
    const scan = `<FOV_X units="um">8.192</FOV_X><ScanRot units="deg">30</ScanRot><Ux>${c}</Ux><Uy>${s}</Uy><Vx>${s}</Vx><Vy>${-c}</Vy>`;
    const m = parseFibicsMetadata(atlasXml({ scan }), { width: 2048, height: 1536 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(4, 9);
    expect(m.pixelSizeYNm?.value).toBeCloseTo(4, 9);
  });

  it('falls back to FOV / raster when the step vectors are missing', () => {
    const scan = '<FOV_X units="um">10.24</FOV_X><FOV_Y units="um">7.68</FOV_Y>';
    const m = parseFibicsMetadata(atlasXml({ scan }), { width: 2048, height: 1536 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.pixelSizeXNm?.source).toBe('Fibics tag 51023 Scan/FOV_X (um) / Image/Width');
    expect(m.pixelSizeYNm?.value).toBeCloseTo(5, 12);
  });

  it('honours a units attribute other than um', () => {
    const scan = '<FOV_X units="nm">10240</FOV_X><Ux>5</Ux><Uy>0</Uy><Vx>0</Vx><Vy>-5</Vy>';
    const atlas3d = '<ATLAS3D><Slice><ZPos units="nm">412.3</ZPos></Slice></ATLAS3D>';
    const m = parseFibicsMetadata(atlasXml({ scan, atlas3d }));
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.zPositionNm?.value).toBeCloseTo(412.3, 12);
  });

  it('skips malformed numbers and unknown units with notices, never throws', () => {
    const scan = '<FOV_X units="furlong">1</FOV_X><Ux>not-a-number</Ux>';
    const atlas3d = '<ATLAS3D><Slice><ZPos>n/a</ZPos></Slice></ATLAS3D>';
    const beamInfo = '<BeamInfo><item name="AccV">high</item></BeamInfo>';
    const m = parseFibicsMetadata(atlasXml({ scan, atlas3d, beamInfo }), { width: 2048, height: 1536 });
    expect(m.pixelSizeXNm).toBeUndefined();
    expect(m.zPositionNm).toBeUndefined();
    expect(m.beamVoltageV).toBeUndefined();
    const notices = m.notices.join('\n');
    expect(notices).toMatch(/unknown length unit "furlong"/);
    expect(notices).toMatch(/ZPos="n\/a"/);
    expect(notices).toMatch(/AccV/);

    const badVectors = parseFibicsMetadata(atlasXml({ scan: '<FOV_X units="um">10.24</FOV_X><Ux>x</Ux>' }), { width: 2048, height: 1536 });
    expect(badVectors.pixelSizeXNm?.source).toContain('FOV_X'); // fell back
    expect(badVectors.notices.join('\n')).toMatch(/Scan\/Ux="x"/);
  });

  it('flags a raster that is not the one the block describes (binned copy)', () => {
    const m = parseFibicsMetadata(atlasXml(), { width: 1024, height: 768 });
    expect(m.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(m.notices.join('\n')).toMatch(/2048 x 1536 px image but this one is 1024 x 768/);
  });

  it('reads a kV voltage item with its unit', () => {
    const m = parseFibicsMetadata(atlasXml({ beamInfo: '<BeamInfo><item name="EHT">1.50 kV</item></BeamInfo>' }));
    expect(m.beamVoltageV?.value).toBe(1500);
  });

  it('reports unreadable XML, a foreign root and a truncated block', () => {
    const broken = parseFibicsMetadata('<Fibics><Scan><Ux>1</Scan></Fibics>');
    expect(broken.raw).toEqual({});
    expect(broken.notices.join('\n')).toMatch(/not readable XML/);

    const foreign = parseFibicsMetadata('<SomeOtherVendor><Ux>0.5</Ux></SomeOtherVendor>');
    expect(foreign.pixelSizeXNm).toBeUndefined();
    expect(foreign.notices.join('\n')).toMatch(/not a <Fibics> block/);

    const cut = atlasXml();
    const truncated = parseFibicsMetadata(cut.slice(0, cut.indexOf('<Stage>')), { width: 2048, height: 1536 });
    expect(truncated.pixelSizeXNm?.value).toBeCloseTo(5, 12);
    expect(truncated.notices.join('\n')).toMatch(/ends before its XML is complete/);
  });
});
