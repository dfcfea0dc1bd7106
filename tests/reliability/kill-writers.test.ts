// kill -9 suite: every step that writes (import, segment by Otsu and by the
// pixel classifier, annotate, reconstruct, thickness --apply, export) is run
// by the real CLI in a child process on a small stack (24 x 96 x 96) and killed
// with SIGKILL at 5 seeded moments spread over the step. After each kill: the
// project holds exactly what it held before (its file keeping every byte; only
// a run record, in the -wal, that readers show as interrupted) or the complete
// result, equal to an uninterrupted reference run's; `check --deep` passes;
// `info --runs` shows the killed run as interrupted (or none, or done when the
// kill came after the end); the next run of the step succeeds and gives the
// reference result, and the next writer stores the killed run as interrupted.
// For export: the project is untouched, the target is absent or complete, and
// after the next export no .partial is left and the journal is empty.
//
// The killed commands run through tests/reliability/cli-on-cue.ts, which loads
// the command's part of the CLI first (seconds on a busy machine, no part of any
// step) and runs it as main() does; the kill is then timed from the command's
// start or from one of its progress lines, or comes just before one of its
// SQLite statements (see the kill moments in referenceOf); every step that
// commits is also killed right after its commit.
// The checks after a kill and the next runs call the CLI's main() in this
// process (same argument parsing, exit codes and messages, without starting
// node again for each).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/python';
import { drain, type Task } from '../helpers/task-pool';
import { random } from '../helpers/random';
import { COMMANDS } from '../../src-main/cli/main';
import { here, hereOk } from './cli-here';
import { COMMAND_MODULES } from './command-modules';
import { type Cue, killMoment, onCue, progressAnchors } from './cue-runs';
import { type KillInputs, writeKillInputs } from './kill-inputs';
import { type ProjectContent, projectContent, sha256, walBytes } from './project-content';

const SEED = 7_2024;
/** Kill moments per step. */
const KILLS = 5;
const [NZ, NY, NX] = [24, 96, 96];
/** Kills (or reference runs) in progress at a time. */
const LANES = 3;

const tmp = tempDir('fibrecon-kill-');
const stateDir = join(tmp.dir, 'state');
const previousStateDir = process.env.FIBRECON_STATE_DIR;
afterAll(() => {
  if (previousStateDir === undefined) delete process.env.FIBRECON_STATE_DIR;
  else process.env.FIBRECON_STATE_DIR = previousStateDir;
  tmp.cleanup();
});

// ---- the steps -----------------------------------------------------------------------------------

interface Step {
  name: string;
  /** The project the step starts from. */
  before: () => string;
  /** The command on project P (export: writing target T). */
  args: (p: string, t: string) => string[];
  /** The same step with a new output name, for when the killed run had finished and its output exists. */
  renamed?: (p: string, t: string) => string[];
  /** Kills at given moments, besides the seeded ones (right after the step's commit, at a progress line). */
  extra?: Cue[];
}

type Outcome = 'untouched' | 'interrupted' | 'complete';

/** The kill just after a step's result is committed (before the step has recorded its run as done, when it does that later). */
const AFTER_COMMIT: Cue = { afterCommit: true };

interface Trial {
  step: string;
  /** Its place among the step's kills. */
  k: number;
  /** When the kill was due: ms after the start, or "N ms after TEXT". */
  when: string;
  killed: boolean;
  outcome: Outcome | 'partial';
  /** export: what the killed export left at its target. */
  target?: 'no file' | 'complete file';
  partialLeft?: boolean;
  /** How `info --runs` showed the killed run ('none' when it had not started one). */
  shown: string;
  /** The killed run's log, as the next writer stored it, says "Nothing of it was kept". */
  loggedNothingKept?: boolean;
  /** The project file (without its -wal) kept its bytes. */
  sameBytes: boolean;
}

/** The stack, its label TIFF and a thickness table (written by the first describe's beforeAll). */
let inputs: KillInputs;
const trials: Trial[] = [];
const stepTimes = new Map<string, { referenceMs: number; wallS: number }>();
let suiteSeconds = 0;

/** Kills after which the project held the complete result while its run read as interrupted, "nothing of it kept". */
function completeButInterrupted(): Trial[] {
  return trials.filter((x) => x.outcome === 'complete' && (x.shown === 'interrupted' || x.loggedNothingKept));
}

function newRuns(c: ProjectContent, before: ProjectContent) {
  const known = new Set(before.runs.map((r) => r.id));
  return c.runs.filter((r) => !known.has(r.id));
}

