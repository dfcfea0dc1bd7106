// The renderer's model: what the project holds (channels, volumes), the wizard
// step, the running job (import, segmentation, reconstruction, quality, export) and the last
// error. Plain TypeScript (no React): panels subscribe to it and call its
// actions; the actions talk to the API and update the state.
import type {
  AnnotationScores,
  AnnotationSummary,
  ChannelShift,
  CompareJobRequest,
  SegmentPreview,
  SegmentPreviewRequest,
  CropRect,
  ExportFormatInfo,
  ExportJobRequest,
  FibreconApi,
  JobEvent,
  JobKind,
  MetricsJobRequest,
  ModelInfo,
  PlaneImage,
  ProjectSummary,
  RecentProject,
  ReconstructJobRequest,
  RegisterJobRequest,
  SegmentJobRequest,
  StackInspection,
  StackSlicePreview,
  ThicknessJobRequest,
  ThicknessSeries,
  VolumeData,
  VolumeDeleteResult,
  VolumeProvenance,
  VolumeRenameResult,
  VolumeSummary,
  VoxelValue,
} from '../../src-shared/contract';
import type { AppErrorValue, ErrorTag, Result } from '../../src-shared/errors';
import type { PlaneAxis } from '../../src-shared/pipeline-methods';
import type { StoredMetrics } from '../../src-shared/metric-definitions';
import { AnnotationStore } from './annotation-store';

export type JobStatus = 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  /** null until the backend has answered startImport. */
  jobId: string | null;
  kind: JobKind;
  /** What the job does, for the user: "Importing channel SE2". */
  title: string;
  /** The volume the job writes (segmentation, reconstruction). */
  out?: string;
  /** The volume it reads. */
  source?: string;
  status: JobStatus;
  fraction: number;
  message: string;
  etaS?: number;
  /** Notices the job reported on the way (metadata guessed, ...). */
  log: string[];
}

export interface AppInfo {
  version: string;
  platform: string;
  bridge: 'electron' | 'http';
}

export interface ProjectState {
  app: AppInfo | null;
  project: ProjectSummary | null;
  /** A request the user waits for ("Opening project…"); the controls are disabled meanwhile. */
  pending: string | null;
  job: JobView | null;
  error: AppErrorValue | null;
  /** Every stored volume (channels and derived), as listVolumes returned it. */
  volumes: VolumeSummary[];
  /** Installed segmentation models; null until listed. */
  models: ModelInfo[] | null;
  /** The volume the orthoviews show. */
  selectedVolume: string | null;
  step: WizardStep;
  /** The volume the last finished job of each kind wrote, and the one it read. */
  lastOutput: Partial<Record<JobKind, { volume: string; source?: string }>>;
  /** Stored Quality results (listMetrics), oldest first; null until read. */
  metrics: StoredMetrics[] | null;
  /** The export formats; null until listed. */
  exportFormats: ExportFormatInfo[] | null;
  /** The last export's request and how it ended (the job's final message: files, bytes, voxel size). */
  /** errorTag 'file_exists': the Export step offers to replace the file(s). */
  lastExport: { request: ExportJobRequest; status: 'done' | 'failed' | 'cancelled'; message: string; errorTag?: string } | null;
  /** The latest stored thickness series of a volume (getThickness); null until read or when it has none. */
  thickness: ThicknessSeries | null;
  /** Recently opened projects (listRecentProjects), newest first; null until read. */
  recent: RecentProject[] | null;
  /** The last comparison of the segmentation methods on a volume's annotations (the 'compare' job's table). */
  lastCompare: AnnotationScores | null;
  /** The last rename or delete from the layer list (views that hold a volume by name follow it); seq counts them. */
  volumeChange: VolumeChange | null;
}

export type VolumeChange = { seq: number } & ({ kind: 'rename'; from: string; to: string } | { kind: 'delete'; volume: string });

export type WizardStep = 'import' | 'thickness' | 'register' | 'segment' | 'reconstruct' | 'quality' | 'export';

