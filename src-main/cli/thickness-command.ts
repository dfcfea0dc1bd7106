// `fibrecon thickness`: reads a thickness table (Auto Slice & View
// ProjectData.dat, or a CSV/TSV), checks it against a volume's slices, flags
// NaN / tiny / outlier values, resolves them as asked, stores the table with a
// run record and, with --apply, moves the slices to the measured z positions.
import { getVolume } from '../project/volume-store';
import type { ThicknessResolution } from '../thickness';
import { describeThicknessLines, importStoredThickness, type ThicknessSourceRequest } from '../steps/thickness-step';
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
    'fibrecon thickness PROJECT.fibrecon --volume NAME[,NAME...] (--asv ProjectData.dat | --table FILE [--unit nm|um|m] [--column thickness|z]\n' +
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
    const zLimit = num(values['z-limit'] as string | undefined, '--z-limit');
    const targetNm = num(values['target-nm'] as string | undefined, '--target-nm');
    let source: ThicknessSourceRequest;
    if (values['ruler-region'] !== undefined) {
      const [x, y, width, height] = String(values['ruler-region']).split(',').map((t) => Number(t.trim()));
      const angleDeg = num(values['angle-deg'] as string | undefined, '--angle-deg');
      if (angleDeg === undefined) throw new UsageError('--ruler-region needs --angle-deg (the inclination of the inclined markers to the section plane).');
      source = { ruler: { x, y, width, height, angleDeg, markerPolarity: (values['marker-polarity'] as 'bright' | 'dark' | undefined) ?? 'bright' } };
    } else if (values.asv !== undefined) source = { asv: file };
    else source = { table: file, unit: values.unit as string | undefined, column };
    const resolve = {
      nan: values.nan === undefined ? undefined : resolution(values.nan, '--nan', 'interpolate'),
      tiny: values.tiny === undefined ? undefined : resolution(values.tiny, '--tiny', 'interpolate'),
      outliers: values.outliers === undefined ? undefined : resolution(values.outliers, '--outliers', 'keep'),
    };
    // Several names: the channels of one milling (the same slices), each given the series, in one run.
    const names = String(values.volume).split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (names.length === 0) throw new UsageError(`give --volume NAME (or NAME,NAME for the channels of one milling).\nUsage: ${this.usage}`);
    return withProjectStep(projectPath, 'thickness', io, async ({ project, signal, show, start, finish }) => {
      const result = await importStoredThickness(
        project.db,
        { volume: names[0], ...(names.length > 1 ? { alsoVolumes: names.slice(1) } : {}), source, resolve, zLimit, targetNm, apply: values.apply === true },
        { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish },
      );
      const after = getVolume(project.db, names[0]);
      const name = after.name;
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        for (const n of result.notes) io.err(`notice: ${n}`);
        io.out(
          [
            ...describeThicknessLines(result, name, file, zLimit),
            ...(result.tables.length > 1 ? [`Also stored for ${result.tables.slice(1).map((t) => `"${t.volume}" (table ${t.tableId})`).join(', ')}: the same milling.`] : []),
            values.apply ? `Applied: the slices of ${result.tables.map((t) => `"${t.volume}"`).join(', ')} now sit at the measured z (total depth ${after.zPositionsNm.at(-1)?.toFixed(1)} nm).` : 'Not applied (add --apply to move the slices to these z positions).',
          ].join('\n'),
        );
      }
      return EXIT.ok;
    });
  },
};
