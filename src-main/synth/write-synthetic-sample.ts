// A synthetic FIB-SEM run on disk, with its ground truth: what a user (or a
// test) imports as if it came from the microscope, and what it should find.
//
//   <dir>/2kV_TLD.tif ...      one multipage TIFF per beam setting, FEI tag 34682 INI
//   <dir>/truth.tif            labels (1 = solid) of the imaged planes, region of interest only
//   <dir>/z-positions.csv      slice, z_nm, plane: where each slice really is
//   <dir>/thickness-true.csv   slice, thickness_nm (slice i to i + 1)
//   <dir>/thickness-ruler.csv  slice, thickness_nm measured from the ruler markers in the images
//   <dir>/ProjectData.dat      Auto Slice & View-like estimates (noisy, some <= 1 nm, NaN)
//   <dir>/manifest.json        every parameter and seed, file list, region of interest
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfAborted } from '../../src-shared/errors';
import type { JobControl } from './leveled-wave-field';
import { leveledWaveStructure } from './leveled-wave-structure';
import { mixSeed } from './seeded-random';
import { checkSeed, invalid } from './synth-inputs';
import { writeTiffStack } from '../tiff-write';
import { EPOXY, VACUUM } from './image/bse-coefficient';
import { DEFAULT_FORWARD_MODEL, shineBins, type BeamSetting, type ForwardModelParams } from './image/forward-model';
import { DEFAULT_NOISE, type NoiseParams } from './image/noise';
import { simulateStacks } from './image/simulate-stack';
import { asvMeasuredThicknessNm, asvProjectDataXml } from './milling/asv-project-data';
import { defaultRulerGeometry, findMarkerCentresPx, rulerBandSignal, rulerThicknessNm, type RulerGeometry } from './milling/ruler';
import { planMilling } from './milling/slice-thickness';

export interface SyntheticSampleParams {
  /** Image width and height of the region of interest, px (= structure columns and rows). */
  columns: number;
  rows: number;
  /** Number of imaged slices. */
  slices: number;
  /** Isotropic voxel size of the structure, nm (in-plane pixel size of the images). */
  voxelNm: number;
  solidFraction: number;
  coarse: { wavelengthNm: number; waves: number };
  /** Second level inside the ligaments (hierarchical); omit for plain nanoporous gold. */
  fine?: { wavelengthNm: number; waves: number; solidFraction: number };
  milling: { targetNm: number; meanNm: number; sdNm: number };
  beams: BeamSetting[];
  fill: 'epoxy' | 'vacuum';
  dtype: 'uint8' | 'uint16';
  /** Ruler band height above the structure, px; 0 = no ruler. */
  rulerRows: number;
  seed: number;
  model?: Partial<Pick<ForwardModelParams, 'attenuationFraction' | 'spreadPerDepth' | 'beamSigmaNm'>>;
  noise?: NoiseParams;
}

/**
 * The papers' setting ([Sardhara2023], [Sardhara2024]): hierarchical nanoporous gold in epoxy, 2.5 nm
 * voxels, 10 nm target slices with the measured gamma spread, 1/2/4 kV TLD. Ligaments
 * of ~110 nm and ~15 nm: the mean solid chord of a leveled-wave structure is ~0.6 of
 * its wavelength (leveled-wave-structure.ts), hence wavelengths 180 nm and 25 nm.
 * The default size generates in well under a minute on a laptop.
 */
export function hnpgPreset(size: { columns?: number; rows?: number; slices?: number; seed?: number } = {}): SyntheticSampleParams {
  return {
    columns: size.columns ?? 256,
    rows: size.rows ?? 192,
    slices: size.slices ?? 40,
    voxelNm: 2.5,
    solidFraction: 0.3,
    coarse: { wavelengthNm: 180, waves: 100 },
    fine: { wavelengthNm: 25, waves: 100, solidFraction: 0.7 },
    milling: { targetNm: 10, meanNm: 10.16, sdNm: 3.12 },
    beams: [1, 2, 4].map((energyKeV) => ({ energyKeV, detector: 'TLD' as const })),
    fill: 'epoxy',
    dtype: 'uint8',
    rulerRows: 24,
    seed: size.seed ?? 2024,
  };
}

