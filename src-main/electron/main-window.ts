// The one application window: sandboxed, context-isolated, no Node in the page,
// no popups and no navigation away from the app's own page.
import { BrowserWindow, shell } from 'electron';
import { isTrustedRendererUrl, type TrustedRenderer } from './trusted-sender';

export interface MainWindowOptions {
  preloadPath: string;
  trusted: TrustedRenderer;
  iconPath?: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 600,
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
  win.once('ready-to-show', () => win.show());

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
