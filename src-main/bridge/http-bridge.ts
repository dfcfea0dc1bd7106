// The HTTP bridge: the same API as the Electron IPC, served on 127.0.0.1 so
// that the renderer runs (and is tested) in an ordinary browser. It serves the
// built renderer, answers POST /api/<method> with the backend's Result and
// streams job events on GET /api/events. Every API request needs the token.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_METHODS, type ApiMethod } from '../../src-shared/contract';
import { AppError, toErrorValue, type ErrorTag, type Result } from '../../src-shared/errors';
import type { ApiBackend } from '../app/api-backend-types';
import { JobEventStream } from './event-stream';
import { readJsonBody } from './json-body';
import { hostAllowed, originAllowed, requestToken, tokenMatches } from './request-guards';
import { COMMON_HEADERS } from './security-headers';
import { serveStatic, sendText } from './static-files';

export interface BridgeOptions {
  backend: ApiBackend;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** Only the loopback address: the bridge must never be reachable from the network. */
  host?: '127.0.0.1';
}

export interface RunningBridge {
  /** The page to open, with the token: http://127.0.0.1:PORT/?token=... */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
const API_PREFIX = '/api/';

export async function startBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const host: string = opts.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new AppError('invalid_input', `The bridge listens on ${LOOPBACK} only (asked for ${host}): it must not be reachable from other machines.`);
  }
  const token = randomBytes(32).toString('hex');
  const events = new JobEventStream();
  const unsubscribe = opts.backend.onJobEvent((e) => events.publish(e));
  let port = 0;

  const server = createServer((req, res) => {
    handleRequest(req, res, { backend: opts.backend, rendererDir: opts.rendererDir, token, port, events }).catch((e: unknown) => {
      if (!res.headersSent) sendResult(res, 500, { ok: false, error: toErrorValue(e) });
      else res.destroy();
    });
  });
  port = await listen(server, opts.port ?? 0, host);

  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    token,
    port,
    close() {
      closing ??= (async () => {
        unsubscribe();
        events.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

interface BridgeContext {
  backend: ApiBackend;
  rendererDir: string;
  token: string;
  port: number;
  events: JobEventStream;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: BridgeContext): Promise<void> {
  if (!hostAllowed(req, ctx.port)) {
    return sendError(res, 403, 'invalid_input', `Refused: the Host header must be 127.0.0.1:${ctx.port} or localhost:${ctx.port}.`);
  }
  const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${ctx.port}`);
  if (!url.pathname.startsWith(API_PREFIX)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET and HEAD are served here.');
    return serveStatic(req, res, ctx.rendererDir, url.pathname);
  }

  if (!originAllowed(req, ctx.port)) {
    return sendError(res, 403, 'invalid_input', 'Refused: cross-origin requests are not allowed; open the page the bridge printed.');
  }
  const name = url.pathname.slice(API_PREFIX.length);
  const isEvents = name === 'events';
  if (!tokenMatches(requestToken(req, url, isEvents), ctx.token)) {
    return sendError(res, 401, 'invalid_input', 'Missing or wrong access token: open the URL the bridge printed at start (http://127.0.0.1:PORT/?token=...).');
  }

  if (isEvents) {
    if (req.method !== 'GET') return sendError(res, 405, 'invalid_input', 'Use GET for /api/events.');
    ctx.events.attach(res);
    return;
  }
  if (!isApiMethod(name)) {
    return sendError(res, 404, 'not_found', `Unknown API method "${name}". Known methods: ${API_METHODS.join(', ')}.`);
  }
  if (req.method !== 'POST') return sendError(res, 405, 'invalid_input', `Use POST for /api/${name}.`);
  // A JSON content type forces a CORS preflight on any cross-site attempt.
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !contentType.toLowerCase().startsWith('application/json')) {
    return sendError(res, 415, 'invalid_input', 'API requests must be sent as application/json.');
  }

  const body = await readJsonBody(req);
  if (!body.ok) {
    res.setHeader('Connection', 'close');
    return sendResult(res, 400, body);
  }
  sendResult(res, 200, await ctx.backend.call(name, body.value));
}

function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as string[]).includes(name);
}

function sendError(res: ServerResponse, status: number, tag: ErrorTag, message: string): void {
  sendResult(res, status, { ok: false, error: { tag, message } });
}

function sendResult(res: ServerResponse, status: number, result: Result<unknown>): void {
  const body = Buffer.from(JSON.stringify(result), 'utf8');
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}
