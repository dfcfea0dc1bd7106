// Which pages the main process answers over IPC (the callers of the preload)
// and where the window may navigate.
import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl } from '../../src-main/electron/trusted-sender';

const packaged = { indexFileUrl: 'file:///opt/fibrecon/resources/app.asar/out/renderer/index.html' };
const dev = { ...packaged, devServerUrl: 'http://localhost:5173/' };

describe('isTrustedRendererUrl', () => {
  it("accepts the app's own index.html, with or without query and hash", () => {
    expect(isTrustedRendererUrl(packaged.indexFileUrl, packaged)).toBe(true);
    expect(isTrustedRendererUrl(`${packaged.indexFileUrl}?x=1#/import`, packaged)).toBe(true);
  });

  it('refuses other files, other schemes and garbage', () => {
    for (const url of [
      'file:///opt/fibrecon/resources/app.asar/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///opt/fibrecon/resources/app.asar/out/renderer/../renderer2/index.html',
      'https://evil.example/index.html',
      'http://localhost:5173/',
      'about:blank',
      'data:text/html,<script>1</script>',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isTrustedRendererUrl(url, packaged), String(url)).toBe(false);
    }
  });

  it('accepts the dev server origin only when one is configured', () => {
    expect(isTrustedRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5173/index.html?x', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl(packaged.indexFileUrl, dev)).toBe(true);
  });
});
