// The version recorded in every project and run: package.json's.
import { readFileSync } from 'node:fs';

export const APP_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
})();
