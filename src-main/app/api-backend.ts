// The main-process side of the contract, with no Electron in it: the Electron
// shell and the HTTP bridge both wrap this. It keeps the open project (this
// process is its writer) and runs long work as jobs in worker threads.
import { platform } from 'node:os';
import {
  type ApiMethod,
  type CompareJobRequest,
  type ExportJobRequest,
  type MetricsJobRequest,
  type RegisterJobRequest,
  type ThicknessJobRequest,
  type FibreconApi,
  type ImportRequest,
  type ModelInfo,
  type ProjectSummary,
  type ReconstructJobRequest,
  type SegmentJobRequest,
  type SegmentPreview,
  type SegmentPreviewRequest,
  validateRequest,
  type VolumeSummary,
} from '../../src-shared/contract';
import type { PlaneAxis } from '../../src-shared/pipeline-methods';
import { AppError, type Result, toErrorValue } from '../../src-shared/errors';
import { inspectStack } from '../import/inspect-stack';
import { previewStackSlice } from '../import/preview-stack-slice';
import { measureChannelShift } from '../project/channel-shift';
import { JobRunner } from '../jobs/job-runner';
import { createProject, openProject, type Project } from '../project/open-project';
import { projectSummary } from '../project/project-summary';
import { grey8Preview } from '../project/slice-preview';
import { readPlane } from '../project/plane-preview';
import { volumeForView } from '../project/volume-for-view';
import { getVolume, listVolumes, readSlice } from '../project/volume-store';
import { modelsDir } from '../segment/model-files';
import { listModelInfos } from './model-summaries';
import { listRecentProjects, rememberRecentProject } from './recent-projects';
import type { ApiBackend } from './api-backend-types';
import { sameProjectPath } from '../electron-model/launch-args';
import { listMetrics } from '../project/metrics-store';
import { listExportFormats } from '../steps/export-step';
import { firstUnevenGap } from '../export/uniform-z';
import { storedThicknessSeries } from '../steps/thickness-step';
import { runSegmentPreview } from '../segment/run-segment-preview';
import { annotationHandlers } from './annotation-handlers';
import { deleteVolume, renameVolume, volumeProvenance } from '../project/volume-admin';
import { createVoxelReader } from '../project/voxel-value';

type Handlers = { [M in ApiMethod]: (input: never) => Promise<unknown> };

export interface ApiBackendOptions {
  appVersion: string;
  bridge: 'electron' | 'http';
  /** The recent-projects file (JSON, in the user's config folder); without it the list stays empty. */
  recentFile?: string;
}

