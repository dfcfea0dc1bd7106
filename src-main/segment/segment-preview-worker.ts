// Worker thread of a segmentation preview: loading a stack for its histogram or
// running a model must not block the Electron main thread. Gets
// { projectPath, request } as workerData, opens the project read-only and posts
// { ok, value } or { ok: false, error } once.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorValue } from '../../src-shared/errors';
import { openProject } from '../project/open-project';
import { previewStoredSegmentation, type SegmentPreviewRequest } from './segment-preview';

const port = parentPort;
if (!port) throw new Error('segment-preview-worker must run in a worker thread');
const { projectPath, request } = workerData as { projectPath: string; request: SegmentPreviewRequest };

(async () => {
  const project = openProject(projectPath, { write: false });
  try {
    const value = await previewStoredSegmentation(project.db, request);
    port.postMessage({ ok: true, value }, [value.labels.buffer as ArrayBuffer]);
  } finally {
    project.close();
  }
})()
  .catch((e: unknown) => port.postMessage({ ok: false, error: toErrorValue(e) }))
  .finally(() => port.close());