export interface SyntheticSampleResult {
  files: { stacks: { beam: BeamSetting; path: string }[]; truth: string; zPositions: string; thicknessTrue: string; thicknessRuler?: string; projectData: string; manifest: string };
  zPositionsNm: number[];
  thicknessNm: number[];
  rulerThicknessNm?: number[];
  /** Rows of the structure in the images: y from rulerRows to rulerRows + rows. */
  roi: { x: number; y: number; width: number; height: number };
}

/** The FEI-style INI text of tag 34682 (CRLF, SI units). */
export function feiIni(beam: BeamSetting, pixelNm: number, columns: number, rows: number): string {
  const m = (pixelNm * 1e-9).toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2').replace(/e([+-])(\d\d)$/, 'e$10$2');
  return [
    '[User]',
    'Date=01/01/2024',
    '[Beam]',
    `HV=${Math.round(beam.energyKeV * 1000)}`,
    '[Scan]',
    `PixelWidth=${m}`,
    `PixelHeight=${m}`,
    '[Detectors]',
    `Name=${beam.detector}`,
    'Mode=BSE',
    '[Image]',
    `ResolutionX=${columns}`,
    `ResolutionY=${rows}`,
    '',
  ].join('\r\n');
}

export function beamFileName(beam: BeamSetting): string {
  return `${beam.energyKeV}kV_${beam.detector}.tif`;
}