/** A plane with its pixels decoded (0..255, row-major). */
export interface DecodedPlane extends Omit<PlaneImage, 'grey8Base64'> {
  pixels: Uint8Array;
}

/** A whole volume for the 3D view, decoded (uint8, x fastest, then y, then z). */
export interface DecodedVolume extends Omit<VolumeData, 'dataBase64'> {
  data: Uint8Array;
}

export interface PlaneQuery {
  volume: string;
  axis: PlaneAxis;
  index: number;
  maxSize?: number;
}

export interface ImportStackInput {
  channelName: string;
  paths: string[];
  pixelSizeNm?: number;
  sliceSpacingNm?: number;
  /** Region of interest, px of the (data-bar-cropped) image. */
  crop?: CropRect;
  /** false keeps the vendor data bar (default: cropped). */
  cropDataBar?: boolean;
}

/** A slice of a stack before import, decoded. */
export interface DecodedStackSlice extends Omit<StackSlicePreview, 'grey8Base64'> {
  pixels: Uint8Array;
}

const INITIAL_STATE: ProjectState = {
  app: null,
  project: null,
  pending: null,
  job: null,
  error: null,
  volumes: [],
  models: null,
  selectedVolume: null,
  step: 'import',
  lastOutput: {},
  metrics: null,
  exportFormats: null,
  lastExport: null,
  thickness: null,
  recent: null,
  lastCompare: null,
  volumeChange: null,
};
const NO_PROJECT: Pick<ProjectState, 'project' | 'job' | 'volumes' | 'selectedVolume' | 'step' | 'lastOutput' | 'metrics' | 'lastExport' | 'thickness' | 'lastCompare'> = {
  project: null,
  job: null,
  volumes: [],
  selectedVolume: null,
  step: 'import',
  lastOutput: {},
  metrics: null,
  lastExport: null,
  thickness: null,
  lastCompare: null,
};
const RUNNING_TEXT: Record<JobKind, string> = {
  import: 'An import',
  segment: 'A segmentation',
  reconstruct: 'A reconstruction',
  metrics: 'A quality measurement',
  export: 'An export',
  thickness: 'A thickness import',
  register: 'A registration',
  compare: 'A comparison of methods',
};
/** Events kept per job id while its startImport answer is still on the way. */
const MAX_EARLY_EVENTS = 200;

export class ProjectStore {
  private state: ProjectState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribeEvents: () => void;
  // A fast job can finish before startImport's answer arrives: its events wait here.
  private readonly earlyEvents = new Map<string, JobEvent[]>();
  // The export request of the running export job, for its summary when it ends.
  private pendingExport: ExportJobRequest | null = null;
  /** The Segmentation step's Annotate mode (its own model: strokes change it many times a second). */
  readonly annotation: AnnotationStore;

  constructor(private readonly api: FibreconApi) {
    this.unsubscribeEvents = api.onJobEvent((e) => this.onJobEvent(e));
    this.annotation = new AnnotationStore(api);
  }

