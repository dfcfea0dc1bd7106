// Where the renderer's API comes from, and that the token leaves the address bar.
import { describe, expect, it } from 'vitest';
import type { FibreconApi } from '../../src-shared/contract';
import { resolveApi, takeTokenFromUrl } from '../../src-renderer/api/resolve-api';

function fakeWindow(href: string, fibrecon?: FibreconApi) {
  const replaced: string[] = [];
  const win = {
    location: { href } as Location,
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => replaced.push(String(url)) } as unknown as History,
    fibrecon,
  };
  return { win, replaced };
}

describe('resolveApi', () => {
  it('prefers the Electron preload and leaves the URL alone', () => {
    const preload = {} as FibreconApi;
    const { win, replaced } = fakeWindow('file:///app/index.html', preload);
    expect(resolveApi(win)).toEqual({ kind: 'electron', api: preload });
    expect(replaced).toEqual([]);
  });

  it('uses the HTTP bridge with the token from the URL, then removes the token from the address bar', () => {
    const { win, replaced } = fakeWindow('http://127.0.0.1:4000/?view=a&token=abc123#top');
    const source = resolveApi(win);
    expect(source.kind).toBe('http');
    expect(replaced).toEqual(['/?view=a#top']);
  });

  it('reports a missing or empty token', () => {
    expect(resolveApi(fakeWindow('http://127.0.0.1:4000/').win)).toEqual({ kind: 'missing-token' });
    expect(resolveApi(fakeWindow('http://127.0.0.1:4000/?token=').win)).toEqual({ kind: 'missing-token' });
  });

  it('reads the token exactly', () => {
    const token = 'a'.repeat(64);
    expect(takeTokenFromUrl(fakeWindow(`http://127.0.0.1:1/?token=${token}`).win)).toBe(token);
  });
});
