// The renderer's model: what the project holds, the running job and the last
// error. Plain TypeScript (no React): panels subscribe to it and call its
// actions; the actions talk to the API and update the state.
import type { FibreconApi, JobEvent, JobKind, ProjectSummary } from '../../src-shared/contract';
import type { AppErrorValue, ErrorTag, Result } from '../../src-shared/errors';

export type JobStatus = 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  /** null until the backend has answered startImport. */
  jobId: string | null;
  kind: JobKind;
  /** What the job does, for the user: "Importing channel SE2". */
  title: string;
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
}

export interface ImportStackInput {
  channelName: string;
  paths: string[];
  pixelSizeNm?: number;
  sliceSpacingNm?: number;
}

const INITIAL_STATE: ProjectState = { app: null, project: null, pending: null, job: null, error: null };
/** Events kept per job id while its startImport answer is still on the way. */
const MAX_EARLY_EVENTS = 200;

export class ProjectStore {
  private state: ProjectState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribeEvents: () => void;
  // A fast job can finish before startImport's answer arrives: its events wait here.
  private readonly earlyEvents = new Map<string, JobEvent[]>();

  constructor(private readonly api: FibreconApi) {
    this.unsubscribeEvents = api.onJobEvent((e) => this.onJobEvent(e));
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
    if (summary.ok) this.set({ project: summary.value });
    else if (summary.error.tag !== 'no_project') this.set({ error: summary.error });
  }

  createProject(path: string, name?: string): Promise<void> {
    return this.runPending('Creating project…', () => this.api.createProject(name ? { path, name } : { path }), (project) =>
      this.set({ project, job: null }),
    );
  }

  openProject(path: string): Promise<void> {
    return this.runPending('Opening project…', () => this.api.openProject({ path }), (project) => this.set({ project, job: null }));
  }

  closeProject(): Promise<void> {
    return this.runPending('Closing project…', () => this.api.closeProject(), () => this.set({ project: null, job: null }));
  }

  async refreshSummary(): Promise<void> {
    const summary = await this.api.projectSummary();
    if (summary.ok) this.set({ project: summary.value });
    else this.set({ error: summary.error });
  }

  async startImport(input: ImportStackInput): Promise<void> {
    if (this.jobActive()) {
      this.set({ error: { tag: 'invalid_input', message: 'An import is already running: wait for it to finish or cancel it.' } });
      return;
    }
    const overrides: { pixelSizeXNm?: number; pixelSizeYNm?: number; sliceSpacingNm?: number } = {};
    if (input.pixelSizeNm !== undefined) {
      overrides.pixelSizeXNm = input.pixelSizeNm;
      overrides.pixelSizeYNm = input.pixelSizeNm;
    }
    if (input.sliceSpacingNm !== undefined) overrides.sliceSpacingNm = input.sliceSpacingNm;
    this.earlyEvents.clear();
    this.set({
      error: null,
      job: { jobId: null, kind: 'import', title: `Importing channel ${input.channelName}`, status: 'starting', fraction: 0, message: 'Starting…', log: [] },
    });
    const started = await this.api.startImport({
      channels: [{ name: input.channelName, paths: input.paths }],
      ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    });
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
        void this.refreshSummary();
        break;
      case 'failed':
        this.updateJob({ status: 'failed', message: e.error.message, etaS: undefined });
        this.set({ error: { ...e.error, tag: e.error.tag as ErrorTag } });
        break;
      case 'cancelled':
        this.updateJob({ status: 'cancelled', message: e.message, etaS: undefined });
        break;
    }
  }

  private async runPending<T>(label: string, request: () => Promise<Result<T>>, apply: (value: T) => void): Promise<void> {
    if (this.state.pending !== null) return;
    this.set({ pending: label, error: null });
    try {
      const res = await request();
      if (res.ok) apply(res.value);
      else this.set({ error: res.error });
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