  getState = (): ProjectState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    this.unsubscribeEvents();
    this.listeners.clear();
  }

  /** Reads the app info and the project the backend already has open (after a reload). */
  async init(): Promise<void> {
    const info = await this.api.appInfo();
    if (info.ok) this.set({ app: info.value });
    else this.set({ error: info.error });
    const summary = await this.api.projectSummary();
    if (summary.ok) {
      this.set({ project: summary.value });
      await this.afterOpen();
    } else if (summary.error.tag !== 'no_project') this.set({ error: summary.error });
    if (this.state.project === null) await this.loadRecent();
  }

  /** Reads the recent-projects list (for the start screen); a failure leaves it empty and says why. */
  async loadRecent(): Promise<void> {
    const res = await this.api.listRecentProjects();
    if (res.ok) this.set({ recent: res.value });
    else this.set({ recent: [], error: res.error });
  }

  async createProject(path: string, name?: string): Promise<void> {
    if (await this.runPending('Creating project…', () => this.api.createProject(name ? { path, name } : { path }), (project) => this.set({ ...NO_PROJECT, project })))
      await this.afterOpen();
  }

  async openProject(path: string): Promise<void> {
    if (await this.runPending('Opening project…', () => this.api.openProject({ path }), (project) => this.set({ ...NO_PROJECT, project }))) await this.afterOpen();
  }

  async closeProject(): Promise<void> {
    const closed = () => {
      this.annotation.stop();
      this.set({ ...NO_PROJECT });
    };
    if (await this.runPending('Closing project…', () => this.api.closeProject(), closed)) await this.loadRecent();
  }

  /** Reads the volume list (after every job that wrote one); keeps the selection if it still exists. */
  async refreshVolumes(): Promise<void> {
    const res = await this.api.listVolumes();
    if (!res.ok) {
      if (res.error.tag !== 'no_project') this.set({ error: res.error });
      return;
    }
    const volumes = res.value;
    const selected = this.state.selectedVolume;
    this.set({ volumes, selectedVolume: selected !== null && volumes.some((v) => v.name === selected) ? selected : (volumes[0]?.name ?? null) });
  }

  async loadModels(): Promise<void> {
    const res = await this.api.listModels();
    if (res.ok) this.set({ models: res.value });
    else this.set({ models: [], error: res.error });
  }

  /** One voxel's stored value and position (the orthoviews' read-out); errors come back as values. */
  voxelValue(req: { volume: string; z: number; y: number; x: number }): Promise<Result<VoxelValue>> {
    return this.api.getVoxel(req);
  }

  /** How a volume was made, its renames and what depends on it (the layer list); errors come back as values. */
  volumeProvenance(volume: string): Promise<Result<VolumeProvenance>> {
    return this.api.volumeProvenance({ volume });
  }

  /** Renames a volume; the selection, the last outputs and the views follow the new name. Errors come back as values. */
  async renameVolume(from: string, to: string): Promise<Result<VolumeRenameResult>> {
    const res = await this.api.renameVolume({ volume: from, to });
    if (!res.ok) return res;
    const name = res.value.to;
    const follow = (n: string | undefined) => (n === from ? name : n);
    const lastOutput = Object.fromEntries(
      Object.entries(this.state.lastOutput).map(([k, o]) => [k, o && { volume: follow(o.volume) as string, ...(o.source !== undefined ? { source: follow(o.source) } : {}) }]),
    ) as ProjectState['lastOutput'];
    if (this.annotation.getState().volume === from) this.annotation.stop();
    this.set({
      selectedVolume: follow(this.state.selectedVolume ?? undefined) ?? null,
      lastOutput,
      volumeChange: { seq: (this.state.volumeChange?.seq ?? 0) + 1, kind: 'rename', from, to: name },
    });
    // A channel's name is also in the project summary (the channel table).
    await Promise.all([this.refreshVolumes(), this.refreshSummary()]);
    return res;
  }

  /** Deletes a volume; views showing it clear. Errors come back as values. */
  async deleteVolume(volume: string): Promise<Result<VolumeDeleteResult>> {
    const res = await this.api.deleteVolume({ volume });
    if (!res.ok) return res;
    const lastOutput = Object.fromEntries(Object.entries(this.state.lastOutput).filter(([, o]) => o?.volume !== volume)) as ProjectState['lastOutput'];
    if (this.annotation.getState().volume === volume) this.annotation.stop();
    this.set({
      selectedVolume: this.state.selectedVolume === volume ? null : this.state.selectedVolume,
      volumes: this.state.volumes.filter((v) => v.name !== volume),
      lastOutput,
      volumeChange: { seq: (this.state.volumeChange?.seq ?? 0) + 1, kind: 'delete', volume },
    });
    const list = await this.api.listVolumes();
    if (list.ok) this.set({ volumes: list.value });
    void this.refreshSummary();
    return res;
  }

  selectVolume(name: string | null): void {
    this.set({ selectedVolume: name });
  }

  setStep(step: WizardStep): void {
    this.set({ step });
  }

  /** One plane of a volume, decoded; errors come back as values (not stored: a view shows them). */
  async loadPlane(q: PlaneQuery): Promise<Result<DecodedPlane>> {
    const res = await this.api.getPlane(q.maxSize === undefined ? { volume: q.volume, axis: q.axis, index: q.index } : q);
    if (!res.ok) return res;
    const { grey8Base64, ...rest } = res.value;
    return { ok: true, value: { ...rest, pixels: decodeBase64(grey8Base64) } };
  }

  /** A volume as one block for the 3D view (downsampled by the backend to at most maxBytes). */
  async loadVolumeData(volume: string, maxBytes?: number): Promise<Result<DecodedVolume>> {
    const res = await this.api.getVolumeData(maxBytes === undefined ? { volume } : { volume, maxBytes });
    if (!res.ok) return res;
    const { dataBase64, ...rest } = res.value;
    return { ok: true, value: { ...rest, data: decodeBase64(dataBase64) } };
  }

  startSegment(req: SegmentJobRequest): Promise<void> {
    const what = req.method === 'model' ? `model ${req.model ?? ''}` : req.method;
    return this.startJob('segment', `Segmenting ${req.volume} (${what}) → ${req.out}`, { out: req.out, source: req.volume }, () => this.api.startSegment(req));
  }

  startReconstruct(req: ReconstructJobRequest): Promise<void> {
    return this.startJob('reconstruct', `Reconstructing ${req.volume} (${req.method}) → ${req.out}`, { out: req.out, source: req.volume }, () =>
      this.api.startReconstruct(req),
    );
  }

  startMetrics(req: MetricsJobRequest): Promise<void> {
    return this.startJob('metrics', `Quality of ${req.volume}${req.truth ? ` against ${req.truth}` : ''}`, { source: req.volume }, () => this.api.startMetrics(req));
  }

  async startExport(req: ExportJobRequest): Promise<void> {
    this.pendingExport = req;
    await this.startJob('export', `Exporting ${req.volume} → ${req.path}`, { source: req.volume }, () => this.api.startExport(req));
  }

  /** Scores every segmentation method on the volume's annotations; the table lands in lastCompare. Writes nothing. */
  startCompare(req: CompareJobRequest): Promise<void> {
    return this.startJob('compare', `Comparing methods on the annotations of ${req.volume}`, { source: req.volume }, () => this.api.startCompare(req));
  }

  /** A volume's annotation counts (whether the comparison can run); errors come back as values. */
  annotationSummary(volume: string): Promise<Result<AnnotationSummary>> {
    return this.api.annotationSummary({ volume });
  }

  /** Reads the stored Quality results (after open and after every metrics job). */
  async loadMetrics(): Promise<void> {
    const res = await this.api.listMetrics();
    if (res.ok) this.set({ metrics: res.value });
    else if (res.error.tag !== 'no_project') this.set({ error: res.error });
  }

  startThickness(req: ThicknessJobRequest): Promise<void> {
    const from = 'asv' in req.source ? req.source.asv : 'table' in req.source ? req.source.table : 'the ruler markers';
    return this.startJob('thickness', `Thickness of ${[req.volume, ...(req.alsoVolumes ?? [])].join(', ')} from ${from}${req.apply ? ' (applied)' : ''}`, { source: req.volume }, () => this.api.startThickness(req));
  }

  /** Reads the latest stored thickness series of a volume (after choosing it and after every thickness job). */
  async loadThickness(volume: string): Promise<void> {
    const res = await this.api.getThickness({ volume });
    if (res.ok) this.set({ thickness: res.value });
    else {
      this.set({ thickness: null });
      if (res.error.tag !== 'no_project') this.set({ error: res.error });
    }
  }

  startRegister(req: RegisterJobRequest): Promise<void> {
    const reference = req.reference ?? req.volumes[0];
    return this.startJob('register', `Registering ${req.volumes.join(', ')} onto ${reference}`, { out: `${reference}-reg`, source: reference }, () => this.api.startRegister(req));
  }

  /** The residual shift between two volumes' slice z (Registration step's cross-channel check); errors come back as values. */
  measureChannelShift(req: { reference: string; moving: string; z: number }): Promise<Result<ChannelShift>> {
    return this.api.measureChannelShift(req);
  }

  /** One slice segmented as the run would (the Segmentation step's preview); nothing is stored. */
  previewSegmentation(req: SegmentPreviewRequest): Promise<Result<SegmentPreview>> {
    return this.api.previewSegmentation(req);
  }

  async loadExportFormats(): Promise<void> {
    if (this.state.exportFormats !== null) return;
    const res = await this.api.listExportFormats();
    if (res.ok) this.set({ exportFormats: res.value });
    else this.set({ exportFormats: [], error: res.error });
  }

  private async afterOpen(): Promise<void> {
    this.annotation.stop();
    await Promise.all([this.refreshVolumes(), this.state.models === null ? this.loadModels() : Promise.resolve()]);
  }

  async refreshSummary(): Promise<void> {
    const summary = await this.api.projectSummary();
    if (summary.ok) this.set({ project: summary.value });
    else this.set({ error: summary.error });
  }

  async startImport(input: ImportStackInput): Promise<void> {
    const overrides: { pixelSizeXNm?: number; pixelSizeYNm?: number; sliceSpacingNm?: number } = {};
    if (input.pixelSizeNm !== undefined) {
      overrides.pixelSizeXNm = input.pixelSizeNm;
      overrides.pixelSizeYNm = input.pixelSizeNm;
    }
    if (input.sliceSpacingNm !== undefined) overrides.sliceSpacingNm = input.sliceSpacingNm;
    await this.startJob('import', `Importing channel ${input.channelName}`, {}, () =>
      this.api.startImport({
        channels: [{ name: input.channelName, paths: input.paths }],
        ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
        ...(input.crop !== undefined ? { crop: input.crop } : {}),
        ...(input.cropDataBar !== undefined ? { cropDataBar: input.cropDataBar } : {}),
      }),
    );
  }

  /** One job at a time: shows it as starting, then follows its events. */
  private async startJob(kind: JobKind, title: string, io: { out?: string; source?: string }, start: () => Promise<Result<{ jobId: string }>>): Promise<void> {
    if (this.jobActive()) {
      const running = RUNNING_TEXT[this.state.job?.kind ?? 'import'];
      this.set({ error: { tag: 'invalid_input', message: `${running} is already running: wait for it to finish or cancel it.` } });
      return;
    }
    this.earlyEvents.clear();
    this.set({
      error: null,
      job: { jobId: null, kind, title, ...io, status: 'starting', fraction: 0, message: 'Starting…', log: [] },
    });
    const started = await start();
    if (!started.ok) {
      this.set({ job: null, error: started.error });
      return;
    }
    const jobId = started.value.jobId;
    this.updateJob({ jobId, status: 'running' });
    const early = this.earlyEvents.get(jobId) ?? [];
    this.earlyEvents.clear();
    for (const e of early) this.applyJobEvent(e);
  }

  async cancelJob(): Promise<void> {
    const job = this.state.job;
    if (job === null || job.jobId === null || !this.jobActive()) return;
    this.updateJob({ message: 'Cancelling…' });
    const res = await this.api.cancelJob({ jobId: job.jobId });
    if (!res.ok) this.set({ error: res.error });
  }

  /** Shows an error from outside the store's own requests (a native dialog that failed). */
  showError(error: AppErrorValue): void {
    this.set({ error });
  }

  /** What the Import step reads before importing: the metadata found and one slice (decoded), for the region of interest. */
  readonly stackPreview = {
    inspect: (paths: string[]): Promise<Result<StackInspection>> => this.api.inspectStack({ paths }),
    slice: async (req: { paths: string[]; z?: number; maxSize?: number; cropDataBar?: boolean }): Promise<Result<DecodedStackSlice>> => {
      const res = await this.api.previewStackSlice(req);
      if (!res.ok) return res;
      const { grey8Base64, ...rest } = res.value;
      return { ok: true, value: { ...rest, pixels: decodeBase64(grey8Base64) } };
    },
  };

  /** The native file dialogs (desktop); over the HTTP bridge they answer 'dialog_unavailable'. */
  readonly dialogs: Pick<FibreconApi, 'chooseProjectFile' | 'chooseNewProjectPath' | 'chooseImportPaths'> = {
    chooseProjectFile: () => this.api.chooseProjectFile(),
    chooseNewProjectPath: (req) => this.api.chooseNewProjectPath(req),
    chooseImportPaths: (req) => this.api.chooseImportPaths(req),
  };

  dismissError(): void {
    this.set({ error: null });
  }

  /** Hides a finished job's progress panel. */
  dismissJob(): void {
    if (!this.jobActive()) this.set({ job: null });
  }

  private jobActive(): boolean {
    const status = this.state.job?.status;
    return status === 'starting' || status === 'running';
  }

  private onJobEvent(e: JobEvent): void {
    const job = this.state.job;
    if (job !== null && job.jobId === null && job.status === 'starting') {
      const list = this.earlyEvents.get(e.jobId) ?? [];
      list.push(e);
      if (list.length > MAX_EARLY_EVENTS) list.splice(0, list.length - MAX_EARLY_EVENTS);
      this.earlyEvents.set(e.jobId, list);
      return;
    }
    // Events of jobs another window started are not ours to show.
    if (job !== null && job.jobId === e.jobId) this.applyJobEvent(e);
  }

  private applyJobEvent(e: JobEvent): void {
    const job = this.state.job;
    if (job === null || job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return;
    switch (e.type) {
      case 'progress':
        this.updateJob({ status: 'running', fraction: e.fraction, message: e.message, etaS: e.etaS });
        break;
      case 'log':
        this.updateJob({ log: [...job.log, e.message] });
        break;
      case 'done':
        this.updateJob({ status: 'done', fraction: 1, message: e.message, etaS: undefined });
        if (job.out !== undefined) this.set({ lastOutput: { ...this.state.lastOutput, [job.kind]: { volume: job.out, source: job.source } }, selectedVolume: job.out });
        if (job.kind === 'metrics') void this.loadMetrics();
        else if (job.kind === 'thickness') {
          void this.refreshSummary();
          void this.refreshVolumes();
          if (job.source !== undefined) void this.loadThickness(job.source);
        }
        else if (job.kind === 'export') this.endExport('done', e.message);
        else if (job.kind === 'compare') {
          if (e.scores !== undefined) this.set({ lastCompare: e.scores });
        } else {
          void this.refreshSummary();
          void this.refreshVolumes();
        }
        break;
      case 'failed':
        this.updateJob({ status: 'failed', message: e.error.message, etaS: undefined });
        // An export onto an existing file is a question for the Export step (Replace?), not an error banner.
        if (!(job.kind === 'export' && e.error.tag === 'file_exists')) this.set({ error: { ...e.error, tag: e.error.tag as ErrorTag } });
        if (job.kind === 'export') this.endExport('failed', e.error.message, e.error.tag);
        break;
      case 'cancelled':
        this.updateJob({ status: 'cancelled', message: e.message, etaS: undefined });
        if (job.kind === 'export') this.endExport('cancelled', e.message);
        break;
    }
  }

  private endExport(status: 'done' | 'failed' | 'cancelled', message: string, errorTag?: string): void {
    if (this.pendingExport !== null) this.set({ lastExport: { request: this.pendingExport, status, message, ...(errorTag ? { errorTag } : {}) } });
    this.pendingExport = null;
  }

  /** true when the request succeeded. */
  private async runPending<T>(label: string, request: () => Promise<Result<T>>, apply: (value: T) => void): Promise<boolean> {
    if (this.state.pending !== null) return false;
    this.set({ pending: label, error: null });
    try {
      const res = await request();
      if (res.ok) apply(res.value);
      else this.set({ error: res.error });
      return res.ok;
    } finally {
      this.set({ pending: null });
    }
  }

  private updateJob(patch: Partial<JobView>): void {
    if (this.state.job !== null) this.set({ job: { ...this.state.job, ...patch } });
  }

  private set(patch: Partial<ProjectState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

/** base64 → bytes, in the browser (atob) and in Node ≥ 16 (global atob). */
export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
