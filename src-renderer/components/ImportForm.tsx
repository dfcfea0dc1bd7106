// Import one channel: a name and the stack's path(s). Pixel size and slice
// spacing are optional: they override what the files say.
import { useState, type FormEvent } from 'react';
import type { ImportStackInput } from '../state/project-store';

interface ImportFormProps {
  disabled: boolean;
  onImport: (input: ImportStackInput) => void;
}

export function ImportForm({ disabled, onImport }: ImportFormProps) {
  const [channelName, setChannelName] = useState('');
  const [pathsText, setPathsText] = useState('');
  const [pixelSize, setPixelSize] = useState('');
  const [sliceSpacing, setSliceSpacing] = useState('');

  const paths = pathsText
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const pixelSizeNm = parsePositive(pixelSize);
  const sliceSpacingNm = parsePositive(sliceSpacing);
  const numbersValid = pixelSizeNm !== null && sliceSpacingNm !== null;
  const ready = channelName.trim() !== '' && paths.length > 0 && numbersValid;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || disabled) return;
    onImport({
      channelName: channelName.trim(),
      paths,
      ...(pixelSizeNm !== undefined ? { pixelSizeNm } : {}),
      ...(sliceSpacingNm !== undefined ? { sliceSpacingNm } : {}),
    });
  };

  return (
    <form className="card import-form" onSubmit={submit} aria-label="Import stack">
      <h2>Import stack</h2>
      <div className="row">
        <label className="narrow">
          Channel name
          <input name="channel-name" value={channelName} onChange={(e) => setChannelName(e.target.value)} placeholder="SE2, TLD, 2kV…" maxLength={64} />
        </label>
        <label className="wide">
          Multipage TIFF, folder of slices, or one slice file per line
          <textarea
            name="stack-paths"
            rows={2}
            value={pathsText}
            onChange={(e) => setPathsText(e.target.value)}
            placeholder="/data/run-7/stack.tif"
            spellCheck={false}
          />
        </label>
      </div>
      <details>
        <summary>Override pixel size or slice spacing</summary>
        <div className="row">
          <label className="narrow">
            Pixel size x and y (nm)
            <input name="pixel-size" inputMode="decimal" value={pixelSize} onChange={(e) => setPixelSize(e.target.value)} placeholder="from the files" />
          </label>
          <label className="narrow">
            Slice spacing (nm)
            <input name="slice-spacing" inputMode="decimal" value={sliceSpacing} onChange={(e) => setSliceSpacing(e.target.value)} placeholder="from the files" />
          </label>
        </div>
        {!numbersValid && <p className="field-error">Sizes must be positive numbers of nanometres, e.g. 4.5.</p>}
      </details>
      <button type="submit" disabled={disabled || !ready}>
        Import
      </button>
    </form>
  );
}

/** undefined: left empty; null: not a positive number. */
function parsePositive(text: string): number | undefined | null {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim().replace(',', '.'));
  return Number.isFinite(n) && n > 0 ? n : null;
}