/** Which tables differ from the reference's and from before's, and how many rows each has (for the message of a failure). */
function describeDifference(c: ProjectContent, reference: ProjectContent, before: ProjectContent): string {
  const names = [...new Set([...Object.keys(c.tables), ...Object.keys(reference.tables)])].sort();
  const rows = (x: ProjectContent, n: string) => x.tables[n]?.length ?? 0;
  return names
    .filter((n) => JSON.stringify(c.tables[n]) !== JSON.stringify(reference.tables[n]))
    .map((n) => `table ${n}: ${rows(c, n)} rows (before ${rows(before, n)}, reference ${rows(reference, n)}); first differing row: ${String(JSON.stringify((c.tables[n] ?? []).find((row, i) => JSON.stringify(row) !== JSON.stringify(reference.tables[n]?.[i])))).slice(0, 400)}`)
    .join('\n');
}

/** Entries of the export journal that name `target` (an export of it still recorded as in progress). */
function journalEntriesFor(target: string): string[] {
  const dir = join(stateDir, 'exports-in-progress');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => {
    try {
      return (JSON.parse(readFileSync(join(dir, n), 'utf8')) as { targets: string[] }).targets.some((t) => t.startsWith(target));
    } catch {
      return false; // removed in between
    }
  });
}

/**
 * Lock files left next to a project. Not counted: a lock draft that a process killed while writing it
 * left empty or cut, for its first 3 s: writers take such a draft for one being written, and the next
 * writer after that sweeps it (docs/reliability.md, Locking).
 */
function lockLeftovers(project: string): string[] {
  const dir = dirname(project);
  return readdirSync(dir).filter((n) => {
    if (!n.startsWith(`${basename(project)}.lock`)) return false;
    if (!n.endsWith('.tmp')) return true;
    const path = join(dir, n);
    try {
      JSON.parse(readFileSync(path, 'utf8'));
      return true; // a whole draft names its (dead) process: it must have been swept
    } catch {
      return Date.now() - statSync(path).mtimeMs > 3000;
    }
  });
}

