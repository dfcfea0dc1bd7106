// The HTTP bridge against a fake backend: who may call it, how requests are
// dispatched and answered, job events over SSE, and the static renderer files.
import { request, type IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import type { ApiMethod, JobEvent } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { tempDir } from '../helpers/python';

/** Records calls and answers from a table; job events are pushed by the test. */
function fakeBackend() {
  const calls: { method: ApiMethod; input: unknown }[] = [];
  const listeners = new Set<(e: JobEvent) => void>();
  const backend: ApiBackend = {
    async call(method, input): Promise<Result<unknown>> {
      calls.push({ method, input });
      if (method === 'appInfo') return { ok: true, value: { version: '9.9.9', platform: 'test', bridge: 'http' } };
      if (method === 'openProject') return { ok: false, error: { tag: 'not_a_project', message: 'x.fibrecon is not a fibrecon project.', file: 'x.fibrecon' } };
      return { ok: true, value: { echo: input ?? null } };
    },
    onJobEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {},
  };
  return { backend, calls, listeners, emit: (e: JobEvent) => listeners.forEach((l) => l(e)) };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => unknown;
}

function raw(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('http bridge', () => {
  const fake = fakeBackend();
  const root = tempDir('fibrecon-bridge-');
  const renderer = { dir: join(root.dir, 'renderer') };
  let bridge: RunningBridge;
  const api = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
    raw(bridge.port, `/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fibrecon-token': bridge.token, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    mkdirSync(renderer.dir);
    writeFileSync(join(renderer.dir, 'index.html'), '<!doctype html><title>fibrecon</title>');
    mkdirSync(join(renderer.dir, 'assets'));
    writeFileSync(join(renderer.dir, 'assets', 'app.js'), 'console.log(1);');
    writeFileSync(join(renderer.dir, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(renderer.dir, '..', 'secret.txt'), 'outside the renderer folder');
    bridge = await startBridge({ backend: fake.backend, rendererDir: renderer.dir });
  });
  afterAll(async () => {
    await bridge.close();
    root.cleanup();
  });

  it('prints a loopback URL with a 32-byte hex token', () => {
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.port).toBeGreaterThan(0);
  });

  it('uses a new token every start', async () => {
    const other = await startBridge({ backend: fake.backend, rendererDir: renderer.dir });
    expect(other.token).not.toBe(bridge.token);
    expect(other.port).not.toBe(bridge.port);
    await other.close();
  });

  it('refuses to listen on anything but 127.0.0.1', async () => {
    const host = '0.0.0.0' as unknown as '127.0.0.1';
    await expect(startBridge({ backend: fake.backend, rendererDir: renderer.dir, host })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it('is not reachable on other interfaces', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: bridge.port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      expect(reached, `bridge reachable on ${address}`).toBe(false);
    }
  });

  it('answers 401 with a JSON error without the token or with a wrong one', async () => {
    const missing = await raw(bridge.port, '/api/appInfo', { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(missing.json()).toMatchObject({ ok: false, error: { tag: 'invalid_input', message: expect.stringMatching(/token/) } });

    const wrong = await api('appInfo', undefined, { 'x-fibrecon-token': 'f'.repeat(64) });
    expect(wrong.status).toBe(401);
    const short = await api('appInfo', undefined, { 'x-fibrecon-token': 'abc' });
    expect(short.status).toBe(401);
    // The query token is for EventSource only.
    const query = await raw(bridge.port, `/api/appInfo?token=${bridge.token}`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(query.status).toBe(401);
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a foreign Host header (DNS rebinding), for pages and API alike', async () => {
    for (const path of ['/', '/api/appInfo']) {
      const res = await raw(bridge.port, path, { method: path === '/' ? 'GET' : 'POST', headers: { host: `evil.example:${bridge.port}`, 'x-fibrecon-token': bridge.token } });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Host/) } });
    }
    const wrongPort = await raw(bridge.port, '/', { headers: { host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(403);
    const localhost = await api('appInfo', undefined, { host: `localhost:${bridge.port}` });
    expect(localhost.status).toBe(200);
  });

  it('refuses cross-origin API requests', async () => {
    const foreign = await api('appInfo', undefined, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const otherPort = await api('appInfo', undefined, { origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
    const crossSite = await api('appInfo', undefined, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const own = await api('appInfo', undefined, { origin: `http://127.0.0.1:${bridge.port}`, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
  });

  it('dispatches POST /api/<method> to backend.call and passes the Result through', async () => {
    fake.calls.length = 0;
    const info = await api('appInfo');
    expect(info.status).toBe(200);
    expect(info.json()).toEqual({ ok: true, value: { version: '9.9.9', platform: 'test', bridge: 'http' } });
    expect(info.headers['cache-control']).toBe('no-store');

    const created = await api('createProject', { path: '/tmp/p.fibrecon', name: 'P' });
    expect(created.json()).toEqual({ ok: true, value: { echo: { path: '/tmp/p.fibrecon', name: 'P' } } });

    // Errors are values: same status, the tagged error untouched.
    const failed = await api('openProject', { path: 'x.fibrecon' });
    expect(failed.status).toBe(200);
    expect(failed.json()).toEqual({ ok: false, error: { tag: 'not_a_project', message: 'x.fibrecon is not a fibrecon project.', file: 'x.fibrecon' } });

    expect(fake.calls).toEqual([
      { method: 'appInfo', input: undefined },
      { method: 'createProject', input: { path: '/tmp/p.fibrecon', name: 'P' } },
      { method: 'openProject', input: { path: 'x.fibrecon' } },
    ]);
  });

  it('answers bad JSON and oversized bodies with invalid_input', async () => {
    fake.calls.length = 0;
    const bad = await raw(bridge.port, '/api/createProject', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fibrecon-token': bridge.token },
      body: '{"path": ',
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false, error: { tag: 'invalid_input', message: expect.stringMatching(/not valid JSON/) } });

    const huge = await api('createProject', { path: 'x'.repeat(2 << 20) });
    expect(huge.status).toBe(400);
    expect(huge.json()).toMatchObject({ ok: false, error: { tag: 'invalid_input', message: expect.stringMatching(/larger than/) } });
    expect(fake.calls).toHaveLength(0);
  });

  it('answers an unknown method with a 404 JSON error, and only accepts POST', async () => {
    const unknown = await api('dropDatabase', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ ok: false, error: { tag: 'not_found', message: expect.stringMatching(/dropDatabase/) } });
    const get = await raw(bridge.port, '/api/appInfo', { headers: { 'x-fibrecon-token': bridge.token } });
    expect(get.status).toBe(405);
    const form = await api('appInfo', undefined, { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
  });

  it('streams job events as Server-Sent Events (token in the query)', async () => {
    const denied = await raw(bridge.port, '/api/events');
    expect(denied.status).toBe(401);

    const event: JobEvent = { jobId: 'j1', kind: 'import', type: 'progress', fraction: 0.5, message: 'slice 5 of 10', etaS: 3 };
    const done: JobEvent = { jobId: 'j1', kind: 'import', type: 'done', message: 'Imported 10 slices.' };
    const received = await new Promise<{ contentType: string | undefined; events: unknown[] }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: `/api/events?token=${bridge.token}`, headers: { host: `127.0.0.1:${bridge.port}` } }, (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // The first chunk (retry:) arrives once we are subscribed: emit then.
          if (buffer === '') {
            fake.emit(event);
            fake.emit(done);
          }
          buffer += chunk;
          const events = buffer
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => JSON.parse(line.slice(6)) as unknown);
          if (events.length >= 2) {
            req.destroy();
            resolve({ contentType: res.headers['content-type'], events });
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(received.contentType).toMatch(/^text\/event-stream/);
    expect(received.events).toEqual([event, done]);
  });

  it('serves the renderer without a token, with content types and the CSP on HTML', async () => {
    const index = await raw(bridge.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.text).toContain('<title>fibrecon</title>');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(index.headers['referrer-policy']).toBe('no-referrer');

    const withToken = await raw(bridge.port, `/?token=${bridge.token}`);
    expect(withToken.text).toBe(index.text);
    const js = await raw(bridge.port, '/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toBe('console.log(1);');
    const css = await raw(bridge.port, '/assets/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/missing.js', '/assets']) {
      const res = await raw(bridge.port, path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('outside');
    }
    const post = await raw(bridge.port, '/', { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('says how to build the renderer when it is missing', async () => {
    const empty = tempDir('fibrecon-empty-');
    const other = await startBridge({ backend: fake.backend, rendererDir: empty.dir });
    const res = await raw(other.port, '/');
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/npm run build:renderer/);
    await other.close();
    empty.cleanup();
  });

  it('closes with open event streams and stops listening', async () => {
    const other = await startBridge({ backend: fake.backend, rendererDir: renderer.dir });
    const streamEnded = new Promise<void>((resolve) => {
      request({ host: '127.0.0.1', port: other.port, path: `/api/events?token=${other.token}`, headers: { host: `127.0.0.1:${other.port}` } }, (res) => {
        res.on('data', () => {});
        res.on('close', () => resolve());
      }).end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const before = fake.listeners.size;
    await other.close();
    await streamEnded;
    expect(fake.listeners.size).toBe(before - 1);
    await expect(raw(other.port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
