// Runs one job in the current thread: used by the worker, and by the CLI,
// which is its own process and may block.
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { importChannels } from '../import/import-channels';
import { openProject } from '../project/open-project';
import type { JobSpec } from './job-spec';

export interface JobOutcome {
  message: string;
  result: unknown;
}

export async function runJob(spec: JobSpec, ctx: { signal?: AbortSignal; onProgress?: ProgressCallback; onNotice?: (m: string) => void }): Promise<JobOutcome> {
  switch (spec.kind) {
    case 'import': {
      const project = openProject(spec.projectPath, { write: true, purpose: 'import' });
      try {
        const result = await importChannels(project, spec.request, { appVersion: spec.appVersion, ...ctx });
        const names = result.channels.map((c) => `"${c.name}" (${c.slices} slices of ${c.width} x ${c.height} px)`).join(', ');
        return { message: `Imported ${names} in ${result.seconds.toFixed(1)} s`, result };
      } finally {
        project.close();
      }
    }
    default:
      throw new AppError('invalid_input', `Unknown job kind ${(spec as { kind: string }).kind}.`);
  }
}
