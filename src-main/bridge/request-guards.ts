// Who may talk to the bridge: only pages served by the bridge itself, on the
// loopback interface, holding the token printed at start.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-fibrecon-token';

/** The origins (and Host header values) under which the bridge serves its page. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * Rejects requests whose Host is not the loopback address and our port, so that
 * a web page on an attacker's domain re-pointed to 127.0.0.1 (DNS rebinding)
 * cannot reach the API.
 */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowedHosts(port).includes(host);
}

/** Cross-origin requests are refused: an Origin, when sent, must be the bridge's own. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts(port).map((h) => `http://${h}`).includes(origin.toLowerCase())) return false;
  // Browsers that send Fetch Metadata tell us directly when another site made the request.
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The token of a request: the header, or (for EventSource, which cannot set headers) `?token=`. */
export function requestToken(req: IncomingMessage, url: URL, allowQuery: boolean): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string') return header;
  return allowQuery ? (url.searchParams.get('token') ?? undefined) : undefined;
}

/** Constant-time comparison, so that response timing does not reveal the token byte by byte. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
