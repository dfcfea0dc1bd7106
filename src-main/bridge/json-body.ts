// Reads a request body as JSON with a size limit. API requests are small
// (paths, names, numbers); pixel data never travels this way.
import type { IncomingMessage } from 'node:http';
import type { Result } from '../../src-shared/errors';

export const MAX_BODY_BYTES = 1 << 20;

/** An empty body reads as `undefined` (methods without arguments). */
export async function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Result<unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { tag: 'invalid_input', message: `The request body is not valid JSON (${detail}).` } };
  }
}

function tooLarge(maxBytes: number): Result<never> {
  return {
    ok: false,
    error: { tag: 'invalid_input', message: `The request body is larger than ${maxBytes} bytes; API requests carry only names, paths and numbers.` },
  };
}
