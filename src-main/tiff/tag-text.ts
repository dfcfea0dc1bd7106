// Text of ASCII / BYTE / UNDEFINED tags (ImageDescription, vendor metadata).
// Vendors disagree on encodings: ImageJ and FEI write ASCII or UTF-8, ZEISS
// writes Latin-1 (a lone 0xB5 for µ). UTF-8 when the bytes are valid UTF-8,
// else Latin-1, which maps every byte to a character.
import type { TiffPage } from './types';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes tag bytes as text (UTF-8 if valid, else Latin-1), trailing NULs stripped. */
export function bytesToText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const b = bytes.subarray(0, end);
  try {
    return utf8.decode(b);
  } catch {
    // TextDecoder('latin1') is windows-1252 per the WHATWG spec; map bytes 1:1 instead.
    let s = '';
    for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
    return s;
  }
}

/**
 * A text tag of a page, or undefined when the page lacks it, it is not a
 * byte-type tag, or its payload is lazy (over the eager limit: use
 * `TiffFile.readTagBytes` and `bytesToText`).
 */
export function tagText(page: TiffPage, tag: number): string | undefined {
  const t = page.tags.get(tag);
  if (!t || !t.bytes) return undefined;
  return bytesToText(t.bytes);
}
