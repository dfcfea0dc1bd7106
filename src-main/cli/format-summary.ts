// Human-readable project summary for the terminal: every number with its unit.
import type { ProjectSummary, StackInspection } from '../../src-shared/contract';
import { SCHEMA_VERSION } from '../project/schema';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const nm = (v: number) => `${Number(v.toPrecision(6))} nm`;

export function formatSummary(s: ProjectSummary): string {
  const lines = [
    `Project  ${s.name}`,
    `File     ${s.path}`,
    `Created  ${s.createdAt}   schema ${s.schemaVersion}   fibrecon ${s.appVersion}`,
  ];
  if (s.schemaVersion < SCHEMA_VERSION) {
    lines.push(`Note     this project was written by an older version of fibrecon (schema ${s.schemaVersion}; this one writes ${SCHEMA_VERSION}); the first change will upgrade it.`);
  }
  if (s.interruptedRuns > 0) lines.push(`Warning  ${s.interruptedRuns} step(s) were interrupted by a crash or kill; nothing of them was kept.`);
  if (s.channels.length === 0) {
    lines.push('Channels none yet (import a stack: fibrecon import PROJECT PATH)');
    return lines.join('\n');
  }
  lines.push(`Channels ${s.channels.length}`);
  for (const c of s.channels) {
    const [nz, ny, nx] = c.shape;
    lines.push(
      `  ${c.name}: ${nz} slices x ${ny} rows x ${nx} columns, ${c.dtype}`,
      `    voxel size  x ${nm(c.voxelSizeNm.x)} (${c.voxelSizeSource.x})`,
      `                y ${nm(c.voxelSizeNm.y)} (${c.voxelSizeSource.y})`,
      `                z ${nm(c.voxelSizeNm.z)} (${c.voxelSizeSource.z})`,
      `    extent      ${nm(nx * c.voxelSizeNm.x)} x ${nm(ny * c.voxelSizeNm.y)}; slices span ${nm(c.depthNm)} (first to last slice)`,
    );
    if (c.beamVoltageV) lines.push(`    beam        ${c.beamVoltageV.value / 1000} kV (${c.beamVoltageV.source})`);
    if (c.detector) lines.push(`    detector    ${c.detector.value} (${c.detector.source})`);
    lines.push(`    stored      ${mb(c.storedBytes)} for ${mb(c.rawBytes)} of pixels, from ${c.sourceFileCount} file(s), imported ${c.importedAt}`);
  }
  return lines.join('\n');
}

export function formatInspection(s: StackInspection): string {
  const v = <T,>(x: { value: T; source: string } | undefined, unit: string) => (x ? `${x.value}${unit} (${x.source})` : 'not found');
  const lines = [
    `Files      ${s.files.length} (${s.files[0]}${s.files.length > 1 ? ` ... ${s.files[s.files.length - 1]}` : ''})`,
    `Slices     ${s.slices}`,
    `Image      ${s.width} x ${s.height} px, ${s.dtype}`,
    `Vendor     ${s.vendor}`,
    `Pixel x    ${v(s.pixelSizeXNm, ' nm')}`,
    `Pixel y    ${v(s.pixelSizeYNm, ' nm')}`,
    `Spacing z  ${v(s.sliceSpacingNm, ' nm')}`,
    `Beam       ${v(s.beamVoltageV, ' V')}`,
    `Detector   ${v(s.detector, '')}`,
    `Image rows ${v(s.imageRows, '')}${s.imageRows ? ' (rows below are the data bar, cropped on import)' : ''}`,
  ];
  for (const n of s.notices) lines.push(`Notice     ${n}`);
  return lines.join('\n');
}
