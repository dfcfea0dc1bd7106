// `fibrecon annotate`: the sparse annotation of a grey volume (the pixel
// classifier's training labels) from and to label TIFFs, undo, clear, and the
// counts per class. Writing actions check their input completely first and are
// recorded as runs; every change is also an undoable annotation edit.
import type { Database } from 'better-sqlite3';
import type { AnnotationCounts, AnnotationEditInfo, AnnotationSummary } from '../../src-shared/contract';
import { annotationSummary, clearAnnotations, listEdits, undoLast } from '../project/annotation-store';
import { applyAnnotationTiff, checkAnnotationTiff, exportAnnotationTiff } from '../project/annotation-tiff';
import { openProject } from '../project/open-project';
import { type CliIO, EXIT, interruptSignal, UsageError } from './cli-io';
import { type Command, help, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const fmt = (n: number): string => n.toLocaleString('en-US');

/** 0, 2-4, 9 */
function sliceRanges(zs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < zs.length; i++) {
    let j = i;
    while (j + 1 < zs.length && zs[j + 1] === zs[j] + 1) j++;
    parts.push(j > i ? `${zs[i]}-${zs[j]}` : `${zs[i]}`);
    i = j;
  }
  return parts.join(', ');
}

function describeCounts(s: AnnotationSummary, counts: AnnotationCounts): string[] {
  return s.classes.map((c) => `  ${c.value} ${c.name}: ${fmt(counts[String(c.value)] ?? 0)} voxels`);
}

function describeEdit(e: AnnotationEditInfo): string {
  const what = e.tool === 'undo' ? `undo of #${e.undoes} (${String(e.detail?.tool ?? '')})` : e.tool;
  return `#${e.id} ${e.at} ${e.author}: ${what}, slice${e.slices.length === 1 ? '' : 's'} ${sliceRanges(e.slices) || '-'} (${fmt(e.changedPixels)} px)${e.undoneBy !== null ? `, undone by #${e.undoneBy}` : ''}`;
}

function formatSummary(s: AnnotationSummary): string {
  const [nz, ny, nx] = s.shape;
  if (s.message) return `Stale annotations of "${s.volume}" (version ${s.version}):\n${describeCounts(s, s.totals).join('\n')}\n${s.message}`;
  if (s.version === 0 && s.slices.length === 0) return `"${s.volume}" (${nz} x ${ny} x ${nx}, z, y, x) has no annotations yet: paint them in the app, or import a label TIFF with --labels.`;
  const lines = [`Annotations of "${s.volume}" (${nz} x ${ny} x ${nx}, z, y, x), version ${s.version}:`, ...describeCounts(s, s.totals)];
  lines.push(`  ${s.slices.length} of ${nz} slices annotated${s.slices.length ? `: ${sliceRanges(s.slices.map((x) => x.z))}` : ''}`);
  lines.push(`  ${s.editCount} edit${s.editCount === 1 ? '' : 's'}, ${s.undoable} undoable${s.lastEdit ? `; last: ${describeEdit(s.lastEdit)}` : ''}`);
  return lines.join('\n');
}

async function withReadOnly<T>(projectPath: string, io: CliIO, body: (db: Database, signal: AbortSignal) => Promise<T>): Promise<T> {
  const p = openProject(projectPath, { write: false });
  const interrupt = interruptSignal(io);
  try {
    return await body(p.db, interrupt.signal);
  } finally {
    interrupt.dispose();
    p.close();
  }
}

