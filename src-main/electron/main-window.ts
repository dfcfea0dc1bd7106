// The one application window: sandboxed, context-isolated, no Node in the page,
// no popups and no navigation away from the app's own page. It opens where it
// was last closed (window-state.ts: checked and kept on today's displays).
import { BrowserWindow, screen, shell } from 'electron';
import { isTrustedRendererUrl, type TrustedRenderer } from './trusted-sender';
import { loadWindowState, MIN_WINDOW_SIZE, placeWindow, saveWindowState, type Rect } from '../electron-model/window-state';

export interface MainWindowOptions {
  preloadPath: string;
  trusted: TrustedRenderer;
  iconPath?: string;
  /** window-state.json in the user data folder. */
  windowStateFile: string;
}

/** The displays' work areas (without task bar and dock), the primary first. */
function workAreas(): Rect[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const placed = placeWindow(loadWindowState(opts.windowStateFile), workAreas());
  const win = new BrowserWindow({
    x: placed.x,
    y: placed.y,
    width: placed.width,
    height: placed.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'fibrecon',
    icon: opts.iconPath,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => {
    if (placed.maximized) win.maximize();
    win.show();
  });
  // The normal (not maximised) bounds, so that un-maximising next time returns to them.
  win.on('close', () => {
    try {
      saveWindowState(opts.windowStateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      console.warn(`fibrecon: could not remember the window's position in ${opts.windowStateFile}: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never in an app window.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, opts.trusted)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isTrustedRendererUrl(url, opts.trusted)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // The app needs no camera, notifications, geolocation...
  win.webContents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  if (opts.trusted.devServerUrl !== undefined) void win.loadURL(opts.trusted.devServerUrl);
  else void win.loadURL(opts.trusted.indexFileUrl);
  return win;
}