function csv(header: string, rows: (string | number)[][]): string {
  return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

export async function writeSyntheticSample(dir: string, params: SyntheticSampleParams, control: JobControl = {}): Promise<SyntheticSampleResult> {
  const p = params;
  checkSeed(p.seed);
  if (!p.beams.length) throw invalid('give at least one beam setting (kV and detector)');
  if (!Number.isInteger(p.rulerRows) || p.rulerRows < 0 || p.rulerRows === 1) throw invalid(`ruler rows must be 0 (no ruler) or an integer >= 2, got ${p.rulerRows}`);
  const model: ForwardModelParams = { ...DEFAULT_FORWARD_MODEL, ...p.model, fill: p.fill === 'vacuum' ? VACUUM : EPOXY };
  const plan = planMilling({ meanNm: p.milling.meanNm, sdNm: p.milling.sdNm, voxelZNm: p.voxelNm, slices: p.slices, seed: mixSeed(p.seed, 2) });
  // Structure deep enough for the deepest shine-through below the last slice.
  const maxKeV = Math.max(...p.beams.map((b) => b.energyKeV));
  const bins = shineBins(model, maxKeV, p.voxelNm, p.voxelNm).bins;
  const margin = bins.length ? bins[bins.length - 1].kHi : 1;
  const nz = plan.planes[plan.planes.length - 1] + 1 + margin;
  const seeds = { structure: mixSeed(p.seed, 1) | 0, milling: mixSeed(p.seed, 2), images: mixSeed(p.seed, 3) | 0, asv: mixSeed(p.seed, 4) };
  const report = (fraction: number, message: string) => control.onProgress?.({ fraction, message });

  report(0, `generating the ${p.columns} x ${p.rows} x ${nz} structure`);
  const structure = leveledWaveStructure(
    {
      shape: [nz, p.rows, p.columns],
      voxelSizeNm: p.voxelNm,
      wavelengthNm: p.coarse.wavelengthNm,
      waves: p.coarse.waves,
      seed: seeds.structure,
      solidFraction: p.solidFraction,
      fine: p.fine,
    },
    { signal: control.signal },
  );
  throwIfAborted(control.signal);
  const depthNm = plan.zPositionsNm[plan.zPositionsNm.length - 1];
  const ruler: RulerGeometry | undefined = p.rulerRows ? defaultRulerGeometry(p.columns, p.voxelNm, depthNm, p.rulerRows) : undefined;
  report(0.3, 'simulating the images');
  const stacks = simulateStacks(
    structure,
    plan.planes,
    p.beams,
    {
      model,
      noise: p.noise ?? DEFAULT_NOISE,
      dtype: p.dtype,
      seed: seeds.images,
      zPositionsNm: plan.zPositionsNm,
      bandAbove: ruler && ((s, beam) => ({ rows: ruler.rows, signal: rulerBandSignal(ruler, plan.zPositionsNm[s], beam.energyKeV) })),
    },
    { signal: control.signal, onProgress: (q) => report(0.3 + 0.5 * q.fraction, q.message) },
  );

  await mkdir(dir, { recursive: true });
  const totalRows = p.rows + p.rulerRows;
  const voxelSizeNm = { x: p.voxelNm, y: p.voxelNm, z: p.milling.targetNm };
  const stackFiles: { beam: BeamSetting; path: string }[] = [];
  for (const [i, beam] of p.beams.entries()) {
    const path = join(dir, beamFileName(beam));
    await writeTiffStack(
      path,
      { shape: stacks[i].shape, dtype: p.dtype, voxelSizeNm },
      stacks[i].slices,
      { signal: control.signal, extraTags: [{ tag: 34682, text: feiIni(beam, p.voxelNm, p.columns, totalRows) }] },
    );
    stackFiles.push({ beam, path });
  }
  const truth = join(dir, 'truth.tif');
  await writeTiffStack(truth, { shape: [p.slices, p.rows, p.columns], dtype: 'uint8', voxelSizeNm }, plan.planes.map((z) => structure.slices[z]), { signal: control.signal });

  // The ruler as a user would measure it: from the first stack's images.
  let rulerNm: number[] | undefined;
  if (ruler) {
    const first = stacks[0];
    const band = ruler.rows * p.columns;
    rulerNm = rulerThicknessNm(ruler, first.slices.map((s) => findMarkerCentresPx(s.subarray(0, band), p.columns, ruler.rows)));
  }
  const asv = asvMeasuredThicknessNm(plan.thicknessNm, seeds.asv);
  const files = {
    stacks: stackFiles,
    truth,
    zPositions: join(dir, 'z-positions.csv'),
    thicknessTrue: join(dir, 'thickness-true.csv'),
    thicknessRuler: rulerNm ? join(dir, 'thickness-ruler.csv') : undefined,
    projectData: join(dir, 'ProjectData.dat'),
    manifest: join(dir, 'manifest.json'),
  };
  await writeFile(files.zPositions, csv('slice,z_nm,plane', plan.zPositionsNm.map((z, i) => [i, z, plan.planes[i]])));
  await writeFile(files.thicknessTrue, csv('slice,thickness_nm', plan.thicknessNm.map((t, i) => [i, t])));
  if (rulerNm && files.thicknessRuler) await writeFile(files.thicknessRuler, csv('slice,thickness_nm', rulerNm.map((t, i) => [i, t.toFixed(3)])));
  await writeFile(files.projectData, asvProjectDataXml(p.milling.targetNm, asv));
  const roi = { x: 0, y: p.rulerRows, width: p.columns, height: p.rows };
  const manifest = {
    generator: 'fibrecon writeSyntheticSample',
    params: p,
    seeds,
    structureShape: structure.shape,
    forwardModel: { ...model, solid: model.solid.name, fill: model.fill.name },
    ruler,
    roi,
    milling: { drawnNm: plan.drawnNm, thicknessNm: plan.thicknessNm, zPositionsNm: plan.zPositionsNm, planes: plan.planes },
    files: { ...files, stacks: stackFiles.map((s) => ({ ...s.beam, path: s.path })) },
  };
  await writeFile(files.manifest, JSON.stringify(manifest, null, 2));
  report(1, 'synthetic sample written');
  return { files, zPositionsNm: plan.zPositionsNm, thicknessNm: plan.thicknessNm, rulerThicknessNm: rulerNm, roi };
}
