// FibreconApi over the HTTP bridge (fetch + EventSource), for the renderer in
// an ordinary browser. The token travels in a header on every request, and in
// the query of the event stream, which cannot carry headers.
import type { ApiMethod, FibreconApi, JobEvent } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';

export const TOKEN_HEADER = 'x-fibrecon-token';

export interface HttpApiOptions {
  token: string;
  /** '' (the page's own origin) in the browser; a full origin in tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: new (url: string) => Pick<EventSource, 'onmessage' | 'close'>;
}

type ResultOf<M extends ApiMethod> = Awaited<ReturnType<FibreconApi[M]>>;

export function createHttpApi(opts: HttpApiOptions): FibreconApi {
  const base = opts.baseUrl ?? '';
  const fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const EventSourceImpl = opts.EventSource ?? globalThis.EventSource;

  async function post<M extends ApiMethod>(method: M, req?: unknown): Promise<ResultOf<M>> {
    let res: Response;
    try {
      res = await fetchImpl(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: opts.token },
        body: req === undefined ? '' : JSON.stringify(req),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      return failure(`The fibrecon bridge does not answer (${detail}). Start it again with "npm run bridge" and open the URL it prints.`) as ResultOf<M>;
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (isResult(body)) return body as ResultOf<M>;
    return failure(`The bridge answered ${method} with HTTP ${res.status} and no result. Please report it with the bridge's log.`) as ResultOf<M>;
  }

  // One event stream for all listeners, open while anyone listens.
  const listeners = new Set<(e: JobEvent) => void>();
  let source: Pick<EventSource, 'onmessage' | 'close'> | null = null;
  const openEvents = () => {
    if (source !== null) return;
    source = new EventSourceImpl(`${base}/api/events?token=${encodeURIComponent(opts.token)}`);
    source.onmessage = (m: MessageEvent) => {
      let event: JobEvent;
      try {
        event = JSON.parse(String(m.data)) as JobEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(event);
    };
  };

  return {
    appInfo: () => post('appInfo'),
    createProject: (req) => post('createProject', req),
    openProject: (req) => post('openProject', req),
    closeProject: () => post('closeProject'),
    listRecentProjects: () => post('listRecentProjects'),
    projectSummary: () => post('projectSummary'),
    inspectStack: (req) => post('inspectStack', req),
  previewStackSlice: (req) => post('previewStackSlice', req),
    startImport: (req) => post('startImport', req),
    cancelJob: (req) => post('cancelJob', req),
    getSlice: (req) => post('getSlice', req),
    listVolumes: () => post('listVolumes'),
    getPlane: (req) => post('getPlane', req),
    listModels: () => post('listModels'),
    getVolumeData: (req) => post('getVolumeData', req),
    startSegment: (req) => post('startSegment', req),
    startReconstruct: (req) => post('startReconstruct', req),
    startMetrics: (req) => post('startMetrics', req),
    listMetrics: () => post('listMetrics'),
    startExport: (req) => post('startExport', req),
    listExportFormats: () => post('listExportFormats'),
    startCompare: (req) => post('startCompare', req),
    startThickness: (req) => post('startThickness', req),
    getThickness: (req) => post('getThickness', req),
    startRegister: (req) => post('startRegister', req),
  measureChannelShift: (req) => post('measureChannelShift', req),
    previewSegmentation: (req) => post('previewSegmentation', req),
    chooseProjectFile: () => post('chooseProjectFile'),
    chooseNewProjectPath: (req) => post('chooseNewProjectPath', req),
    chooseImportPaths: (req) => post('chooseImportPaths', req),
    annotationSummary: (req) => post('annotationSummary', req),
    annotationSlice: (req) => post('annotationSlice', req),
    paintAnnotation: (req) => post('paintAnnotation', req),
    undoAnnotation: (req) => post('undoAnnotation', req),
    clearAnnotations: (req) => post('clearAnnotations', req),
    volumeProvenance: (req) => post('volumeProvenance', req),
    renameVolume: (req) => post('renameVolume', req),
    deleteVolume: (req) => post('deleteVolume', req),
    getVoxel: (req) => post('getVoxel', req),
    onJobEvent(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source !== null) {
          source.close();
          source = null;
        }
      };
    },
    // A browser has no native menu: nothing sends app commands.
    onAppCommand: () => () => {},
  };
}

function failure(message: string): Result<never> {
  return { ok: false, error: { tag: 'internal', message } };
}

function isResult(x: unknown): x is Result<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; value?: unknown; error?: { tag?: unknown; message?: unknown } };
  if (r.ok === true) return 'value' in r;
  return r.ok === false && typeof r.error?.tag === 'string' && typeof r.error.message === 'string';
}
