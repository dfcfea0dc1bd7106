// Paths from a drop: Electron's pathForFile first, else the text/uri-list.
import { describe, expect, it } from 'vitest';
import { droppedPaths, fileUriToPath } from '../../src-renderer/api/dropped-paths';

const drop = (uriList: string, files: { name: string }[] = []) => ({ getData: (t: string) => (t === 'text/uri-list' ? uriList : ''), files: files as unknown as File[] });

describe('dropped paths', () => {
  it('turns file URIs into paths (percent-decoded, Windows drive letters), refuses other schemes', () => {
    expect(fileUriToPath('file:///data/run%207/stack%201.tif')).toBe('/data/run 7/stack 1.tif');
    expect(fileUriToPath('file:///C:/data/x.tif')).toBe('C:/data/x.tif');
    expect(fileUriToPath('https://example.org/x.tif')).toBeNull();
    expect(fileUriToPath('not a uri')).toBeNull();
  });

  it('reads the uri-list: comments skipped, folders and TIFFs kept, other files named as skipped', () => {
    const r = droppedPaths(drop('# from the file manager\r\nfile:///data/a.tif\r\nfile:///data/slices/\r\nfile:///data/B.TIFF\r\nfile:///data/notes.png\r\nhttp://x/y.tif\r\nfile:///data/a.tif'));
    expect(r).toEqual({ paths: ['/data/a.tif', '/data/slices', '/data/B.TIFF'], skipped: ['notes.png'] });
  });

  it('prefers the preload\'s pathForFile (Electron) and falls back to the uri-list when it gives nothing', () => {
    const files = [{ name: 'x.tif' }, { name: 'y.tif' }];
    expect(droppedPaths(drop('file:///other.tif', files), (f) => `/e/${f.name}`).paths).toEqual(['/e/x.tif', '/e/y.tif']);
    expect(droppedPaths(drop('file:///other.tif', files), () => '').paths).toEqual(['/other.tif']);
    expect(droppedPaths(drop(''))).toEqual({ paths: [], skipped: [] });
  });
});
