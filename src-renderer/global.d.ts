// window.fibrecon: the API the Electron preload exposes (absent in a browser),
// with pathForFile for dropped files.
import type { FibreconApi, PreloadFileHelpers } from '../src-shared/contract';

declare global {
  interface Window {
    fibrecon?: FibreconApi & Partial<PreloadFileHelpers>;
  }
}

export {};
