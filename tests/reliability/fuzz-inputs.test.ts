// Fuzz suite: generated hostile inputs (tests/reliability/fuzz-cases.ts, one
// seed) given to the real CLI in child processes. For every input the command
// must refuse it as a user's problem (exit 1, never 3 "internal", never a signal
// or an out-of-memory kill) with a message that names the file and says what to
// do; the child's peak memory stays bounded; and every project the command was
// given keeps its bytes (SHA-256 before and after), as does the hostile file.
// Damage that only reading the pixels finds fails an import after it recorded
// its run: there the project may gain that failed run record and nothing else
// (docs/reliability.md, "Refusals write nothing"), checked row by row.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importChannels } from '../../src-main/import/import-channels';
import { createProject } from '../../src-main/project/open-project';
import { measuredCli, PEAK_MEMORY_BY, type MeasuredCliResult } from '../helpers/measured-cli';
import { inPool } from '../helpers/task-pool';
import { tempDir } from '../helpers/python';
import { BASE, baseTiff, type FuzzCase, projectCases, thicknessCases, tiffCases } from './fuzz-cases';
import { type ProjectContent, projectContent, sha256 as sha } from './project-content';
import { expectActionableRefusal, refusalMessage } from './refusal-message';

const SEED = 20_240_611;
/** Peak memory allowed to any run (the CLI alone, before reading anything, takes about 110 MB). */
const MAX_RSS_MB = 600;
/** CLI runs at a time: two cores, and most runs spend their time starting node. */
const CONCURRENCY = 3;

const tmp = tempDir('fibrecon-fuzz-');
afterAll(() => tmp.cleanup());

interface Outcome {
  c: FuzzCase;
  r: MeasuredCliResult;
  changed: string[];
  leftBehind: string[];
  /** 'failed-run' cases whose project changed: what it held before and after. */
  project?: { before: ProjectContent; after: ProjectContent };
}

const groups = new Map<string, Outcome[]>();
let seconds = 0;

beforeAll(async () => {
  const dir = tmp.dir;
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir);
  const stackDir = join(dir, 'inputs');
  mkdirSync(stackDir);
  writeFileSync(join(stackDir, 'valid.tif'), baseTiff().bytes);
  const emptyBase = join(dir, 'base-empty.fibrecon');
  createProject(emptyBase, { appVersion: 'test' }).close();
  const greyBase = join(dir, 'base-grey.fibrecon');
  const g = createProject(greyBase, { appVersion: 'test' });
  await importChannels(g, { channels: [{ name: 'grey', paths: [join(stackDir, 'valid.tif')] }], overrides: { pixelSizeXNm: 5, sliceSpacingNm: 10 } }, { appVersion: 'test' });
  g.close();
  const copyOf = (base: string) => (name: string) => {
    const p = join(dir, `${name}.fibrecon`);
    copyFileSync(base, p);
    return p;
  };
  const places = { dir: stackDir, emptyProject: copyOf(emptyBase), greyProject: copyOf(greyBase), greyShared: greyBase };
  const all: [string, FuzzCase[]][] = [
    ['tiff', tiffCases(SEED, places)],
    ['thickness', thicknessCases(SEED + 1, places)],
    ['project', projectCases(SEED + 2, places)],
  ];
  const t0 = performance.now();
  const flat = all.flatMap(([group, cases]) => cases.map((c) => ({ group, c })));
  const outcomes = await inPool(
    CONCURRENCY,
    flat.map(({ c }) => async (): Promise<Outcome> => {
      const before = c.unchanged.map(sha);
      const content = c.expect === 'failed-run' ? projectContent(c.unchanged[0]) : undefined;
      const r = await measuredCli(c.args, { FIBRECON_STATE_DIR: stateDir });
      const changed = c.unchanged.filter((p, i) => sha(p) !== before[i]);
      const leftBehind = [...c.unchanged.map((p) => `${p}.lock`), ...(c.absent ?? [])].filter((p) => existsSync(p));
      const project = content && changed.includes(c.unchanged[0]) ? { before: content, after: projectContent(c.unchanged[0]) } : undefined;
      return { c, r, changed, leftBehind, project };
    }),
  );
  seconds = (performance.now() - t0) / 1000;
  flat.forEach(({ group }, i) => groups.set(group, [...(groups.get(group) ?? []), outcomes[i]]));
  const rows = outcomes.map(
    (o) => `${String(o.r.code ?? o.r.signal).padStart(4)} ${o.r.maxRssMB.toFixed(0).padStart(5)} MB ${o.r.seconds.toFixed(1).padStart(5)} s  ${o.c.name}${o.project ? ' (+ failed run)' : ''}: ${(refusalMessage(o.r)?.message ?? '').slice(0, 140)}`,
  );
  console.log(`fuzz: ${outcomes.length} CLI runs in ${seconds.toFixed(0)} s (${CONCURRENCY} at a time); peak memory by ${PEAK_MEMORY_BY}\n${rows.join('\n')}`);
}, 300_000);

