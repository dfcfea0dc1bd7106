// `fibrecon synth`: a synthetic FIB-SEM sample with ground truth (structure,
// milled stacks at each kV / detector with FEI metadata, thickness tables,
// ASV-like ProjectData.dat, true z positions). See docs/forward-model.md.
import { AppError } from '../../src-shared/errors';
import { hnpgPreset, writeSyntheticSample } from '../synth/write-synthetic-sample';
import { EXIT, interruptSignal, progressPrinter, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';

const DETECTORS = ['TLD', 'ICD'] as const;

export const synth: Command = {
  summary: "write a synthetic sample with ground truth (the HNPG preset of [Sardhara2023] by default)",
  usage:
    'fibrecon synth OUTDIR [--columns 256] [--rows 192] [--slices 40] [--seed N] [--kv 1,2,4] [--detector TLD,ICD]\n' +
    '       [--fill epoxy|vacuum] [--dtype uint8|uint16] [--target-nm 10] [--thickness-mean-nm 10.16] [--thickness-sd-nm 3.12]\n' +
    '       [--ruler-rows 24 (0 = no ruler)] [--json]',
  async run(args, io) {
    const opts = ['columns', 'rows', 'slices', 'seed', 'kv', 'detector', 'fill', 'dtype', 'target-nm', 'thickness-mean-nm', 'thickness-sd-nm', 'ruler-rows'];
    const { values, positionals } = parse(args, { ...Object.fromEntries(opts.map((o) => [o, { type: 'string' as const }])), json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    const dir = one(positionals, 'output folder', this.usage);
    const int = (flag: string) => {
      const v = num(values[flag] as string | undefined, `--${flag}`);
      if (v !== undefined && !Number.isInteger(v)) throw new AppError('invalid_input', `--${flag} must be a whole number, got ${v}.`);
      return v;
    };
    const p = hnpgPreset({ columns: int('columns'), rows: int('rows'), slices: int('slices'), seed: values.seed === undefined ? undefined : Number(values.seed) });
    const kvs = ((values.kv as string | undefined) ?? '1,2,4').split(',').map((t) => num(t.trim(), '--kv') as number);
    const detectors = ((values.detector as string | undefined) ?? 'TLD').split(',').map((t) => t.trim().toUpperCase());
    for (const d of detectors) if (!DETECTORS.includes(d as (typeof DETECTORS)[number])) throw new AppError('invalid_input', `--detector takes TLD and/or ICD, got "${d}".`);
    p.beams = detectors.flatMap((detector) => kvs.map((energyKeV) => ({ energyKeV, detector: detector as (typeof DETECTORS)[number] })));
    if (values.fill !== undefined) {
      if (values.fill !== 'epoxy' && values.fill !== 'vacuum') throw new UsageError('--fill takes epoxy or vacuum.');
      p.fill = values.fill;
    }
    if (values.dtype !== undefined) {
      if (values.dtype !== 'uint8' && values.dtype !== 'uint16') throw new UsageError('--dtype takes uint8 or uint16.');
      p.dtype = values.dtype;
    }
    p.milling = {
      targetNm: num(values['target-nm'] as string | undefined, '--target-nm') ?? p.milling.targetNm,
      meanNm: num(values['thickness-mean-nm'] as string | undefined, '--thickness-mean-nm') ?? p.milling.meanNm,
      sdNm: num(values['thickness-sd-nm'] as string | undefined, '--thickness-sd-nm') ?? p.milling.sdNm,
    };
    if (values['ruler-rows'] !== undefined) p.rulerRows = Number(values['ruler-rows']);
    const interrupt = interruptSignal(io);
    const show = progressPrinter(io);
    try {
      const r = await writeSyntheticSample(dir, p, { signal: interrupt.signal, onProgress: show });
      if (values.json) io.out(JSON.stringify({ files: r.files, roi: r.roi, slices: r.zPositionsNm.length }, null, 2));
      else {
        io.out(`Wrote ${dir}: ${r.files.stacks.length} stack(s), truth, thickness tables, ProjectData.dat, manifest.json.`);
        io.out(`Structure region in the images: x ${r.roi.x}, y ${r.roi.y}, ${r.roi.width} x ${r.roi.height} px (rows above are the ruler).`);
        io.out(`Import: fibrecon import P.fibrecon ${r.files.stacks.map((s) => `--channel ${s.beam.energyKeV}kV-${s.beam.detector}=${s.path}`).join(' ')} --crop ${r.roi.x},${r.roi.y},${r.roi.width},${r.roi.height}`);
      }
      return EXIT.ok;
    } finally {
      interrupt.dispose();
    }
  },
};
