// Thickness tables in a real project file.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../../src-main/project/open-project';
import { finishRun, startRun } from '../../src-main/project/runs';
import { deleteThicknessTable, getThicknessTable, listThicknessTables, saveThicknessTable } from '../../src-main/thickness';
import { tempDir } from '../helpers/python';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function projectPath() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'p.fibrecon');
}

describe('thickness store', () => {
  it('saves, lists and reads back tables with flags, uncertainties, nulls and the run, across a reopen', () => {
    const path = projectPath();
    const p = createProject(path, { appVersion: 'test' });
    const runId = startRun(p.db, 'thickness-import', { file: 'ProjectData.dat' }, 'test');
    const asv = saveThicknessTable(p.db, {
      source: 'asv',
      description: 'ProjectData.dat',
      runId,
      values: [
        { sliceIndex: 0, thicknessNm: 9.5, flag: null },
        { sliceIndex: 1, thicknessNm: null, flag: 'nan' },
        { sliceIndex: 2, thicknessNm: 0.4, uncertaintyNm: 2.5, flag: 'tiny' },
        { sliceIndex: 3, thicknessNm: Number.NaN },
      ],
    });
    finishRun(p.db, runId, 'done');
    const ruler = saveThicknessTable(p.db, { source: 'ruler', description: 'ruler.csv', values: [{ sliceIndex: 0, thicknessNm: 10.16 }] });
    p.close();

    const r = openProject(path, { write: false });
    const list = listThicknessTables(r.db);
    expect(list.map((t) => [t.id, t.source, t.description, t.valueCount, t.runId, t.volumeId])).toEqual([
      [asv, 'asv', 'ProjectData.dat', 4, runId, null],
      [ruler, 'ruler', 'ruler.csv', 1, null, null],
    ]);
    expect(Date.parse(list[0].createdAt)).not.toBeNaN();
    const t = getThicknessTable(r.db, asv);
    expect(t.values).toEqual([
      { sliceIndex: 0, thicknessNm: 9.5, uncertaintyNm: null, flag: null },
      { sliceIndex: 1, thicknessNm: null, uncertaintyNm: null, flag: 'nan' },
      { sliceIndex: 2, thicknessNm: 0.4, uncertaintyNm: 2.5, flag: 'tiny' },
      { sliceIndex: 3, thicknessNm: null, uncertaintyNm: null, flag: null },
    ]);
    expect(() => getThicknessTable(r.db, 999)).toThrow(expect.objectContaining({ tag: 'not_found' }));
    r.close();
  });

  it('refuses duplicate slices and unknown sources, and deletes a table with its values', () => {
    const p = createProject(projectPath(), { appVersion: 'test' });
    const values = [{ sliceIndex: 0, thicknessNm: 1 }, { sliceIndex: 0, thicknessNm: 2 }];
    expect(() => saveThicknessTable(p.db, { source: 'table', description: 'x', values })).toThrow(/appears twice/);
    expect(() => saveThicknessTable(p.db, { source: 'guess' as 'table', description: 'x', values: [] })).toThrow(/not a thickness source/);
    expect(listThicknessTables(p.db)).toEqual([]);
    const id = saveThicknessTable(p.db, { source: 'target', description: 'nominal 10 nm', values: [{ sliceIndex: 0, thicknessNm: 10 }] });
    deleteThicknessTable(p.db, id);
    expect(p.db.prepare('SELECT COUNT(*) FROM thickness_value').pluck().get()).toBe(0);
    expect(() => deleteThicknessTable(p.db, id)).toThrow(expect.objectContaining({ tag: 'not_found' }));
    p.close();
  });

  it('filters by volume', () => {
    const p = createProject(projectPath(), { appVersion: 'test' });
    saveThicknessTable(p.db, { source: 'table', description: 'no volume', values: [] });
    expect(listThicknessTables(p.db, { volumeId: 1 })).toEqual([]);
    expect(listThicknessTables(p.db)).toHaveLength(1);
    p.close();
  });
});
