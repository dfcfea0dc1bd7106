// The preload of the sandboxed renderer: exposes the contract's methods as
// named functions on window.fibrecon. ipcRenderer itself is never exposed, so
// the page can reach exactly these channels and no others.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiMethod, AppCommand, FibreconApi, JobEvent, PreloadFileHelpers } from '../src-shared/contract';
import { APP_COMMAND_CHANNEL, ipcChannel, JOB_EVENT_CHANNEL } from '../src-shared/ipc-channels';

/** Every name on window.fibrecon. tests/preload/api-surface.test.ts freezes this list against the contract. */
export const EXPOSED_API_NAMES = [
  'appInfo',
  'createProject',
  'openProject',
  'closeProject',
  'listRecentProjects',
  'projectSummary',
  'inspectStack',
  'previewStackSlice',
  'startImport',
  'cancelJob',
  'getSlice',
  'listVolumes',
  'getPlane',
  'listModels',
  'getVolumeData',
  'startSegment',
  'startReconstruct',
  'startMetrics',
  'listMetrics',
  'startExport',
  'listExportFormats',
  'startCompare',
  'startThickness',
  'getThickness',
  'startRegister',
  'measureChannelShift',
  'previewSegmentation',
  'chooseProjectFile',
  'chooseNewProjectPath',
  'chooseImportPaths',
  'annotationSummary',
  'annotationSlice',
  'paintAnnotation',
  'undoAnnotation',
  'clearAnnotations',
  'volumeProvenance',
  'renameVolume',
  'deleteVolume',
  'getVoxel',
  'onJobEvent',
  'onAppCommand',
  'pathForFile',
] as const satisfies readonly (keyof (FibreconApi & PreloadFileHelpers))[];

// The main process validates every request; the preload only forwards it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const invoke = (method: ApiMethod, req?: unknown): Promise<any> => ipcRenderer.invoke(ipcChannel(method), req);

export const api: FibreconApi & PreloadFileHelpers = {
  appInfo: () => invoke('appInfo'),
  createProject: (req) => invoke('createProject', req),
  openProject: (req) => invoke('openProject', req),
  closeProject: () => invoke('closeProject'),
  listRecentProjects: () => invoke('listRecentProjects'),
  projectSummary: () => invoke('projectSummary'),
  inspectStack: (req) => invoke('inspectStack', req),
  previewStackSlice: (req) => invoke('previewStackSlice', req),
  startImport: (req) => invoke('startImport', req),
  cancelJob: (req) => invoke('cancelJob', req),
  getSlice: (req) => invoke('getSlice', req),
  listVolumes: () => invoke('listVolumes'),
  getPlane: (req) => invoke('getPlane', req),
  listModels: () => invoke('listModels'),
  getVolumeData: (req) => invoke('getVolumeData', req),
  startSegment: (req) => invoke('startSegment', req),
  startReconstruct: (req) => invoke('startReconstruct', req),
  startMetrics: (req) => invoke('startMetrics', req),
  listMetrics: () => invoke('listMetrics'),
  startExport: (req) => invoke('startExport', req),
  listExportFormats: () => invoke('listExportFormats'),
  startCompare: (req) => invoke('startCompare', req),
  startThickness: (req) => invoke('startThickness', req),
  getThickness: (req) => invoke('getThickness', req),
  startRegister: (req) => invoke('startRegister', req),
  measureChannelShift: (req) => invoke('measureChannelShift', req),
  previewSegmentation: (req) => invoke('previewSegmentation', req),
  chooseProjectFile: () => invoke('chooseProjectFile'),
  chooseNewProjectPath: (req) => invoke('chooseNewProjectPath', req),
  chooseImportPaths: (req) => invoke('chooseImportPaths', req),
  annotationSummary: (req) => invoke('annotationSummary', req),
  annotationSlice: (req) => invoke('annotationSlice', req),
  paintAnnotation: (req) => invoke('paintAnnotation', req),
  undoAnnotation: (req) => invoke('undoAnnotation', req),
  clearAnnotations: (req) => invoke('clearAnnotations', req),
  volumeProvenance: (req) => invoke('volumeProvenance', req),
  renameVolume: (req) => invoke('renameVolume', req),
  deleteVolume: (req) => invoke('deleteVolume', req),
  getVoxel: (req) => invoke('getVoxel', req),
  // A dropped File's path: since Electron 32 File.path is gone and only webUtils knows it. No IPC.
  pathForFile: (file) => webUtils.getPathForFile(file),
  onJobEvent: (listener) => {
    // Pass only the event on: the IPC event object carries the sender.
    const forward = (_e: IpcRendererEvent, jobEvent: JobEvent) => listener(jobEvent);
    ipcRenderer.on(JOB_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(JOB_EVENT_CHANNEL, forward);
    };
  },
  onAppCommand: (listener) => {
    const forward = (_e: IpcRendererEvent, command: AppCommand) => listener(command);
    ipcRenderer.on(APP_COMMAND_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(APP_COMMAND_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('fibrecon', api);
