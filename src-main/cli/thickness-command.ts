// `fibrecon thickness`: reads a thickness table (Auto Slice & View
// ProjectData.dat, or a CSV/TSV), checks it against a volume's slices, flags
// NaN / tiny / outlier values, resolves them as asked, stores the table with a
// run record and, with --apply, moves the slices to the measured z positions.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../src-shared/errors';
import { loadVolume } from '../project/save-volume';
import { getVolume } from '../project/volume-store';
import { measureRulerThickness, rulerParsedThickness } from '../thickness/ruler-thickness';
import {
  fitGamma,
  flagThickness,
  matchSliceCount,
  parseAsvProjectData,
  parseThicknessTable,
  resolveFlaggedThickness,
  saveThicknessTable,
  summarizeThickness,
  type ParsedThickness,
  type ThicknessResolution,
  zPositionsNmFromThickness,
} from '../thickness';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const RESOLUTIONS = ['keep', 'target', 'median', 'interpolate'] as const;

function resolution(value: unknown, flag: string, dflt: ThicknessResolution): ThicknessResolution {
  if (value === undefined) return dflt;
  if (!RESOLUTIONS.includes(value as ThicknessResolution)) throw new UsageError(`${flag} takes ${RESOLUTIONS.join(', ')}; got "${String(value)}".`);
  return value as ThicknessResolution;
}

