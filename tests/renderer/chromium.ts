// Shared by the browser tests: Debian's Chromium through playwright-core, the
// built renderer's location and a screenshot folder.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDir = join(repoRoot, 'out', 'renderer');
export const screenshotDir = join(repoRoot, 'out', 'screenshots');
export const CHROMIUM = process.env.FIBRECON_CHROMIUM ?? '/usr/bin/chromium';

/** The browser tests need `npm run build:renderer` first; they skip (saying so) without it. */
export function rendererBuilt(suite: string): boolean {
  const built = existsSync(join(rendererDir, 'index.html'));
  if (!built) console.warn(`${suite} skipped: ${rendererDir}/index.html is missing. Run "npm run build:renderer" first (npm test does).`);
  return built;
}

/** webgl: WebGL2 on SwiftShader (software), for pages that show the 3D view. */
export function launchChromium(opts: { webgl?: boolean } = {}): Promise<Browser> {
  const gpu = opts.webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] : ['--disable-gpu'];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', ...gpu, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page that records page errors and console errors (CSP violations show up there). */
export async function openPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, name);
  await page.screenshot({ path, fullPage: true });
  return path;
}
