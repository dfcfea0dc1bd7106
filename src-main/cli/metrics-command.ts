// `fibrecon metrics`: quality numbers of a segmented volume (a TIFF file or a
// volume in a project), with or without ground truth. See docs/metrics.md.
import type { Volume } from '../../src-shared/volume';
import { asBinaryLabels, readTiffVolume } from '../import/read-tiff-volume';
import { openProject } from '../project/open-project';
import { getVolume, readSlice } from '../project/volume-store';
import { computeQualityMetrics } from '../steps/metrics-step';
import { type CliIO, EXIT, progressPrinter, UsageError } from './cli-io';
import { type Command, help, num, parse } from './command-helpers';

async function loadVolume(spec: string, voxelNm: number | undefined, io: CliIO): Promise<Volume> {
  // PROJECT.fibrecon:VOLUME or a TIFF file / folder.
  const m = /^(.*\.fibrecon):(.+)$/.exec(spec);
  let volume: Volume;
  if (m) {
    const p = openProject(m[1], { write: false });
    try {
      const v = getVolume(p.db, m[2]);
      const slices = [];
      for (let z = 0; z < v.shape[0]; z++) slices.push(await readSlice(p.db, v, z));
      volume = { ...v, slices };
    } finally {
      p.close();
    }
  } else {
    const read = await readTiffVolume([spec], { overrides: voxelNm === undefined ? undefined : { pixelSizeXNm: voxelNm, sliceSpacingNm: voxelNm } });
    read.notices.forEach((n) => io.err(`notice: ${n}`));
    volume = read;
  }
  const { volume: binary, notice } = asBinaryLabels(volume, spec);
  if (notice) io.err(`notice: ${notice}`);
  return binary;
}

export const metrics: Command = {
  summary: 'quality metrics of a segmented volume: isotropy errors, ligament diameters; MP/MGP/MDS against a ground truth',
  usage:
    'fibrecon metrics VOLUME [--truth VOLUME] [--rmax-nm R] [--patch N] [--descriptors] [--voxel-size-nm V] [--json]\n' +
    '       VOLUME is a label TIFF (0 = pore, 1 or 255 = solid) or PROJECT.fibrecon:NAME',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        truth: { type: 'string' },
        'rmax-nm': { type: 'string' },
        patch: { type: 'string' },
        descriptors: { type: 'boolean' },
        'voxel-size-nm': { type: 'string' },
        json: { type: 'boolean' },
      },
      this.usage,
    );
    if (values.help) return help(this, io);
    if (positionals.length !== 1) throw new UsageError(`give one volume.\nUsage: ${this.usage}`);
    const voxelNm = num(values['voxel-size-nm'] as string | undefined, '--voxel-size-nm');
    const volume = await loadVolume(positionals[0], voxelNm, io);
    const rMaxNm = num(values['rmax-nm'] as string | undefined, '--rmax-nm');
    const show = progressPrinter(io);
    const patch = num(values.patch as string | undefined, '--patch');
    const truth = values.truth ? await loadVolume(values.truth as string, voxelNm, io) : undefined;
    const computed = computeQualityMetrics(volume, { truth, rMaxNm, patch, descriptors: values.descriptors === true, onProgress: show });
    const result: Record<string, unknown> = { volume: positionals[0], ...computed };
    io.out(values.json ? JSON.stringify(result, null, 2) : formatMetrics(result));
    return EXIT.ok;
  },
};

function formatMetrics(r: Record<string, unknown>): string {
  const iso = r.isotropy as Record<string, unknown>;
  const lines = [`Volume   ${r.volume}`, `Shape    ${(r.shape as number[]).join(' x ')} (z, y, x), voxel ${(r.voxelSizeNm as { x: number }).x} nm`];
  const f = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : JSON.stringify(v));
  if ('eTpcf' in iso) {
    const d = iso.ligamentDiameterNm as Record<string, number>;
    lines.push(
      `Solid fraction  ${f(iso.solidFraction)}`,
      `e_TPCF ${f(iso.eTpcf)}   e_LPF ${f(iso.eLpf)}   e_D ${f(iso.eD)}   (0 = isotropic; docs/metrics.md)`,
      `Ligament diameter  D_xy ${d.xy.toFixed(1)} nm   D_xz ${d.xz.toFixed(1)} nm   D_yz ${d.yz.toFixed(1)} nm`,
    );
  } else {
    lines.push(`Patches: ${JSON.stringify(iso, (k, v) => (Array.isArray(v) && v.length > 8 ? `[${v.length} values]` : v))}`);
  }
  const t = r.truth as Record<string, number> | undefined;
  if (t) lines.push(`Against truth: MP ${t.misplacedPercent.toFixed(3)} %   MGP ${t.misplacedSolidPercent?.toFixed(3)} %   MDS ${t.meanDice.toFixed(4)}`);
  if (r.descriptors) lines.push('Descriptors (use --json for all of them):', JSON.stringify(r.descriptors, (k, v) => (Array.isArray(v) && v.length > 6 ? `[${v.length} values]` : v), 1));
  return lines.join('\n');
}
