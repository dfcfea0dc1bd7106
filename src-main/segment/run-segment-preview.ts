// Runs a segmentation preview in its own worker thread (segment-preview-worker)
// and resolves with its result; the caller (the API backend) stays responsive.
import { AppError, type AppErrorValue, fromErrorValue } from '../../src-shared/errors';
import { spawnWorker } from '../jobs/spawn-worker';
import type { SegmentPreviewRequest, SegmentPreviewResult } from './segment-preview';

export function runSegmentPreview(projectPath: string, request: SegmentPreviewRequest): Promise<SegmentPreviewResult> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(import.meta.url, 'segment-preview-worker', { workerData: { projectPath, request } });
    let settled = false;
    worker.once('message', (m: { ok: true; value: SegmentPreviewResult } | { ok: false; error: AppErrorValue }) => {
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(fromErrorValue(m.error));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new AppError('internal', `The segmentation preview crashed: ${err.message}.`));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new AppError('internal', `The segmentation preview stopped unexpectedly (exit code ${code}).`));
    });
  });
}
