// The paths of files and folders dropped on the page. In Electron the preload's
// pathForFile (webUtils) gives each dropped File's path; a browser never tells
// a page where a File lives, so there the drop's text/uri-list is read (file
// managers put file:// URIs there). TIFFs and folders are kept; anything else
// is named in `skipped` so that the form can say so.

export interface DroppedPaths {
  paths: string[];
  /** Dropped names that are neither a TIFF nor (by the look of the name) a folder. */
  skipped: string[];
}

/** Subset of DataTransfer this reads (so that tests can pass a plain object). */
export type DropData = Pick<DataTransfer, 'getData'> & { files: ArrayLike<File> };

const TIFF = /\.tiff?$/i;
/** A name with no extension is taken as a folder (a folder of TIFF slices). */
const HAS_EXTENSION = /\.[A-Za-z0-9]{1,5}$/;

/** file:///data/a%20b.tif -> /data/a b.tif; file:///C:/x.tif -> C:/x.tif; null for other schemes. */
export function fileUriToPath(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'file:') return null;
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

export function droppedPaths(data: DropData, pathForFile?: (file: File) => string): DroppedPaths {
  const found: string[] = [];
  if (pathForFile) {
    for (let i = 0; i < data.files.length; i++) {
      const p = pathForFile(data.files[i]);
      if (p) found.push(p);
    }
  }
  if (found.length === 0) {
    // RFC 2483: one URI per line, lines starting with # are comments.
    for (const line of data.getData('text/uri-list').split(/\r?\n/)) {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const p = fileUriToPath(t);
      if (p !== null) found.push(p.replace(/\/+$/, '') || '/');
    }
  }
  const paths: string[] = [];
  const skipped: string[] = [];
  for (const p of new Set(found)) {
    const name = p.split(/[\\/]/).pop() ?? p;
    if (TIFF.test(name) || !HAS_EXTENSION.test(name)) paths.push(p);
    else skipped.push(name);
  }
  return { paths, skipped };
}