/** The reference run of a step; gives the step's kills, each a task of its own (own copy of the project). */
async function referenceOf(step: Step, dir: string): Promise<Task[]> {
  const t0 = performance.now();
  const copy = (name: string) => {
    const p = join(dir, `${step.name}-${name}.fibrecon`);
    copyFileSync(step.before(), p);
    return p;
  };
  const target = (name: string) => join(dir, `${step.name}-${name}.tif`);
  const isExport = step.name === 'export';

  // The reference: the step run to its end, uninterrupted, in a child like the killed ones (whose
  // duration, not that of a warm run in this process, is what the kill moments spread over).
  const refProject = copy('reference');
  const before = projectContent(refProject);
  const beforeBytes = sha256(refProject);
  const ref = await onCue(step.args(refProject, target('reference')), {}, { FIBRECON_STATE_DIR: stateDir });
  expect(ref.code, `reference run of ${step.name}:\n${ref.stderr}`).toBe(0);
  const referenceMs = ref.ranMs!;
  const reference = projectContent(refProject, { volatile: true });
  const referenceExport = isExport ? readFileSync(target('reference')) : undefined;
  if (isExport) expect(sha256(refProject)).toBe(beforeBytes);
  else expect(projectContent(refProject).tables, `the reference run of ${step.name} changed nothing`).not.toEqual(before.tables);

  // Kill moments spread over the step, one per stratum of its duration (and a little past it), seeded.
  // Every other kill is timed: a fraction of the reference run, counted from the last progress line
  // printed before it there, so that a child slower or faster than the reference (a busy machine) is
  // still killed at the same stage of its work; a child that ends before its kill tells how long the
  // step takes now, and later delays shrink to it. The others come just before the SQLite statement
  // at that fraction of the reference's statements: exact, however busy the machine (a timed kill of a
  // step that takes milliseconds may come after its end), though never inside a statement.
  const r = random(SEED + step.name.length * 101 + step.name.charCodeAt(0));
  const anchors = progressAnchors(ref.stderr);
  const fractions = Array.from({ length: KILLS }, (_, k) => ((k + r()) / KILLS) * 1.15);
  let speed = 1;
  const moments: (() => Cue)[] = fractions.map((f, k) => () => (k % 2 === 1 ? { statement: Math.max(1, Math.ceil(f * ref.statements!)) } : killMoment(f * referenceMs, anchors, speed)));
  for (const cue of step.extra ?? []) moments.push(() => cue);
  let left = moments.length;
  return moments.map((moment, k) => async () => {
    const cue = moment();
    const p = copy(`kill${k}`);
    const out = target(`kill${k}`);
    const args = step.args(p, out);
    const run = await onCue(args, cue, { FIBRECON_STATE_DIR: stateDir });
    const when = cue.afterCommit
      ? 'right after its commit'
      : cue.statement !== undefined
        ? `statement ${cue.statement} of ${ref.statements}`
        : `${cue.delayMs!.toFixed(0)} ms after ${cue.afterText ? `"${cue.afterText}"` : 'the start'}`;
    const what = `${step.name}, killed ${when} (${run.signal ?? `exit ${run.code}`})`;
    const killed = run.signal === 'SIGKILL';
    if (!killed) expect(run.code, `${what}: ended by itself\n${run.stderr}`).toBe(0);
    if (!killed && run.ranMs !== undefined) speed = Math.min(speed, run.ranMs / referenceMs);

    // 1. Before, or the complete result.
    const after = projectContent(p);
    const added = newRuns(after, before);
    const sameBytes = sha256(p) === beforeBytes;
    let outcome: Trial['outcome'];
    if (JSON.stringify(after.tables) === JSON.stringify(before.tables)) outcome = added.length === 0 ? 'untouched' : 'interrupted';
    else if (JSON.stringify(projectContent(p, { volatile: true }).tables) === JSON.stringify(reference.tables)) outcome = 'complete';
    else outcome = 'partial';
    if (outcome === 'partial') {
      expect.fail(`${what}: the project holds neither what it held before nor the complete result\n${describeDifference(projectContent(p, { volatile: true }), reference, before)}`);
    }
    expect(added.length, what).toBeLessThanOrEqual(1);
    // Before its result is committed, a killed step has changed no byte of the project file: what it committed (its run record) is in the -wal.
    if (outcome !== 'complete') expect(sameBytes, `${what}: the project file's bytes changed (-wal ${walBytes(p)} bytes)`).toBe(true);
    let exported: Pick<Trial, 'target' | 'partialLeft'> = {};
    if (isExport) {
      expect(sameBytes, `${what}: export changed the project`).toBe(true);
      if (existsSync(out)) expect(readFileSync(out).equals(referenceExport!), `${what}: the target is there but not complete`).toBe(true);
      exported = { target: existsSync(out) ? 'complete file' : 'no file', partialLeft: readdirSync(dir).some((n) => n.startsWith(basename(out)) && n.endsWith('.partial')) };
    }

    // 2. check --deep passes, and neither it nor info writes.
    const bytesNow = sha256(p);
    const deep = await here(['check', p, '--deep']);
    expect(deep.code, `${what}: check --deep\n${deep.stdout}${deep.stderr}`).toBe(0);

    // 3. info --runs: the killed run is interrupted (or there is none, or done when it had finished).
    const shown = (JSON.parse(await hereOk(['info', p, '--runs', '--json'])) as { runs: { id: number; status: string }[] }).runs;
    const shownNew = shown.filter((x) => added.some((a) => a.id === x.id));
    expect(shownNew.length, what).toBe(added.length);
    for (const s of shownNew) {
      if (outcome === 'complete' && !killed) expect(s.status, what).toBe('done');
      else if (outcome === 'complete') expect(['done', 'interrupted'], what).toContain(s.status);
      else expect(s.status, what).toBe('interrupted');
    }
    expect(sha256(p), `${what}: check --deep or info wrote to the project`).toBe(bytesNow);

    // 4. The next run of the step succeeds (after a finished run whose output exists: under a new name).
    const next = await here(args);
    if (outcome === 'complete' && next.code !== 0 && step.renamed) {
      expect(next.stderr, what).toMatch(/already has a (volume|channel) named .*choose another/);
      expect(projectContent(p, { volatile: true }).tables, `${what}: the refused rerun changed the project`).toEqual(reference.tables);
      await hereOk(step.renamed(p, out));
    } else {
      expect(next.code, `${what}: the next run\n${next.stderr}`).toBe(0);
      if (outcome !== 'complete') expect(projectContent(p, { volatile: true }).tables, `${what}: the next run's result`).toEqual(reference.tables);
    }
    let note: Pick<Trial, 'loggedNothingKept'> = {};
    if (!isExport) {
      const stored = projectContent(p).runs.filter((x) => added.some((a) => a.id === x.id));
      note = { loggedNothingKept: stored.some((x) => x.log.includes('Nothing of it was kept')) };
      for (const s of stored) expect(['interrupted', 'done'], `${what}: as the next writer stored the killed run`).toContain(s.status);
      if (outcome !== 'complete') for (const s of stored) expect(s.status, what).toBe('interrupted');
    } else {
      expect(readdirSync(dir).filter((n) => n.startsWith(basename(out)) && n.endsWith('.partial')), `${what}: .partial left`).toEqual([]);
      expect(readFileSync(out).equals(referenceExport!), `${what}: the next export`).toBe(true);
      // (other kills run beside this one: only entries naming this target count)
      expect(journalEntriesFor(out), `${what}: export journal`).toEqual([]);
    }
    expect(lockLeftovers(p), what).toEqual([]);
    trials.push({ step: step.name, k, when, killed, outcome, sameBytes, shown: shownNew[0]?.status ?? 'none', ...exported, ...note });
    if (--left === 0) stepTimes.set(step.name, { referenceMs, wallS: (performance.now() - t0) / 1000 });
  });
}