export const annotate: Command = {
  summary: 'sparse annotation of a grey volume for the pixel classifier: import/export label TIFFs, undo, clear, counts',
  usage:
    'fibrecon annotate PROJECT.fibrecon --volume NAME [--labels SPARSE.tif [--replace] [--map VALUE=CLASS ...] | --export OUT.tif [--overwrite] | --undo | --clear]\n' +
    '       [--author NAME] [--history] [--json]\n' +
    'Label TIFFs have the volume size (one page per slice): 0 = not annotated, 1 = pore, 2 = solid.\n' +
    '--labels adds: its non-zero voxels overwrite, its zeros keep what is there; --replace makes it the whole annotation.\n' +
    '--map says what other values mean (e.g. --map 255=2 for a 0/255 mask of solid); a 0/1 file needs --map 1=1 or --map 1=2.\n' +
    '--export writes the annotations (0 where none) as a uint8 TIFF, also a blank one to paint in elsewhere.\n' +
    'Without an action: the counts per class, the annotated slices and the version (--history: every edit).',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        volume: { type: 'string' },
        labels: { type: 'string' },
        replace: { type: 'boolean' },
        map: { type: 'string', multiple: true },
        export: { type: 'string' },
        overwrite: { type: 'boolean' },
        undo: { type: 'boolean' },
        clear: { type: 'boolean' },
        author: { type: 'string' },
        history: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    if (values.help) return help(this, io);
    const projectPath = one(positionals, 'project file', this.usage);
    const volume = values.volume as string | undefined;
    if (!volume) throw new UsageError(`--volume is required.\nUsage: ${this.usage}`);
    const actions = (['labels', 'export', 'undo', 'clear'] as const).filter((a) => values[a] !== undefined && values[a] !== false);
    if (actions.length > 1) throw new UsageError(`give one action at a time, not ${actions.map((a) => `--${a}`).join(' and ')}.`);
    const action = actions[0];
    if ((values.replace || values.map) && action !== 'labels') throw new UsageError('--replace and --map go with --labels.');
    if (values.overwrite && action !== 'export') throw new UsageError('--overwrite goes with --export.');
    const author = values.author as string | undefined;
    if (author !== undefined && !author.trim()) throw new UsageError('--author needs a name.');
    const json = values.json === true;

    if (action === undefined || action === 'export') {
      return withReadOnly(projectPath, io, async (db, signal) => {
        if (action === 'export') {
          const r = await exportAnnotationTiff(db, volume, values.export as string, { overwrite: values.overwrite === true, signal, protectedFiles: [projectPath] });
          const [nz, ny, nx] = r.shape;
          io.out(
            json
              ? JSON.stringify(r, null, 2)
              : `Wrote ${r.path}: ${nz} x ${ny} x ${nx} (z, y, x) uint8, ${r.annotatedSlices} annotated slice${r.annotatedSlices === 1 ? '' : 's'}${r.annotatedSlices === 0 ? ' (none yet: every voxel 0, to paint in with Fiji or napari and import with --labels)' : ''}.`,
          );
          return EXIT.ok;
        }
        const s = annotationSummary(db, volume);
        const edits = values.history ? listEdits(db, volume) : undefined;
        if (json) io.out(JSON.stringify(edits ? { ...s, edits } : s, null, 2));
        else io.out([formatSummary(s), ...(edits ?? []).map(describeEdit)].join('\n'));
        return EXIT.ok;
      });
    }

    // A label file is checked completely on a read-only project first: a refused file never opens it for writing.
    const checked =
      action === 'labels'
        ? await withReadOnly(projectPath, io, (db, signal) =>
            checkAnnotationTiff(db, volume, values.labels as string, { mode: values.replace ? 'replace' : 'add', mapSpecs: (values.map as string[] | undefined) ?? [], signal }),
          )
        : undefined;

    return withProjectStep(projectPath, 'annotate', io, async ({ project, signal, show, start, finish }) => {
      const db = project.db;
      let message: string;
      let result: unknown;
      // The change and its run record in one transaction (the edit a savepoint of it; on an
      // error the step wrapper rolls it back): a kill keeps both or neither.
      db.exec('BEGIN IMMEDIATE');
      if (checked) {
        start({ action: checked.mode === 'replace' ? 'replace' : 'import', volume, ...checked.detail });
        const r = await applyAnnotationTiff(db, checked, { author, signal, onProgress: show });
        const file = checked.file;
        result = r;
        message =
          r.changedPixels === 0
            ? `Nothing changed: "${volume}" already holds the annotations of ${file} (version ${r.version}).`
            : `${r.mode === 'replace' ? 'Replaced the annotations of' : 'Added annotations to'} "${volume}" from ${file}: ${r.slices.length} slice${r.slices.length === 1 ? '' : 's'} changed (${fmt(r.changedPixels)} voxels); version ${r.version}.` +
              (r.dense ? ' Every voxel of the file is annotated (no 0): a dense annotation.' : '');
      } else if (action === 'undo') {
        const r = undoLast(db, volume, { author });
        start({ action: 'undo', volume, undid: r.undone.map((e) => e.id) });
        result = r;
        const e = r.undone[0];
        message = `Undid edit #${e.id} (${e.tool} by ${e.author}, ${e.at}) on slice${e.slices.length === 1 ? '' : 's'} ${sliceRanges(e.slices)}; version ${r.version}.`;
      } else {
        const r = clearAnnotations(db, volume, { author });
        if (r.slices.length || r.discarded) start({ action: 'clear', volume, slices: r.slices.length, discarded: r.discarded });
        result = r;
        message = r.discarded
          ? `Deleted the stale annotations of "${volume}" (${r.slices.length} slice${r.slices.length === 1 ? '' : 's'}) with their history.`
          : r.slices.length
            ? `Cleared the annotations of "${volume}" on ${r.slices.length} slice${r.slices.length === 1 ? '' : 's'} (undo with --undo); version ${r.version}.`
            : `"${volume}" has no annotations: nothing to clear.`;
      }
      finish();
      db.exec('COMMIT');
      // The change is committed; a summary that cannot be made (the volume is gone) is left out, not an error.
      let summary: AnnotationSummary | null = null;
      try {
        summary = annotationSummary(db, volume);
      } catch {
        summary = null;
      }
      io.out(json ? JSON.stringify({ action, result, summary }, null, 2) : summary ? `${message}\n${formatSummary(summary)}` : message);
      return EXIT.ok;
    });
  },
};
