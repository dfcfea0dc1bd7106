// The project lock under races: many processes find a stale lock (its owner was
// killed) at the same moment; exactly one may take it over, the lock file must
// name the owner for as long as it holds it, and nothing may be left behind.
// The contenders are plain Node processes running the lock module bundled by
// esbuild (no TypeScript loader: each starts in a fraction of a second).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireProjectLock, lockPathFor } from '../../src-main/project/project-lock';
import { tempDir } from '../helpers/python';

const CONTENDERS = 24;
const TRIALS = 8;
const HOLD_MS = 120;

// One round per line on stdin ("PROJECT LOG"); one JSON line back per round.
const CONTENDER = `
import { acquireProjectLock, lockPathFor } from './lock.mjs';
import { appendFileSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const nap = new Int32Array(new SharedArrayBuffer(4));
const namesMe = (lockPath) => { try { return JSON.parse(readFileSync(lockPath, 'utf8')).pid === process.pid; } catch { return false; } };
createInterface({ input: process.stdin }).on('line', (line) => {
  const [project, log, holdMs] = line.split('\\t');
  let lock;
  try {
    lock = acquireProjectLock(project, 'race');
  } catch (e) {
    console.log(JSON.stringify({ pid: process.pid, outcome: e.tag ?? 'error', message: e.message }));
    return;
  }
  appendFileSync(log, 'acquire ' + process.pid + '\\n');
  // While it holds the lock, the lock file must exist and name this process, at every look.
  let looks = 0, wrong = 0;
  const until = Date.now() + Number(holdMs);
  do {
    looks++;
    if (!namesMe(lockPathFor(project))) wrong++;
    Atomics.wait(nap, 0, 0, 4);
  } while (Date.now() < until);
  appendFileSync(log, 'release ' + process.pid + '\\n');
  lock.release();
  console.log(JSON.stringify({ pid: process.pid, outcome: 'owner', owned: lock.owned, looks, wrong }));
});
console.log(JSON.stringify({ ready: process.pid }));
`;

interface Answer {
  pid: number;
  outcome: string;
  message?: string;
  owned?: boolean;
  looks?: number;
  wrong?: number;
}

let root: string;
let cleanup: () => void;
let children: ChildProcessWithoutNullStreams[] = [];
const pending = new Map<number, ((a: Answer) => void)[]>();
let deadPid = 0;

function nextAnswer(child: ChildProcessWithoutNullStreams): Promise<Answer> {
  return new Promise((res) => pending.get(child.pid as number)?.push(res));
}

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('fibrecon-lock-race-'));
  buildSync({
    entryPoints: [resolve(dirname(fileURLToPath(import.meta.url)), '../../src-main/project/project-lock.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: join(root, 'lock.mjs'),
    logLevel: 'silent',
  });
  writeFileSync(join(root, 'contender.mjs'), CONTENDER);
  // A pid that certainly belonged to a process that is gone now.
  const dead = spawn(process.execPath, ['-e', '']);
  deadPid = await new Promise<number>((res) => dead.on('exit', () => res(dead.pid as number)));

  const ready: Promise<void>[] = [];
  for (let i = 0; i < CONTENDERS; i++) {
    const child = spawn(process.execPath, [join(root, 'contender.mjs')], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const queue: ((a: Answer) => void)[] = [];
    pending.set(child.pid as number, queue);
    let buffered = '';
    let isReady: () => void = () => {};
    ready.push(new Promise<void>((res) => (isReady = res)));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if ('ready' in msg) isReady();
        else queue.shift()?.(msg as Answer);
      }
    });
    children.push(child);
  }
  await Promise.all(ready);
});

afterAll(() => {
  for (const c of children) c.kill();
  children = [];
  cleanup?.();
});

type Stale = 'token' | 'no token (older fibrecon)' | 'empty, left half-written';

function writeStaleLock(project: string, kind: Stale): void {
  const lockPath = lockPathFor(project);
  const owner = { pid: deadPid, host: hostname(), since: '2020-01-01T00:00:00.000Z', purpose: 'import' };
  if (kind === 'token') writeFileSync(lockPath, JSON.stringify({ ...owner, token: 'deadbeefdeadbeef' }));
  else if (kind === 'no token (older fibrecon)') writeFileSync(lockPath, JSON.stringify(owner));
  else {
    writeFileSync(lockPath, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPath, old, old);
  }
}

/** Holders from the shared log, in order: checks that no two holds overlap. */
function holdsFromLog(log: string): { holders: number[]; overlaps: string[] } {
  const holders: number[] = [];
  const overlaps: string[] = [];
  let current: number | undefined;
  for (const line of log.split('\n').filter(Boolean)) {
    const [what, pidText] = line.split(' ');
    const pid = Number(pidText);
    if (what === 'acquire') {
      if (current !== undefined) overlaps.push(`${pid} acquired while ${current} held the lock`);
      current = pid;
      holders.push(pid);
    } else {
      if (current !== pid) overlaps.push(`${pid} released while ${current ?? 'nobody'} held the lock`);
      current = undefined;
    }
  }
  return { holders, overlaps };
}

