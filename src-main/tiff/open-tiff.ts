// openTiff: parses a TIFF's header and IFD chain by byte ranges and returns
// a TiffFile whose readPage decodes one page (or a crop) to a grey plane.
// Library split (utif for the PackBits codec, own container/LZW code,
// node:zlib for Deflate): see codecs.ts.
import { AppError } from '../../src-shared/errors';
import { openFileSource, type ByteSource } from './byte-source';
import { parseHeader, readIfds } from './ifd';
import { expandImageJ } from './imagej';
import { buildPage } from './page';
import { readPlane } from './read-plane';
import { ScratchPool } from './scratch';
import { typeSize } from './tags';
import { shortName } from './tiff-errors';
import type { GreyPlane, ReadPageOptions, TiffFile, TiffPage } from './types';

export type { Crop, GreyPlane, ReadPageOptions, TagValue, TiffFile, TiffPage } from './types';

export interface OpenTiffOptions {
  /** Byte-type tag payloads above this stay in the file until readTagBytes (default 1 MiB). */
  maxEagerTagBytes?: number;
  /** Most IFDs read (default 1,000,000). */
  maxPages?: number;
}

async function openSource(path: string): Promise<ByteSource> {
  try {
    return await openFileSource(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('file_not_found', `${shortName(path)} was not found (${path}); check the path or copy the file again.`, path);
    }
    if (code === 'EISDIR') throw new AppError('invalid_input', `${path} is a folder, not a TIFF file: to import a folder of slices, give the folder alone (not in a list of files).`, path);
    throw e;
  }
}

export async function openTiff(path: string, opts: OpenTiffOptions = {}): Promise<TiffFile> {
  const src = await openSource(path);
  try {
    const header = parseHeader(await src.read(0, 16), path);
    const { ifds, notices } = await readIfds(src, header, {
      maxEagerTagBytes: opts.maxEagerTagBytes ?? 1 << 20,
      maxIfds: opts.maxPages ?? 1_000_000,
    });
    const expanded = expandImageJ(
      ifds.map((ifd, i) => buildPage(ifd, i, path)),
      path,
      src.size,
    );
    if (expanded.notice) notices.push(expanded.notice);
    return new OpenedTiff(path, src, header.littleEndian, header.bigTiff, expanded.pages, notices);
  } catch (e) {
    await src.close();
    throw e;
  }
}

class OpenedTiff implements TiffFile {
  readonly byteOrder: 'LE' | 'BE';
  readonly fileSize: number;
  private readonly scratch = new ScratchPool();
  private closed = false;

  constructor(
    readonly path: string,
    private readonly src: ByteSource,
    private readonly littleEndian: boolean,
    readonly bigTiff: boolean,
    readonly pages: TiffPage[],
    readonly notices: string[],
  ) {
    this.byteOrder = littleEndian ? 'LE' : 'BE';
    this.fileSize = src.size;
  }

  private page(index: number): TiffPage {
    if (this.closed) throw new AppError('invalid_input', `${shortName(this.path)} was already closed.`, this.path);
    const p = Number.isInteger(index) ? this.pages[index] : undefined;
    if (!p) {
      const n = this.pages.length;
      throw new AppError('invalid_input', `Page index ${index} is out of range: ${shortName(this.path)} has ${n} image${n === 1 ? '' : 's'} (indices 0 to ${n - 1}).`, this.path);
    }
    return p;
  }

  async readPage(index: number, opts?: ReadPageOptions): Promise<GreyPlane> {
    const page = this.page(index);
    const ctx = { src: this.src, path: this.path, littleEndian: this.littleEndian, pageCount: this.pages.length, scratch: this.scratch };
    return readPlane(ctx, page, opts);
  }

  async readTagBytes(pageIndex: number, tag: number): Promise<Uint8Array | undefined> {
    const t = this.page(pageIndex).tags.get(tag);
    if (!t) return undefined;
    if (t.bytes) return t.bytes;
    if (t.lazyOffset === undefined) return undefined;
    return this.src.read(t.lazyOffset, t.count * typeSize(t.type));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.src.close();
  }
}