function check(group: string): Outcome[] {
  const outcomes = groups.get(group) ?? [];
  expect(outcomes.length).toBeGreaterThan(0);
  for (const { c, r, changed, leftBehind, project } of outcomes) {
    const what = `fibrecon ${c.args.join(' ')}\nexit ${r.code} ${r.signal ?? ''}\nstderr: ${r.stderr.slice(0, 2000)}`;
    expect.soft(r.signal, what).toBeNull();
    expect.soft(r.code, what).not.toBe(3);
    const expected = c.expect ?? 'refused';
    if (expected === 'ok') expect.soft(r.code, what).toBe(0);
    else if (expected !== 'either' || r.code !== 0) {
      expect.soft(r.code, what).toBe(1);
      expectActionableRefusal(r, c.names, what);
    }
    expect.soft(r.maxRssMB, `${what}\npeak memory`).toBeLessThan(MAX_RSS_MB);
    if (project) {
      // Damage found only while decoding: the import had recorded its run, which stays, failed, with the message; nothing else.
      expect.soft(project.after.tables, `${what}\nthe project's content`).toEqual(project.before.tables);
      const added = project.after.runs.slice(project.before.runs.length);
      expect.soft(project.after.runs.slice(0, project.before.runs.length), what).toEqual(project.before.runs);
      expect.soft(added.map((x) => x.status), `${what}\nruns added`).toEqual(['failed']);
      expect.soft(JSON.parse(added[0]?.error ?? '{}').message, what).toBe(refusalMessage(r)?.message);
    }
    expect.soft(changed.filter((p) => !project || p !== c.unchanged[0]), `${what}\nfiles whose bytes changed`).toEqual([]);
    expect.soft(leftBehind, `${what}\nfiles left behind`).toEqual([]);
  }
  return outcomes;
}

describe(`hostile inputs to the CLI (seed ${SEED})`, () => {
  it('TIFFs cut short, with broken directories, random bytes changed, bombs and huge declared sizes: import and inspect refuse them', () => {
    const outcomes = check('tiff');
    expect(outcomes.length).toBeGreaterThanOrEqual(20);
    // The control imports, so the refusals are the damage's doing; the random changes say how many were still valid.
    expect(outcomes.find((o) => o.c.expect === 'ok')?.r.code).toBe(0);
    const either = outcomes.filter((o) => o.c.expect === 'either');
    console.log(`random directory changes: ${either.filter((o) => o.r.code === 1).length} of ${either.length} refused, the rest still valid`);
  });

  it(`thickness tables and ProjectData.dat (5 MB row, 100 000 rows, garbage, NUL bytes, nested 10 000 deep, cut) are refused and the project keeps its bytes`, () => {
    const outcomes = check('thickness');
    expect(outcomes.length).toBe(7);
    // The table of 100 000 rows is refused for its count, not for its size.
    expect(outcomes.find((o) => o.c.name.includes('100k-rows'))?.r.stderr).toMatch(new RegExp(`100000|100,000|100 000`));
  });

  it('project files that are random bytes, empty, another SQLite file, cut short, newer, or with a flipped bit: every command refuses and changes nothing', () => {
    const outcomes = check('project');
    expect(outcomes.length).toBeGreaterThanOrEqual(10);
    // The flipped bit is found by check --deep and by export, naming the volume.
    for (const o of outcomes.filter((x) => x.c.name.includes('flipped-bit'))) expect(o.r.stderr + o.r.stdout, o.c.name).toMatch(/"grey"/);
  });
});
