// Which pages may call the API over IPC and where the window may navigate:
// the app's own index.html (file://) or, in development, the electron-vite dev
// server. Pure functions, so that they are tested without Electron.

export interface TrustedRenderer {
  /** file:// URL of out/renderer/index.html. */
  indexFileUrl: string;
  /** process.env.ELECTRON_RENDERER_URL under `electron-vite dev`; absent in a packaged app. */
  devServerUrl?: string;
}

/** True when `url` is the app's page (query and hash ignored) or a page of the dev server. */
export function isTrustedRendererUrl(url: string | undefined, trusted: TrustedRenderer): boolean {
  if (url === undefined || url === '') return false;
  const page = parse(url);
  if (page === undefined) return false;
  if (page.protocol === 'file:') {
    const index = parse(trusted.indexFileUrl);
    return index !== undefined && page.pathname === index.pathname && page.host === index.host;
  }
  if (trusted.devServerUrl === undefined) return false;
  const dev = parse(trusted.devServerUrl);
  return dev !== undefined && (dev.protocol === 'http:' || dev.protocol === 'https:') && page.origin === dev.origin;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
