// fibrecon check: SQLite's integrity_check of the project file, and with --deep
// every slice's checksum and a full decode (src-main/project/deep-check.ts).
// Opens the project read-only: nothing is written, an older file is read as it is.
import { basename } from 'node:path';
import type { AnnotationCheck } from '../project/annotation-integrity';
import { checkStoredSlices, type DeepCheckReport, type VolumeCheck } from '../project/deep-check';
import { integrityCheck, openProject } from '../project/open-project';
import { EXIT, interruptSignal, progressPrinter } from './cli-io';
import { type Command, help, one, parse } from './command-helpers';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function volumeLine(c: VolumeCheck): string {
  const head = `"${c.volume}" (${c.role}, ${plural(c.slices, 'slice')}): `;
  const notes = [
    c.notChecksummed.length ? `${plural(c.notChecksummed.length, 'slice')} not checksummed (written by an older version)` : '',
    c.notDecoded ? `not decoded: ${c.notDecoded}` : '',
  ].filter(Boolean);
  const status = c.damaged.length ? `${plural(c.damaged.length, 'damaged slice')}` : 'ok';
  return head + [status, ...notes].join('; ') + c.damaged.map((d) => `\n  slice ${d.z}: ${d.problem}`).join('');
}

function annotationLine(a: AnnotationCheck): string {
  const head = `annotations of "${a.volume}" (${plural(a.planes, 'plane')}, current and kept for undo): `;
  const notes = [
    a.notChecksummed ? `${plural(a.notChecksummed, 'plane')} not checksummed (written by an older version)` : '',
    a.notDecoded ? `not decoded: ${a.notDecoded}` : '',
  ].filter(Boolean);
  const status = a.damaged.length ? plural(a.damaged.length, 'damaged plane') : 'ok';
  const where = (d: AnnotationCheck['damaged'][number]) => (d.copy.kept === 'current' ? `slice ${d.z}` : `slice ${d.z} as kept by edit #${d.copy.editId} for undo`);
  return head + [status, ...notes].join('; ') + a.damaged.map((d) => `\n  ${where(d)}: ${d.problem}`).join('');
}

function remedy(c: VolumeCheck): string {
  return c.role === 'channel' ? `re-import channel "${c.volume}"` : `re-run the step that made "${c.volume}"`;
}

function deepSummary(path: string, r: DeepCheckReport): string {
  const file = basename(path);
  const bad = r.volumes.filter((c) => c.damaged.length > 0);
  const badNotes = r.annotations.filter((a) => a.damaged.length > 0);
  if (bad.length > 0 || badNotes.length > 0) {
    const parts = [
      ...(bad.length ? [`${plural(r.damagedSlices, 'damaged slice')} in ${bad.map((c) => `"${c.volume}" (z ${c.damaged.map((d) => d.z).join(', ')})`).join(', ')}`] : []),
      ...(badNotes.length ? [`${plural(r.damagedPlanes, 'damaged annotation plane')} of ${badNotes.map((a) => `"${a.volume}" (z ${[...new Set(a.damaged.map((d) => d.z))].join(', ')})`).join(', ')}`] : []),
    ];
    const remedies = [...bad.map(remedy), ...badNotes.map((a) => `clear the annotations of "${a.volume}" (fibrecon annotate ${file} --volume ${a.volume} --clear) and paint them again`)];
    const these = bad.length && badNotes.length ? 'these fail instead of giving wrong values' : bad.length ? 'these slices fail instead of giving wrong voxels' : 'these planes fail instead of giving wrong annotations';
    return `${path}: ${parts.join('; ')}. Reads of ${these}. Restore ${file} from a backup, or ${remedies.join(' and ')}.`;
  }
  const unknown = [...r.volumes.filter((c) => c.notDecoded).map((c) => `"${c.volume}"`), ...r.annotations.filter((a) => a.notDecoded).map((a) => `the annotations of "${a.volume}"`)];
  if (unknown.length > 0) return `${path}: not checked in full: ${unknown.join(', ')} use a codec this fibrecon does not know; update fibrecon.`;
  const older = r.notChecksummedSlices
    ? `; ${plural(r.notChecksummedSlices, 'slice')} not checksummed (written by an older version): they decode, but damage that still decodes cannot be seen in them`
    : '';
  const planes = r.annotations.reduce((n, a) => n + a.planes, 0);
  const notes = planes ? `, ${plural(planes, 'annotation plane')}` : '';
  return `${path}: ok (${plural(r.slices, 'slice')} in ${plural(r.volumes.length, 'volume')}${notes} checked${older})`;
}

export const check: Command = {
  summary: "check a project file's integrity: SQLite's structure; --deep also every slice's checksum and a full decode",
  usage: 'fibrecon check PROJECT.fibrecon [--deep] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(args, { deep: { type: 'boolean' }, json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const p = openProject(one(positionals, 'project file', this.usage), { write: false });
    const interrupt = values.deep ? interruptSignal(io) : undefined;
    try {
      const problems = integrityCheck(p.db);
      const sqlite = { ok: problems.length === 0, problems };
      if (!values.deep) {
        if (values.json) io.out(JSON.stringify({ path: p.path, sqlite, deep: null, ok: sqlite.ok }, null, 2));
        else if (sqlite.ok) {
          io.out(`${p.path}: ok`);
          io.err(`(SQLite structure only; \`fibrecon check ${basename(p.path)} --deep\` also verifies every slice's checksum and decodes it)`);
        } else io.out(`${p.path}: ${problems.length} problem(s):\n${problems.join('\n')}`);
        return sqlite.ok ? EXIT.ok : EXIT.userError;
      }
      const deep = await checkStoredSlices(p.db, { signal: interrupt?.signal, onProgress: progressPrinter(io) });
      const ok = sqlite.ok && deep.ok;
      if (values.json) io.out(JSON.stringify({ path: p.path, sqlite, deep, ok }, null, 2));
      else {
        io.out(sqlite.ok ? `${p.path}: SQLite structure ok` : `${p.path}: SQLite structure: ${problems.length} problem(s):\n${problems.join('\n')}`);
        for (const c of deep.volumes) io.out(volumeLine(c));
        for (const a of deep.annotations) io.out(annotationLine(a));
        io.out(deepSummary(p.path, deep));
      }
      return ok ? EXIT.ok : EXIT.userError;
    } finally {
      interrupt?.dispose();
      p.close();
    }
  },
};