describe(`kill -9 during every writing step (${KILLS} seeded moments each, ${NZ} x ${NY} x ${NX} stack)`, () => {
  const projects: Record<string, string> = {};
  const steps: Step[] = [
    {
      name: 'import',
      before: () => projects.empty,
      args: (p) => ['import', p, inputs.stack, '--name', 'grey', '--pixel-size-nm', '5', '--slice-spacing-nm', '10'],
      renamed: (p) => ['import', p, inputs.stack, '--name', 'grey-again', '--pixel-size-nm', '5', '--slice-spacing-nm', '10'],
      extra: [AFTER_COMMIT],
    },
    {
      name: 'segment-otsu',
      before: () => projects.grey,
      args: (p) => ['segment', p, '--volume', 'grey', '--method', 'otsu', '--out', 'seg'],
      renamed: (p) => ['segment', p, '--volume', 'grey', '--method', 'otsu', '--out', 'seg-again'],
      extra: [AFTER_COMMIT],
    },
    { name: 'annotate', before: () => projects.grey, args: (p) => ['annotate', p, '--volume', 'grey', '--labels', inputs.labels], extra: [AFTER_COMMIT] },
    {
      name: 'segment-pixel-classifier',
      before: () => projects.annotated,
      args: (p) => ['segment', p, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls'],
      renamed: (p) => ['segment', p, '--volume', 'grey', '--method', 'pixel-classifier', '--out', 'cls-again'],
      // Right after its commit: before the labels, the uncertainty map and the classifier were one transaction, this left the labels alone.
      extra: [AFTER_COMMIT],
    },
    {
      name: 'reconstruct',
      before: () => projects.segmented,
      args: (p) => ['reconstruct', p, '--volume', 'seg', '--method', 'cubic', '--out', 'rec'],
      renamed: (p) => ['reconstruct', p, '--volume', 'seg', '--method', 'cubic', '--out', 'rec-again'],
      extra: [AFTER_COMMIT],
    },
    { name: 'thickness-apply', before: () => projects.grey, args: (p) => ['thickness', p, '--volume', 'grey', '--table', inputs.table, '--apply'], extra: [AFTER_COMMIT] },
    { name: 'export', before: () => projects.grey, args: (p, t) => ['export', p, '--volume', 'grey', '--out', t, '--overwrite'] },
  ];

  beforeAll(async () => {
    mkdirSync(stateDir);
    process.env.FIBRECON_STATE_DIR = stateDir;
    inputs = writeKillInputs(tmp.dir, [NZ, NY, NX], SEED);
    const at = (name: string) => join(tmp.dir, `${name}.fibrecon`);
    projects.empty = at('empty');
    await hereOk(['create', projects.empty]);
    projects.grey = at('grey');
    copyFileSync(projects.empty, projects.grey);
    const step = (name: string) => steps.find((x) => x.name === name)!;
    await hereOk(step('import').args(projects.grey, ''));
    projects.annotated = at('annotated');
    copyFileSync(projects.grey, projects.annotated);
    await hereOk(step('annotate').args(projects.annotated, ''));
    projects.segmented = at('segmented');
    copyFileSync(projects.grey, projects.segmented);
    await hereOk(step('segment-otsu').args(projects.segmented, ''));
    const t0 = performance.now();
    // The longest steps first; each step's kills are done as soon as its reference run has ended.
    const longestFirst = ['segment-pixel-classifier', 'import', 'reconstruct', 'segment-otsu', 'annotate', 'thickness-apply', 'export'].map(step);
    await drain(
      LANES,
      longestFirst.map((s) => () => {
        const dir = join(tmp.dir, s.name);
        mkdirSync(dir);
        return referenceOf(s, dir);
      }),
    );
    trials.sort((a, b) => a.k - b.k);
    suiteSeconds = (performance.now() - t0) / 1000;
    const lines = steps.map((s) => {
      const t = trials.filter((x) => x.step === s.name);
      const st = stepTimes.get(s.name);
      const count = (key: 'outcome' | 'target', values: string[]) => values.map((o) => `${t.filter((x) => x[key] === o).length} ${o}`).join(', ');
      const counts = s.name === 'export' ? `${count('target', ['no file', 'complete file'])}, .partial left ${t.filter((x) => x.partialLeft).length}` : count('outcome', ['untouched', 'interrupted', 'complete']);
      const at = t.map((x) => `${x.when.replace(' after the start', '')}${x.killed ? '' : ' (had ended)'}`).join(', ');
      return `${s.name.padEnd(25)} step ${st ? `${st.referenceMs.toFixed(0)} ms`.padStart(8) : '       ?'}; kills at ${at}: ${counts}; ${st?.wallS.toFixed(0)} s`;
    });
    const late = completeButInterrupted().map((x) => `${x.step} (${x.when})`);
    console.log(
      `kill -9: ${trials.length} kills in ${suiteSeconds.toFixed(0)} s (${LANES} steps at a time)\n${lines.join('\n')}\n` +
        `complete result under a run shown as interrupted ("Nothing of it was kept"): ${late.length ? late.join(', ') : 'none'}`,
    );
  }, 600_000);

  it.each(steps.map((s) => s.name))('%s: killed at every moment, the project is as before or complete, checks pass, the next run succeeds', (name) => {
    const t = trials.filter((x) => x.step === name);
    // Every kill's checks ran (a failed expectation in beforeAll stops the suite with its message).
    expect(t.length).toBe(KILLS + (steps.find((s) => s.name === name)?.extra?.length ?? 0));
    expect(t.every((x) => x.outcome !== 'partial')).toBe(true);
  });

  // Every step marks its run done inside the transaction that stores its result (project-step.ts):
  // a kill right after that commit finds the result under a done run, never under one shown as
  // interrupted whose log ends "Nothing of it was kept" (segment, annotate and reconstruct once
  // marked it in a statement of its own, after the commit).
  it('a run whose result was committed is not reported as interrupted, with "nothing of it was kept"', () => {
    expect(trials.filter((x) => x.outcome === 'complete').length).toBeGreaterThan(0);
    expect(completeButInterrupted().map((x) => `${x.step}, killed ${x.when}`)).toEqual([]);
  });

  it("the killed children run main()'s own commands", async () => {
    for (const [name, [module, exported]] of Object.entries(COMMAND_MODULES)) {
      const mod = (await import(new URL(`${module}.ts`, import.meta.url).href)) as Record<string, unknown>;
      expect(mod[exported], name).toBe(COMMANDS[name]);
    }
  });

  it('the kills landed inside the steps, not only before or after them', () => {
    // Spread over the measured duration: across all steps, most kills find the run started and not finished.
    const inside = trials.filter((x) => x.killed && x.outcome !== 'untouched').length;
    expect(inside).toBeGreaterThanOrEqual(Math.ceil(trials.length / 3));
  });
});

describe('kill -9 while register stores its second volume', () => {
  // The registered volumes are one result: one transaction around them (each a savepoint of it), so
  // a kill right after the first commit finds both (it once stored each in a transaction of its own,
  // and a kill after "A-reg" left it without "B-reg").
  let names: string[];
  beforeAll(async () => {
    const dir = join(tmp.dir, 'register');
    mkdirSync(dir);
    const stack = writeKillInputs(dir, [NZ, NY, NX], SEED).stack;
    const p = join(dir, 'two-channels.fibrecon');
    await hereOk(['create', p]);
    await hereOk(['import', p, '--channel', `A=${stack}`, '--channel', `B=${stack}`, '--pixel-size-nm', '5', '--slice-spacing-nm', '10']);
    // Right after its first commit, that of the result (the run record is written without a transaction).
    const run = await onCue(['register', p, '--volume', 'A,B'], AFTER_COMMIT, { FIBRECON_STATE_DIR: stateDir });
    expect(run.signal, `the kill came after the end:\n${run.stderr}`).toBe('SIGKILL');
    names = (projectContent(p).tables.volume as { name: string }[]).map((v) => v.name).sort();
  }, 120_000);

  it('holds no registered volume or all of them', () => {
    expect([['A', 'B'], ['A', 'A-reg', 'B', 'B-reg']]).toContainEqual(names);
  });
});
