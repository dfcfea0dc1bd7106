// What a project holds, in the contract's terms (for the UI, the CLI and tests).
import type { ChannelSummary, ProjectSummary } from '../../src-shared/contract';
import type { Sourced } from '../../src-shared/metadata';
import type { Project } from './open-project';
import { countInterruptedRuns } from './runs';
import { getProjectMeta, listVolumes } from './volume-store';

export function projectSummary(project: Project, appVersion: string): ProjectSummary {
  const { db } = project;
  const meta = getProjectMeta(db);
  const channels: ChannelSummary[] = listVolumes(db, 'channel').map((v) => {
    const files = db.prepare('SELECT COUNT(*) FROM input_file WHERE volume_id = ?').pluck().get(v.id) as number;
    const z = v.zPositionsNm;
    return {
      name: v.name,
      shape: v.shape,
      dtype: v.dtype,
      voxelSizeNm: v.voxelSizeNm,
      voxelSizeSource: v.voxelSizeSource,
      depthNm: z.length > 0 ? z[z.length - 1] - z[0] : 0,
      beamVoltageV: v.metadata.beamVoltageV as Sourced<number> | undefined,
      detector: v.metadata.detector as Sourced<string> | undefined,
      sourceFileCount: files,
      rawBytes: v.rawBytes,
      storedBytes: v.storedBytes,
      importedAt: v.createdAt,
    };
  });
  // Recorded by a writer, or seen now: a run still marked running whose process is gone.
  const interruptedRuns = countInterruptedRuns(db);
  return {
    path: project.path,
    name: meta.name ?? '',
    schemaVersion: project.schemaVersion,
    createdAt: meta.created_at ?? '',
    appVersion,
    channels,
    interruptedRuns,
  };
}