describe('project lock under races', () => {
  it(`${CONTENDERS} processes meet a stale lock at once, ${TRIALS} times: one owner at a time, the lock always names it, nothing left behind`, async () => {
    const kinds: Stale[] = ['token', 'no token (older fibrecon)', 'empty, left half-written'];
    const summary: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = join(root, `trial-${trial}`);
      mkdirSync(dir);
      const project = join(dir, 'p.fibrecon');
      const log = join(dir, 'holds.log');
      writeFileSync(log, '');
      const kind = kinds[trial % kinds.length];
      writeStaleLock(project, kind);

      const answers = children.map((c) => nextAnswer(c));
      for (const c of children) c.stdin.write(`${project}\t${log}\t${HOLD_MS}\n`);
      const got = await Promise.all(answers);

      const { holders, overlaps } = holdsFromLog(readFileSync(log, 'utf8'));
      const owners = got.filter((a) => a.outcome === 'owner');
      const refused = got.filter((a) => a.outcome === 'project_locked');
      summary.push(`trial ${trial} (${kind}): ${owners.length} owner(s) one after another, ${refused.length} told it is locked`);
      expect(overlaps, `trial ${trial} (${kind})`).toEqual([]);
      expect(owners.length, `trial ${trial}: someone must take over the stale lock`).toBeGreaterThanOrEqual(1);
      expect(owners.length + refused.length, JSON.stringify(got.filter((a) => a.outcome !== 'owner' && a.outcome !== 'project_locked'))).toBe(CONTENDERS);
      expect(holders.sort()).toEqual(owners.map((a) => a.pid).sort());
      for (const o of owners) {
        expect(o.owned).toBe(true);
        expect(o.looks).toBeGreaterThanOrEqual(2);
        expect(o.wrong, `pid ${o.pid} found the lock file missing or naming another process while it held it`).toBe(0);
      }
      for (const r of refused) expect(r.message).toMatch(/already open for writing by another fibrecon process \(pid \d+/);
      // Everyone released: no lock, no draft, no takeover guard left next to the project.
      expect(readdirSync(dir).sort()).toEqual(['holds.log']);
    }
    console.log(summary.join('\n'));
  });

  it('a takeover guard left by a process killed in the middle of its takeover does not block the next one', () => {
    const dir = join(root, 'guard-left');
    mkdirSync(dir);
    const project = join(dir, 'p.fibrecon');
    writeStaleLock(project, 'token');
    const guardOwner = { pid: deadPid, host: hostname(), since: 'earlier', purpose: 'race', token: 'feedfacefeedface' };
    writeFileSync(`${lockPathFor(project)}.takeover-deadbeefdeadbeef-0`, JSON.stringify(guardOwner));
    writeFileSync(`${lockPathFor(project)}.feedfacefeedface.tmp`, JSON.stringify(guardOwner));
    const lock = acquireProjectLock(project, 'test');
    expect(lock.owned).toBe(true);
    expect(JSON.parse(readFileSync(lockPathFor(project), 'utf8')).pid).toBe(process.pid);
    // The dead process's guard and draft were swept up after the takeover.
    expect(readdirSync(dir)).toEqual(['p.fibrecon.lock']);
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('releases only its own lock: a lock that is no longer ours stays', () => {
    const dir = join(root, 'release-own');
    mkdirSync(dir);
    const project = join(dir, 'p.fibrecon');
    const lock = acquireProjectLock(project, 'test');
    const other = JSON.stringify({ pid: process.pid + 1, host: hostname(), since: 'now', purpose: 'someone else', token: '0123456789abcdef' });
    writeFileSync(lockPathFor(project), other); // replaced behind our back (by hand, say)
    lock.release();
    expect(readFileSync(lockPathFor(project), 'utf8')).toBe(other);
  });

  it('a live owner keeps its lock; another host’s lock is never taken over', async () => {
    const dir = join(root, 'live');
    mkdirSync(dir);
    const project = join(dir, 'p.fibrecon');
    const answer = nextAnswer(children[0]);
    const log = join(dir, 'holds.log');
    // A contender holds the lock for a while; this process tries meanwhile.
    children[0].stdin.write(`${project}\t${log}\t1500\n`);
    const t0 = Date.now();
    while (!existsSync(log) || readFileSync(log, 'utf8') === '') {
      if (Date.now() - t0 > 10_000) throw new Error('the contender never took the lock');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(() => acquireProjectLock(project, 'test')).toThrow(expect.objectContaining({ tag: 'project_locked', message: expect.stringContaining(`pid ${children[0].pid}`) }));
    expect((await answer).outcome).toBe('owner');

    writeFileSync(lockPathFor(project), JSON.stringify({ pid: deadPid, host: 'some-other-computer', since: 'earlier', purpose: 'import', token: 'aaaaaaaaaaaaaaaa' }));
    expect(() => acquireProjectLock(project, 'test')).toThrow(expect.objectContaining({ tag: 'project_locked', message: expect.stringContaining('some-other-computer') }));
    expect(JSON.parse(readFileSync(lockPathFor(project), 'utf8')).host).toBe('some-other-computer');
  });
});
