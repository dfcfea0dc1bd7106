// Hostile nesting: the XML reader is a loop with a depth limit, so a file nested
// 10 000 elements deep is refused with a reason instead of overflowing the stack
// in the reader or in code walking the tree (ProjectData.dat, Fibics XML).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFibicsMetadata } from '../../src-main/metadata/fibics-atlas';
import { MAX_XML_DEPTH, parseXml } from '../../src-main/metadata/xml-lite';
import { parseAsvProjectData } from '../../src-main/thickness';
import { writeTiffStack } from '../../src-main/tiff-write';
import { cli } from '../cli/run-cli';
import { tempDir } from '../helpers/python';

const nested = (depth: number, inner = '') => `${'<A>'.repeat(depth)}${inner}${'</A>'.repeat(depth)}`;
const tmp = tempDir('fibrecon-xml-depth-');
afterAll(() => tmp.cleanup());

describe('parseXml depth limit', () => {
  it(`reads ${MAX_XML_DEPTH} levels and refuses one more, naming the element and line`, () => {
    let doc = parseXml(nested(MAX_XML_DEPTH, 'x')).root;
    let depth = 1;
    while (doc.children.length > 0) (doc = doc.children[0]), depth++;
    expect(depth).toBe(MAX_XML_DEPTH);
    expect(doc.text).toBe('x');
    expect(() => parseXml(`<?xml version="1.0"?>\n${nested(MAX_XML_DEPTH + 1)}`)).toThrow(
      `elements are nested more than ${MAX_XML_DEPTH} deep, far deeper than any metadata file (<A> on line 2)`,
    );
  });

  it('refuses 10 000 levels quickly', () => {
    const t0 = performance.now();
    expect(() => parseXml(nested(10_000))).toThrow(/nested more than/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('a ProjectData.dat nested 10 000 deep', () => {
  const text = `<?xml version="1.0"?>\n<ProjectData>${nested(10_000, '<Results><Slice><MeasuredThickness>1e-8</MeasuredThickness></Slice></Results>')}</ProjectData>`;

  it('is refused as corrupt_file saying what is wrong and what to do', () => {
    expect(() => parseAsvProjectData(text, 'ProjectData.dat')).toThrow(
      expect.objectContaining({
        tag: 'corrupt_file',
        message:
          `ProjectData.dat is not readable XML: elements are nested more than ${MAX_XML_DEPTH} deep, far deeper than any metadata file (<A> on line 2). ` +
          'Choose the ProjectData.dat that the Auto Slice & View run wrote, or export the thicknesses as a CSV table (slice, thickness_nm) and import it with --table.',
      }),
    );
  });

  it('a Results/Slice a few levels down (within the limit) is still found', () => {
    const ok = parseAsvProjectData(`<ProjectData>${nested(50, '<Results><Slice><MeasuredThickness>1.2e-8</MeasuredThickness></Slice><Slice><MeasuredThickness>9e-9</MeasuredThickness></Slice></Results>')}</ProjectData>`);
    expect(ok.thicknessNm.map((t) => Math.round(t! * 1000) / 1000)).toEqual([12, 9]);
  });

  it('`fibrecon thickness --asv` exits 1 (not 3 "internal") with that message', async () => {
    const file = join(tmp.dir, 'ProjectData.dat');
    writeFileSync(file, text);
    const project = join(tmp.dir, 'p.fibrecon');
    const stack = join(tmp.dir, 'g.tif');
    await writeTiffStack(stack, { shape: [3, 4, 4], dtype: 'uint8', voxelSizeNm: { x: 10, y: 10, z: 10 } }, [0, 1, 2].map(() => new Uint8Array(16)));
    expect((await cli(['create', project])).code).toBe(0);
    expect((await cli(['import', project, stack, '--name', 'g'])).code).toBe(0);
    const r = await cli(['thickness', project, '--volume', 'g', '--asv', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ProjectData.dat is not readable XML: elements are nested more than 256 deep');
    expect(r.stderr).toContain('export the thicknesses as a CSV table');
    expect(r.stderr).not.toMatch(/Maximum call stack|internal/);
  });
});

describe('Fibics XML nested 10 000 deep', () => {
  it('is a notice, not a crash', () => {
    const meta = parseFibicsMetadata(`<Fibics>${nested(10_000)}</Fibics>`);
    expect(meta.notices.join('\n')).toMatch(/not readable XML \(elements are nested more than 256 deep/);
  });
});
