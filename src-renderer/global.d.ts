// window.fibrecon: the API the Electron preload exposes (absent in a browser).
import type { FibreconApi } from '../src-shared/contract';

declare global {
  interface Window {
    fibrecon?: FibreconApi;
  }
}

export {};
