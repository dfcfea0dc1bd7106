// The renderer's HTTP client against the real bridge (with a fake backend):
// it sends the token, passes Results through and turns transport failures
// into error values; events come from one shared EventSource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiBackend } from '../../src-main/app/api-backend-types';
import { startBridge, type RunningBridge } from '../../src-main/bridge/http-bridge';
import { createHttpApi } from '../../src-renderer/api/http-client';
import type { JobEvent } from '../../src-shared/contract';
import { tempDir } from '../helpers/python';

const backend: ApiBackend = {
  call: async (method, input) =>
    method === 'openProject'
      ? { ok: false, error: { tag: 'not_a_project', message: 'Not a project.' } }
      : { ok: true, value: { method, input: input ?? null } },
  onJobEvent: () => () => {},
  dispose: async () => {},
};

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  onmessage: ((m: MessageEvent) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  close() {
    this.closed = true;
  }
  deliver(data: string) {
    this.onmessage?.({ data } as MessageEvent);
  }
}

describe('http client', () => {
  const dir = tempDir('fibrecon-client-');
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend, rendererDir: dir.dir });
  });
  afterAll(async () => {
    await bridge.close();
    dir.cleanup();
  });

  const client = (token: string) =>
    createHttpApi({ token, baseUrl: `http://127.0.0.1:${bridge.port}`, EventSource: FakeEventSource as unknown as typeof EventSource });

  it('calls the bridge with the token and passes Results through', async () => {
    const api = client(bridge.token);
    await expect(api.createProject({ path: '/p.fibrecon', name: 'P' })).resolves.toEqual({
      ok: true,
      value: { method: 'createProject', input: { path: '/p.fibrecon', name: 'P' } },
    });
    await expect(api.appInfo()).resolves.toEqual({ ok: true, value: { method: 'appInfo', input: null } });
    await expect(api.openProject({ path: '/x' })).resolves.toEqual({ ok: false, error: { tag: 'not_a_project', message: 'Not a project.' } });
  });

  it('returns the bridge error for a wrong token', async () => {
    const res = await client('nope').appInfo();
    expect(res).toMatchObject({ ok: false, error: { message: expect.stringMatching(/token/) } });
  });

  it('turns an unreachable bridge into an error value', async () => {
    const api = createHttpApi({ token: 't', baseUrl: 'http://127.0.0.1:1' });
    const res = await api.projectSummary();
    expect(res).toMatchObject({ ok: false, error: { tag: 'internal', message: expect.stringMatching(/does not answer/) } });
  });

  it('shares one event stream among listeners and closes it after the last one leaves', () => {
    FakeEventSource.instances = [];
    const api = client('tok en');
    const a: JobEvent[] = [];
    const b: JobEvent[] = [];
    const offA = api.onJobEvent((e) => a.push(e));
    const offB = api.onJobEvent((e) => b.push(e));
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe(`http://127.0.0.1:${bridge.port}/api/events?token=tok%20en`);
    const event: JobEvent = { jobId: 'j', kind: 'import', type: 'done', message: 'ok' };
    source.deliver(JSON.stringify(event));
    source.deliver('not json');
    expect(a).toEqual([event]);
    expect(b).toEqual([event]);
    offA();
    expect(source.closed).toBe(false);
    offB();
    expect(source.closed).toBe(true);
  });
});
