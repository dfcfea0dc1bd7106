// What a job worker is asked to do and what it reports back. Workers get
// everything as data (no shared state), like small functions.
import type { CompareJobRequest, ExportJobRequest, ImportRequest, MetricsJobRequest, ReconstructJobRequest, RegisterJobRequest, SegmentJobRequest, ThicknessJobRequest } from '../../src-shared/contract';
import type { AppErrorValue } from '../../src-shared/errors';
import type { Progress } from '../../src-shared/progress';

export type JobSpec =
  | { kind: 'import'; projectPath: string; appVersion: string; request: ImportRequest }
  | { kind: 'segment'; projectPath: string; appVersion: string; request: SegmentJobRequest }
  | { kind: 'reconstruct'; projectPath: string; appVersion: string; request: ReconstructJobRequest }
  | { kind: 'metrics'; projectPath: string; appVersion: string; request: MetricsJobRequest }
  | { kind: 'export'; projectPath: string; appVersion: string; request: ExportJobRequest }
  | { kind: 'compare'; projectPath: string; appVersion: string; request: CompareJobRequest }
  | { kind: 'thickness'; projectPath: string; appVersion: string; request: ThicknessJobRequest }
  | { kind: 'register'; projectPath: string; appVersion: string; request: RegisterJobRequest };

export type WorkerToParent =
  | { type: 'progress'; progress: Progress }
  | { type: 'notice'; message: string }
  | { type: 'done'; message: string; result: unknown }
  | { type: 'failed'; error: AppErrorValue };

export type ParentToWorker = { type: 'cancel' };
