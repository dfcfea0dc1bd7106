// `fibrecon volume`: rename or delete a stored volume, or show how it was made
// and what depends on it. Writing actions open the project for writing (the
// project lock: refused while another process writes to it) and change it in one
// transaction, recorded as a run.
import type { VolumeProvenance } from '../../src-shared/contract';
import { openProject } from '../project/open-project';
import { deleteVolume, renameVolume, volumeProvenance } from '../project/volume-admin';
import { APP_VERSION } from './app-version';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, parse } from './command-helpers';

const USAGE =
  'fibrecon volume rename PROJECT.fibrecon OLD NEW [--json]\n' +
  '       fibrecon volume delete PROJECT.fibrecon NAME [--json]\n' +
  '       fibrecon volume show PROJECT.fibrecon NAME [--json]\n' +
  'rename: the volume and every reference to it (annotations, classifiers, other volumes\' "made from"); refused when NEW exists.\n' +
  'delete: the volume with its slices and what belongs only to it (annotations bound to it, its thickness tables,\n' +
  'quality results of it or against it, classifiers kept with it); volumes made from it and the run history stay.\n' +
  'show: the run that made it with its settings, its renames, and what depends on it (reads only).\n' +
  'rename and delete are refused while a job runs on the project.';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a delete takes with it, and what it leaves, in lines. */
export function describeDependents(p: VolumeProvenance): string[] {
  const d = p.dependents;
  const lines = [`  ${plural(d.slices, 'slice')} (${mb(d.storedBytes)} stored)`];
  if (d.annotation) lines.push(`  annotations bound to it: ${plural(d.annotation.slices, 'annotated slice')}, version ${d.annotation.version}, ${plural(d.annotation.edits, 'edit')}`);
  if (d.metrics) lines.push(`  ${plural(d.metrics, 'stored quality result')} of it or against it`);
  if (d.thicknessTables) lines.push(`  ${plural(d.thicknessTables, 'thickness table')}`);
  if (d.classifiers) lines.push(`  ${plural(d.classifiers, 'trained classifier')} kept with it`);
  return lines;
}

function formatProvenance(p: VolumeProvenance): string {
  const lines = [`"${p.volume}": ${p.kind} ${p.role}, created ${p.createdAt}`];
  const r = p.madeBy;
  if (r) {
    lines.push(`Made by run ${r.id} (${r.step}, ${r.status}, ${r.startedAt}${r.durationS !== null ? `, ${r.durationS.toFixed(1)} s` : ''}, fibrecon ${r.softwareVersion})`);
    if (r.modelName) lines.push(`  model ${r.modelName}${r.executionProvider ? ` on ${r.executionProvider}` : ''}`);
    lines.push(`  settings ${JSON.stringify(r.params)}`);
    if (p.madeWith.length) lines.push(`  the same run also wrote: ${p.madeWith.join(', ')}`);
  } else lines.push('No run recorded for it.');
  for (const n of p.renames) lines.push(`Renamed from "${n.from}" to "${n.to}" (run ${n.runId}, ${n.at})`);
  lines.push('Belongs to it (deleted with it):', ...describeDependents(p));
  const d = p.dependents;
  if (d.derivedVolumes.length) lines.push(`Volumes made from it (kept): ${d.derivedVolumes.join(', ')}`);
  if (d.usedByRuns.length) lines.push(`Runs that read it (kept as history): ${d.usedByRuns.map((u) => `${u.id} ${u.step}`).join(', ')}`);
  return lines.join('\n');
}

export const volume: Command = {
  summary: 'rename or delete a stored volume, or show how it was made and what depends on it',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const [action, projectPath, ...names] = positionals;
    const want = action === 'rename' ? 2 : action === 'delete' || action === 'show' ? 1 : -1;
    if (want < 0) throw new UsageError(`give an action: rename, delete or show${action ? ` (not "${action}")` : ''}.\nUsage: ${this.usage}`);
    if (!projectPath || names.length !== want) throw new UsageError(`${action} takes the project file and ${want === 2 ? 'the old and the new name' : 'the volume name'}.\nUsage: ${this.usage}`);
    const json = values.json === true;
    const project = openProject(projectPath, action === 'show' ? { write: false } : { write: true, purpose: `volume ${action}` });
    try {
      if (action === 'show') {
        const p = volumeProvenance(project.db, names[0]);
        io.out(json ? JSON.stringify(p, null, 2) : formatProvenance(p));
      } else if (action === 'rename') {
        const r = renameVolume(project.db, names[0], names[1], { appVersion: APP_VERSION });
        io.out(json ? JSON.stringify(r, null, 2) : `Renamed "${r.from}" to "${r.to}" (${plural(r.referencesUpdated, 'other record')} updated; run ${r.runId}).`);
      } else {
        const before = volumeProvenance(project.db, names[0]);
        const r = deleteVolume(project.db, names[0], { appVersion: APP_VERSION });
        if (json) io.out(JSON.stringify(r, null, 2));
        else {
          const kept = before.dependents.derivedVolumes;
          io.out([`Deleted "${r.volume}" (run ${r.runId}):`, ...describeDependents(before), ...(kept.length ? [`Kept the volumes made from it: ${kept.join(', ')}.`] : [])].join('\n'));
        }
      }
      return EXIT.ok;
    } finally {
      project.close();
    }
  },
};