export const thickness: Command = {
  summary: 'import measured slice thicknesses (ASV ProjectData.dat or a table), check and correct them, optionally apply them as z positions',
  usage:
    'fibrecon thickness PROJECT.fibrecon --volume NAME (--asv ProjectData.dat | --table FILE [--unit nm|um|m] [--column thickness|z]\n' +
    '       | --ruler-region X,Y,W,H --angle-deg A [--marker-polarity bright|dark])\n' +
    '       [--nan interpolate] [--tiny interpolate] [--outliers keep] [--z-limit 1.5] [--target-nm T] [--apply] [--json]',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        volume: { type: 'string' },
        asv: { type: 'string' },
        table: { type: 'string' },
        unit: { type: 'string' },
        column: { type: 'string' },
        nan: { type: 'string' },
        tiny: { type: 'string' },
        outliers: { type: 'string' },
        'z-limit': { type: 'string' },
        'target-nm': { type: 'string' },
        'ruler-region': { type: 'string' },
        'angle-deg': { type: 'string' },
        'marker-polarity': { type: 'string' },
        apply: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    if (values.help) return help(this, io);
    const projectPath = one(positionals, 'project file', this.usage);
    const sources = [values.asv, values.table, values['ruler-region']].filter((v) => v !== undefined).length;
    if (!values.volume || sources !== 1) throw new UsageError(`give --volume and one of --asv, --table or --ruler-region.\nUsage: ${this.usage}`);
    const file = (values.asv ?? values.table ?? 'ruler') as string;
    const column = values.column as 'thickness' | 'z' | undefined;
    if (column !== undefined && column !== 'thickness' && column !== 'z') throw new UsageError('--column takes thickness or z.');
    const readText = (): string => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        throw new AppError('file_not_found', `${file} cannot be read: check the path.`, file);
      }
    };
    return withProjectStep(projectPath, 'thickness', io, async ({ project, start, finish }) => {
      const v = getVolume(project.db, values.volume as string);
      const params = { volume: v.name, file, rulerRegion: values['ruler-region'], angleDeg: values['angle-deg'], nan: values.nan, tiny: values.tiny, outliers: values.outliers, apply: values.apply === true };
      const runId = start(params);
      let parsed: ParsedThickness & { uncertaintyNm?: number[] };
      if (values['ruler-region'] !== undefined) {
        const [x, y, width, height] = String(values['ruler-region']).split(',').map((t) => Number(t.trim()));
        const angleDeg = num(values['angle-deg'] as string | undefined, '--angle-deg');
        if (angleDeg === undefined) throw new UsageError('--ruler-region needs --angle-deg (the inclination of the inclined markers to the section plane).');
        const polarity = (values['marker-polarity'] as 'bright' | 'dark' | undefined) ?? 'bright';
        const stack = await loadVolume(project.db, v.name);
        const m = measureRulerThickness(stack.slices, v.shape[2], v.shape[1], { region: { x, y, width, height }, angleDeg, pixelSizeNm: v.voxelSizeNm.x, markerPolarity: polarity });
        parsed = rulerParsedThickness(m);
      } else {
        parsed = values.asv
          ? parseAsvProjectData(readText(), basename(file))
          : parseThicknessTable(readText(), { source: 'ruler', unit: values.unit as string | undefined, column, fileName: basename(file) });
      }
      const matched = matchSliceCount(parsed, v.shape[0]);
      const flagged = flagThickness(matched.thicknessNm, { outlierZ: num(values['z-limit'] as string | undefined, '--z-limit') });
      const target = num(values['target-nm'] as string | undefined, '--target-nm') ?? matched.targetNm ?? v.voxelSizeNm.z;
      const resolved = resolveFlaggedThickness(
        matched.thicknessNm,
        flagged.flags,
        { nan: resolution(values.nan, '--nan', 'interpolate'), tiny: resolution(values.tiny, '--tiny', 'interpolate'), outlier: resolution(values.outliers, '--outliers', 'keep') },
        { targetNm: target },
      );
      const stats = summarizeThickness(resolved.thicknessNm);
      const gamma = fitGamma(resolved.thicknessNm);
      project.db.exec('BEGIN IMMEDIATE');
      const tableId = saveThicknessTable(project.db, {
        volumeId: v.id,
        source: parsed.source,
        description: `${basename(file)} for "${v.name}" (${flagged.counts.nan} NaN, ${flagged.counts.tiny} <= 1 nm, ${flagged.counts.outlier} outliers; resolved: nan ${params.nan ?? 'interpolate'}, tiny ${params.tiny ?? 'interpolate'}, outliers ${params.outliers ?? 'keep'})`,
        values: resolved.thicknessNm.map((t, i) => ({ sliceIndex: i, thicknessNm: t, uncertaintyNm: parsed.uncertaintyNm?.[i], flag: flagged.flags[i] ?? undefined })),
        runId,
      });
      if (values.apply) {
        const z = zPositionsNmFromThickness(resolved.thicknessNm);
        const update = project.db.prepare('UPDATE slice SET z_nm = ? WHERE volume_id = ? AND z_index = ?');
        z.forEach((zNm, i) => update.run(zNm, v.id, i));
        project.db
          .prepare('UPDATE volume SET voxel_z_nm = ?, voxel_source_json = json_set(voxel_source_json, \'$.z\', ?) WHERE id = ?')
          .run(stats.meanNm, `mean of the measured thicknesses (${basename(file)}, table ${tableId})`, v.id);
      }
      finish(); // in the transaction: the table and its run land together
      project.db.exec('COMMIT');
      const result = { tableId, notes: [...parsed.notes, ...matched.notes], flags: flagged.counts, statistics: stats, gamma, applied: values.apply === true, actions: resolved.actions };
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        for (const n of result.notes) io.err(`notice: ${n}`);
        io.out(
          [
            `Thickness table ${tableId} for "${v.name}" from ${basename(file)}: ${resolved.thicknessNm.length} values`,
            `Flags: ${flagged.counts.nan} not measured, ${flagged.counts.tiny} <= 1 nm, ${flagged.counts.outlier} beyond |z| ${num(values['z-limit'] as string | undefined, '--z-limit') ?? 1.5}`,
            `After correction: mean ${stats.meanNm.toFixed(2)} nm, sd ${stats.sdNm.toFixed(2)} nm, min ${stats.minNm.toFixed(2)} nm, max ${stats.maxNm.toFixed(2)} nm; gamma fit shape ${gamma.shape.toFixed(2)}, scale ${gamma.scaleNm.toFixed(2)} nm`,
            values.apply ? `Applied: the slices of "${v.name}" now sit at the measured z (total depth ${zPositionsNmFromThickness(resolved.thicknessNm).at(-1)?.toFixed(1)} nm).` : 'Not applied (add --apply to move the slices to these z positions).',
          ].join('\n'),
        );
      }
      return EXIT.ok;
    });
  },
};
