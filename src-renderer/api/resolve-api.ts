// Where the renderer's API comes from: the Electron preload (window.fibrecon)
// or, in a browser, the HTTP bridge with the token from the page URL.
import type { FibreconApi } from '../../src-shared/contract';
import { createHttpApi } from './http-client';

export type ApiSource = { kind: 'electron' | 'http'; api: FibreconApi } | { kind: 'missing-token' };

type PageWindow = Pick<Window, 'location' | 'history'> & { fibrecon?: FibreconApi };

export function resolveApi(win: PageWindow): ApiSource {
  if (win.fibrecon !== undefined) return { kind: 'electron', api: win.fibrecon };
  const token = takeTokenFromUrl(win);
  return token === undefined ? { kind: 'missing-token' } : { kind: 'http', api: createHttpApi({ token }) };
}

/**
 * Reads `?token=` and removes it from the address bar, so that it does not end
 * up in the history, bookmarks or a screenshot. It is kept in memory only.
 */
export function takeTokenFromUrl(win: Pick<Window, 'location' | 'history'>): string | undefined {
  const url = new URL(win.location.href);
  const token = url.searchParams.get('token');
  if (token === null) return undefined;
  url.searchParams.delete('token');
  win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return token === '' ? undefined : token;
}
