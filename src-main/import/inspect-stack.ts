// What the import step shows before anything is written: files found, size,
// pixel type and the metadata detected, with where each value came from.
import type { StackInspection } from '../../src-shared/contract';
import { planStack } from './plan-stack';

export async function inspectStack(paths: readonly string[], signal?: AbortSignal): Promise<StackInspection> {
  const plan = await planStack(paths, signal);
  const m = plan.files[0].metadata;
  return {
    files: plan.files.map((f) => f.path),
    slices: plan.slices.length,
    width: plan.width,
    height: plan.height,
    dtype: plan.dtype,
    vendor: m.vendor,
    pixelSizeXNm: m.pixelSizeXNm,
    pixelSizeYNm: m.pixelSizeYNm,
    sliceSpacingNm: m.sliceSpacingNm,
    beamVoltageV: m.beamVoltageV,
    detector: m.detector,
    imageRows: m.imageRows,
    notices: plan.notices,
  };
}
