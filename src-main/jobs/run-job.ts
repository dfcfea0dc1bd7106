// Runs one job in the current thread: used by the worker, and by the CLI,
// which is its own process and may block.
import { AppError } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { importChannels } from '../import/import-channels';
import { openProject } from '../project/open-project';
import { runProjectStep } from '../project/project-step';
import { describeClassifierRun } from '../segment/segment-classifier';
import { segmentStoredVolume } from '../segment/segment-volume';
import { describeReconstruction, reconstructStoredVolume } from '../steps/reconstruct-step';
import { describeMetrics, measureStoredVolume } from '../steps/metrics-step';
import { describeExport, exportStoredVolume } from '../steps/export-step';
import { describeThickness, importStoredThickness } from '../steps/thickness-step';
import { describeRegistration, registerStoredVolumes } from '../steps/register-step';
import { scoreOnAnnotations } from '../segment/score-on-annotations';
import type { AnnotationScores } from '../../src-shared/contract';
import type { JobSpec } from './job-spec';

export interface JobOutcome {
  message: string;
  result: unknown;
}

function stepCtx(spec: JobSpec, ctx: { signal?: AbortSignal; onProgress?: ProgressCallback }) {
  return { signal: ctx.signal ?? new AbortController().signal, onProgress: ctx.onProgress ?? (() => {}), appVersion: spec.appVersion };
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
    case 'segment': {
      const req = spec.request;
      return runProjectStep(spec.projectPath, 'segment', stepCtx(spec, ctx), async ({ project, signal, show, start, finish }) => {
        const result = await segmentStoredVolume(project.db, req, { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish });
        const how = result.model ? `model "${result.model.name}" on ${result.model.ep.toUpperCase()} (${result.model.reason})` : result.method;
        const learnt = result.classifier ? ` ${describeClassifierRun(result.classifier)}` : '';
        const why = result.auto ? ` Chosen by auto: ${result.auto.reason}` : '';
        const warning = result.ood?.outOfDepth ? ` Warning: ${result.ood.sentence}` : '';
        return { message: `Wrote "${result.out}": ${result.slices} slices of labels, solid fraction ${(100 * result.solidFraction).toFixed(2)} %, by ${how}.${learnt}${why}${warning}`, result };
      });
    }
    case 'reconstruct': {
      const req = spec.request;
      return runProjectStep(spec.projectPath, 'reconstruct', stepCtx(spec, ctx), async ({ project, signal, show, start, finish }) => {
        const result = await reconstructStoredVolume(project.db, req, { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish });
        return { message: describeReconstruction(result), result };
      });
    }
    case 'metrics': {
      const req = spec.request;
      return runProjectStep(spec.projectPath, 'metrics', stepCtx(spec, ctx), async ({ project, signal, show, start, finish }) => {
        const result = await measureStoredVolume(project.db, req, { signal, onProgress: show, onNotice: ctx.onNotice, startRun: (params) => start(params), finishRun: finish });
        return { message: describeMetrics(result), result };
      });
    }
    case 'export': {
      // Reads only: the project is opened read-only (no run record), as by `fibrecon export`.
      const project = openProject(spec.projectPath, { write: false });
      try {
        const result = await exportStoredVolume(project.db, spec.request, { signal: ctx.signal, onProgress: ctx.onProgress });
        return { message: describeExport(result), result };
      } finally {
        project.close();
      }
    }
    case 'compare': {
      // Reads only, as `fibrecon compare`: opened read-only, no run record.
      const project = openProject(spec.projectPath, { write: false });
      try {
        const result: AnnotationScores = await scoreOnAnnotations(project.db, spec.request.volume, { models: spec.request.models, signal: ctx.signal, onProgress: ctx.onProgress });
        return { message: `Best on your annotations: ${result.best.reason}`, result };
      } finally {
        project.close();
      }
    }
    case 'thickness': {
      const req = spec.request;
      return runProjectStep(spec.projectPath, 'thickness', stepCtx(spec, ctx), async ({ project, signal, show, start, finish }) => {
        const result = await importStoredThickness(project.db, req, { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish });
        for (const n of result.notes) ctx.onNotice?.(n);
        return { message: describeThickness(result, req.volume), result };
      });
    }
    case 'register': {
      const req = spec.request;
      return runProjectStep(spec.projectPath, 'register', stepCtx(spec, ctx), async ({ project, signal, show, start, finish }) => {
        const result = await registerStoredVolumes(project.db, req, { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish });
        return { message: describeRegistration(result).join('\n'), result };
      });
    }
    default:
      throw new AppError('invalid_input', `Unknown job kind ${(spec as { kind: string }).kind}.`);
  }
}
