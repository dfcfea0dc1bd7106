// Server-Sent Events: every job event of the backend goes to every connected
// page as one `data:` line of JSON.
import type { ServerResponse } from 'node:http';
import type { JobEvent } from '../../src-shared/contract';
import { COMMON_HEADERS } from './security-headers';

/** Comment lines keep idle connections open through proxies and detect dead clients. */
const HEARTBEAT_MS = 15_000;

export class JobEventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.writeAll(': ping\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Turns `res` into an event stream until the client goes away or the stream is closed. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // Tell EventSource how soon to reconnect, and flush the headers now.
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  publish(event: JobEvent): void {
    this.writeAll(`data: ${JSON.stringify(event)}\n\n`);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private writeAll(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}
