// Import one channel: a name and the stack's path(s), typed, dropped (TIFF
// files or folders) on the form, or chosen with the native dialog (desktop;
// in a browser the form says to type or drop them instead). Pixel size and slice spacing are optional:
// they override what the files say.
import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { FibreconApi } from '../../src-shared/contract';
import { droppedPaths } from '../api/dropped-paths';
import { ImportRoiPicker, type StackPreviewApi } from './ImportRoiPicker';
import { EMPTY_ROI, parseRoi } from './roi-math';
import type { ImportStackInput } from '../state/project-store';
import { uiRequests } from '../state/ui-requests';

interface ImportFormProps {
  disabled: boolean;
  onImport: (input: ImportStackInput) => void;
  /** Electron's preload: the path of a dropped File. Absent in a browser (the drop's text/uri-list is read). */
  pathForFile?: (file: File) => string;
  dialogs: Pick<FibreconApi, 'chooseImportPaths'>;
  /** Metadata and a slice of the stack before import (region of interest). */
  preview: StackPreviewApi;
}

export function ImportForm({ disabled, onImport, pathForFile, dialogs, preview }: ImportFormProps) {
  const [channelName, setChannelName] = useState('');
  const [pathsText, setPathsText] = useState('');
  const [pixelSize, setPixelSize] = useState('');
  const [sliceSpacing, setSliceSpacing] = useState('');
  const [dragging, setDragging] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const [browseNote, setBrowseNote] = useState<string | null>(null);
  const [cropDataBar, setCropDataBar] = useState(true);
  const [roi, setRoi] = useState(EMPTY_ROI);
  const [imageSize, setImageSize] = useState<{ width: number; height: number } | null>(null);
  const pathsField = useRef<HTMLTextAreaElement>(null);

  const addPaths = (added: string[]) => setPathsText((t) => [...t.split('\n').filter((l) => l.trim() !== ''), ...added].join('\n'));
  const browse = async (select: 'files' | 'folder') => {
    const res = await dialogs.chooseImportPaths({ select });
    if (!res.ok) {
      setBrowseNote(res.error.message);
      pathsField.current?.focus();
      return;
    }
    setBrowseNote(null);
    if (res.value !== null && res.value.length > 0) addPaths(res.value);
  };
  // File > Import stack… in the native menu.
  const browseRef = useRef(browse);
  browseRef.current = browse;
  useEffect(
    () =>
      uiRequests.on((r) => {
        if (r.type !== 'import-browse') return false;
        void browseRef.current('files');
        return true;
      }),
    [],
  );

  const dragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const { paths: dropped, skipped } = droppedPaths(e.dataTransfer, pathForFile);
    if (dropped.length > 0) addPaths(dropped);
    setDropNote(
      dropped.length === 0 && skipped.length === 0
        ? 'Nothing to import in what was dropped: drop TIFF files or folders from the file manager.'
        : skipped.length > 0
          ? `Skipped ${skipped.join(', ')}: only TIFF files (.tif, .tiff) and folders of slices can be imported.`
          : null,
    );
  };

  const paths = pathsText
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const pixelSizeNm = parsePositive(pixelSize);
  const sliceSpacingNm = parsePositive(sliceSpacing);
  const numbersValid = pixelSizeNm !== null && sliceSpacingNm !== null;
  const crop = parseRoi(roi, imageSize ?? undefined);
  const ready = channelName.trim() !== '' && paths.length > 0 && numbersValid && typeof crop !== 'string';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || disabled) return;
    onImport({
      channelName: channelName.trim(),
      paths,
      ...(pixelSizeNm !== undefined ? { pixelSizeNm } : {}),
      ...(sliceSpacingNm !== undefined ? { sliceSpacingNm } : {}),
      ...(crop !== undefined && typeof crop !== 'string' ? { crop } : {}),
      cropDataBar,
    });
  };

  return (
    <form
      className={`card import-form${dragging ? ' drop-target' : ''}`}
      onSubmit={submit}
      aria-label="Import stack"
      onDragOver={dragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <h2>Import stack</h2>
      <p className="hint">Type the paths, drop TIFF files or a folder of slices on this form, or browse for them.</p>
      <div className="browse-row">
        <button type="button" className="secondary small browse" disabled={disabled} onClick={() => void browse('files')}>
          Browse files…
        </button>
        <button type="button" className="secondary small browse" disabled={disabled} onClick={() => void browse('folder')}>
          Browse folder…
        </button>
      </div>
      <div className="row">
        <label className="narrow">
          Channel name
          <input name="channel-name" value={channelName} onChange={(e) => setChannelName(e.target.value)} placeholder="SE2, TLD, 2kV…" maxLength={64} />
        </label>
        <label className="wide">
          Multipage TIFF, folder of slices, or one slice file per line
          <textarea
            ref={pathsField}
            name="stack-paths"
            rows={2}
            value={pathsText}
            onChange={(e) => setPathsText(e.target.value)}
            placeholder="/data/run-7/stack.tif"
            spellCheck={false}
          />
        </label>
      </div>
      {dropNote && <p className="field-error drop-note">{dropNote}</p>}
      {browseNote && <p className="hint browse-note">{browseNote}</p>}
      <label className="inline">
        <input type="checkbox" name="crop-data-bar" checked={cropDataBar} onChange={(e) => setCropDataBar(e.target.checked)} /> Crop the vendor data bar below the image (when the metadata give the image rows)
      </label>
      <ImportRoiPicker paths={paths} cropDataBar={cropDataBar} api={preview} roi={roi} onRoi={setRoi} onImageSize={setImageSize} disabled={disabled} />
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