export function createApiBackend(opts: ApiBackendOptions): ApiBackend {
  const jobs = new JobRunner();
  const readVoxel = createVoxelReader();
  let project: Project | undefined;

  const requireProject = (): Project => {
    if (!project) throw new AppError('no_project', 'No project is open: create a new project or open one first.');
    return project;
  };
  const closeCurrent = (): void => {
    if (jobs.running > 0) throw new AppError('invalid_input', 'A job is still running: wait for it to finish or cancel it first.');
    project?.close();
    project = undefined;
  };
  // A job's worker may be reading the volume, or about to store one under the name (before its run is recorded).
  const refuseDuringJob = (what: string): void => {
    if (jobs.running > 0) throw new AppError('project_locked', `Cannot ${what} while a job runs on this project: wait for it to finish or cancel it, then try again.`);
  };
  const replaceProject = (next: () => Project): Project => {
    closeCurrent();
    project = next();
    return project;
  };
  const opened = (p: Project): ProjectSummary => {
    const summary = projectSummary(p, opts.appVersion);
    // The list is a convenience: failing to write it must not fail the open.
    if (opts.recentFile) {
      try {
        rememberRecentProject(opts.recentFile, { path: p.path, name: summary.name || null });
      } catch (e) {
        console.warn(`fibrecon: could not update the recent-projects list ${opts.recentFile}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return summary;
  };

  const startJob = (
    spec:
      | { kind: 'segment'; request: SegmentJobRequest }
      | { kind: 'reconstruct'; request: ReconstructJobRequest }
      | { kind: 'metrics'; request: MetricsJobRequest }
      | { kind: 'export'; request: ExportJobRequest }
      | { kind: 'compare'; request: CompareJobRequest }
      | { kind: 'thickness'; request: ThicknessJobRequest }
      | { kind: 'register'; request: RegisterJobRequest },
  ) => {
    const p = requireProject();
    return { jobId: jobs.start({ ...spec, projectPath: p.path, appVersion: opts.appVersion }) };
  };

  const handlers: Handlers = {
    appInfo: async () => ({ version: opts.appVersion, platform: platform(), bridge: opts.bridge }),
    createProject: async (req: { path: string; name?: string }) => opened(replaceProject(() => createProject(req.path, { name: req.name, appVersion: opts.appVersion }))),
    // The project open already (a second launch, Open recent): kept as it is, not closed and reopened, even while a job runs.
    openProject: async (req: { path: string }) =>
      opened(project !== undefined && sameProjectPath(project.path, req.path) ? project : replaceProject(() => openProject(req.path, { write: true, purpose: 'fibrecon app' }))),
    listRecentProjects: async () => (opts.recentFile ? listRecentProjects(opts.recentFile) : []),
    closeProject: async () => {
      closeCurrent();
      return null;
    },
    projectSummary: async () => projectSummary(requireProject(), opts.appVersion),
    inspectStack: async (req: { paths: string[] }) => inspectStack(req.paths),
    previewStackSlice: async (req: { paths: string[]; z?: number; maxSize?: number; cropDataBar?: boolean }) => previewStackSlice(req),
    startImport: async (req: ImportRequest) => {
      const p = requireProject();
      return { jobId: jobs.start({ kind: 'import', projectPath: p.path, appVersion: opts.appVersion, request: req }) };
    },
    cancelJob: async (req: { jobId: string }) => {
      jobs.cancel(req.jobId);
      return null;
    },
    listVolumes: async (): Promise<VolumeSummary[]> =>
      listVolumes(requireProject().db).map((v) => ({
        name: v.name,
        role: v.role,
        kind: v.kind,
        shape: v.shape,
        dtype: v.dtype,
        voxelSizeNm: v.voxelSizeNm,
        zRangeNm: [v.zPositionsNm[0] ?? 0, v.zPositionsNm[v.zPositionsNm.length - 1] ?? 0],
        metadata: v.metadata,
        voxelSizeSource: v.voxelSizeSource,
        unevenZ: firstUnevenGap(v) ?? null,
      })),
    getPlane: async (req: { volume: string; axis: PlaneAxis; index: number; maxSize?: number }) => readPlane(requireProject().db, req.volume, req.axis, req.index, req.maxSize),
    listModels: async (): Promise<ModelInfo[]> => listModelInfos(modelsDir()),
    getVolumeData: async (req: { volume: string; maxBytes?: number; maxTexture3D?: number }) => volumeForView(requireProject().db, req.volume, req),
    startSegment: async (req: SegmentJobRequest) => startJob({ kind: 'segment', request: req }),
    startReconstruct: async (req: ReconstructJobRequest) => startJob({ kind: 'reconstruct', request: req }),
    startMetrics: async (req: MetricsJobRequest) => startJob({ kind: 'metrics', request: req }),
    listMetrics: async () => listMetrics(requireProject().db),
    startExport: async (req: ExportJobRequest) => startJob({ kind: 'export', request: req }),
    listExportFormats: async () => listExportFormats(),
    startCompare: async (req: CompareJobRequest) => startJob({ kind: 'compare', request: req }),
    startThickness: async (req: ThicknessJobRequest) => startJob({ kind: 'thickness', request: req }),
    getThickness: async (req: { volume: string }) => storedThicknessSeries(requireProject().db, req.volume),
    startRegister: async (req: RegisterJobRequest) => startJob({ kind: 'register', request: req }),
    measureChannelShift: async (req: { reference: string; moving: string; z: number }) => measureChannelShift(requireProject().db, req.reference, req.moving, req.z),
    previewSegmentation: async (req: SegmentPreviewRequest): Promise<SegmentPreview> => {
      const { labels, uncertainty, ...rest } = await runSegmentPreview(requireProject().path, req);
      const b64 = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
      return { ...rest, labelsBase64: b64(labels), ...(uncertainty ? { uncertaintyBase64: b64(uncertainty) } : {}) };
    },
    // No window to own a native dialog here (the HTTP bridge): the Electron shell answers these itself.
    chooseProjectFile: async () => noNativeDialog('type the project file\'s full path in the field'),
    chooseNewProjectPath: async () => noNativeDialog('type the full path of the new .fibrecon file in the field'),
    chooseImportPaths: async () => noNativeDialog('type the full paths of the TIFF files or the folder of slices, or drop them from the file manager on this form'),
    ...annotationHandlers(() => requireProject().db),
    volumeProvenance: async (req: { volume: string }) => volumeProvenance(requireProject().db, req.volume),
    getVoxel: async (req: { volume: string; z: number; y: number; x: number }) => readVoxel(requireProject().db, req),
    renameVolume: async (req: { volume: string; to: string }) => {
      const p = requireProject();
      refuseDuringJob(`rename "${req.volume}"`);
      return renameVolume(p.db, req.volume, req.to, { appVersion: opts.appVersion });
    },
    deleteVolume: async (req: { volume: string }) => {
      const p = requireProject();
      refuseDuringJob(`delete "${req.volume}"`);
      return deleteVolume(p.db, req.volume, { appVersion: opts.appVersion });
    },
    getSlice: async (req: { channel: string; z: number; maxSize?: number }) => {
      const { db } = requireProject();
      const volume = getVolume(db, req.channel);
      const slice = await readSlice(db, volume, req.z);
      const [, ny, nx] = volume.shape;
      const preview = grey8Preview(slice, nx, ny, req.maxSize ?? 1024);
      return {
        channel: req.channel,
        z: req.z,
        width: preview.width,
        height: preview.height,
        grey8Base64: Buffer.from(preview.data).toString('base64'),
        min: preview.min,
        max: preview.max,
      };
    },
  };

  return {
    async call(method: ApiMethod, input: unknown): Promise<Result<unknown>> {
      if (!Object.hasOwn(handlers, method)) {
        return { ok: false, error: { tag: 'invalid_input', message: `Unknown request "${String(method)}".` } };
      }
      const valid = validateRequest(method, input);
      if (!valid.ok) return valid;
      try {
        return { ok: true, value: await handlers[method](valid.value as never) };
      } catch (e) {
        return { ok: false, error: toErrorValue(e) };
      }
    },
    onJobEvent: (listener) => jobs.onEvent(listener),
    async dispose() {
      await jobs.stopAll();
      project?.close();
      project = undefined;
    },
  };
}

function noNativeDialog(instead: string): never {
  throw new AppError('dialog_unavailable', `There is no file dialog in the browser: ${instead}.`);
}

/** Compile-time check that every contract method has a handler. */
export type _AllMethodsHandled = Handlers extends { [M in keyof Omit<FibreconApi, 'onJobEvent' | 'onAppCommand'>]: unknown } ? true : never;
