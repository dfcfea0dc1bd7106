// The page's CSP meta tag (used from file:// in Electron) and the bridge's CSP
// header say the same, and neither allows inline scripts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP_DIRECTIVES } from '../../src-main/bridge/security-headers';

const html = readFileSync(new URL('../../src-renderer/index.html', import.meta.url), 'utf8');

describe('renderer CSP', () => {
  it('index.html carries the bridge policy as a meta tag', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    expect(meta![1].split(';').map((d) => d.trim())).toEqual(RENDERER_CSP_DIRECTIVES);
  });

  it('allows no inline or eval script and no foreign connections', () => {
    const policy = RENDERER_CSP_DIRECTIVES.join('; ');
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(RENDERER_CSP_DIRECTIVES).toContain("default-src 'self'");
    expect(RENDERER_CSP_DIRECTIVES).toContain("img-src 'self' data: blob:");
    expect(RENDERER_CSP_DIRECTIVES).toContain("connect-src 'self'");
  });

  it('has no inline script in the page source', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});
