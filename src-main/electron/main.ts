// The Electron main process: a thin shell. It owns the window and the IPC
// wiring; all project, storage and compute work lives in the backend, which
// runs long jobs in worker threads so that this process never blocks.
import { app, BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JOB_EVENT_CHANNEL, type JobEvent, type ProjectSummary } from '../../src-shared/contract';
import { createApiBackend } from '../app/api-backend';
import { createAppMenu } from './app-menu';
import { WINDOW_STATE_FILE } from '../electron-model/window-state';
import { launchDecision, projectPathFromArgv } from '../electron-model/launch-args';
import { registerIpcHandlers } from './ipc-handlers';
import { createMainWindow } from './main-window';
import type { TrustedRenderer } from './trusted-sender';

// Bundled layout (electron-vite): out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const DISPOSE_TIMEOUT_MS = 10_000;

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

const trusted: TrustedRenderer = {
  indexFileUrl: pathToFileURL(here('../renderer/index.html')).href,
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
};

if (!app.requestSingleInstanceLock()) {
  // Another fibrecon owns the window (and the open project): hand over to it.
  // It gets this launch's argv in 'second-instance' and opens the project named there.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  const backend = createApiBackend({ appVersion: app.getVersion(), bridge: 'electron', recentFile: join(app.getPath('userData'), 'recent-projects.json') });

  const focus = () => {
    if (win === null) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  const menu = createAppMenu({
    backend,
    window: () => win,
    focus,
    development: !app.isPackaged,
    // Packaged: shipped as an extra resource (electron-builder.yml); from the sources: the repository's docs/.
    userGuidePath: join(app.isPackaged ? process.resourcesPath : app.getAppPath(), 'docs', 'user-guide.md'),
  });
  // The menu's enabled items and Open recent follow the open project.
  const MENU_CHANGING = new Set(['createProject', 'openProject', 'closeProject']);
  const refreshMenu = () => void menu.refresh().catch((e: unknown) => console.error('fibrecon: building the menu failed', e));

  // A project named on the command line, by a second launch or (macOS) from the
  // Finder opens in the window, through the renderer so that it shows the
  // project or the error; the project open already is only brought forward.
  // (Other processes are kept off an open project by its lock file, project-lock.ts.)
  let pendingPath: string | undefined = projectPathFromArgv(process.argv, process.cwd());
  const openInWindow = async (path: string) => {
    focus();
    const current = await backend.call('projectSummary', undefined);
    const openPath = current.ok ? (current.value as ProjectSummary).path : null;
    if (launchDecision(path, openPath) === 'open') menu.send({ command: 'open-path', path });
  };
  const requestOpen = (path: string) => {
    if (win === null || win.webContents.isLoading()) pendingPath = path;
    else void openInWindow(path);
  };
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focus();
    const path = projectPathFromArgv(argv, workingDirectory);
    if (path !== undefined) requestOpen(path);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    requestOpen(path);
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    registerIpcHandlers(backend, trusted, {
      afterCall: (method) => MENU_CHANGING.has(method) && refreshMenu(),
      dialogStartDir: () => {
        const open = menu.openPath();
        return open === null ? undefined : dirname(open);
      },
    });
    refreshMenu();
    backend.onJobEvent((jobEvent: JobEvent) => {
      if (win !== null && !win.isDestroyed()) win.webContents.send(JOB_EVENT_CHANNEL, jobEvent);
    });
    const open = () => {
      win = createMainWindow({ preloadPath: here('../preload/index.cjs'), trusted, windowStateFile: join(app.getPath('userData'), WINDOW_STATE_FILE) });
      win.on('closed', () => (win = null));
      win.webContents.on('did-finish-load', () => {
        if (pendingPath === undefined) return;
        const path = pendingPath;
        pendingPath = undefined;
        void openInWindow(path);
      });
    };
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Cancel running jobs and close the project before the process exits; a
  // backend that does not finish in time must not keep the app open.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    const timeout = new Promise<void>((done) => setTimeout(done, DISPOSE_TIMEOUT_MS));
    Promise.race([backend.dispose(), timeout])
      .catch((e: unknown) => console.error('fibrecon: closing the backend failed', e))
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });
}
