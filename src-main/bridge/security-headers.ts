// Headers the bridge sends with every response. The page holds an access token
// in memory, so nothing may run inline, be framed or leak the URL in a Referer.

/**
 * The renderer's Content-Security-Policy. src-renderer/index.html carries the
 * same policy as a meta tag (without frame-ancestors, which a meta tag cannot
 * set); tests/renderer/csp.test.ts keeps the two equal.
 */
export const RENDERER_CSP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...RENDERER_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
