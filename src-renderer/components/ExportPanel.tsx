// Export step: a stored volume to a file another program opens with its voxel
// size (Fiji, Avizo/Amira, Dragonfly, ITK, napari, ...). The browser build has no
// file dialog: the destination is typed (the Electron build will add a dialog).
import { useEffect, useState, type FormEvent } from 'react';
import type { ExportJobRequest } from '../../src-shared/contract';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { formatLine, pathWithExtension } from './quality-text';
import { formatShape, formatVoxelSize } from './step-text';
import { defaultExportVolume } from './default-input';
import { roundedPair } from '../../src-shared/format-number';

export function ExportPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  useEffect(() => {
    void store.loadExportFormats();
  }, [store]);
  const formats = state.exportFormats ?? [];
  const [volumeName, setVolumeName] = useState('');
  const [formatId, setFormatId] = useState('amira-mesh');
  const [pathText, setPathText] = useState<string | null>(null);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';

  // Default: the newest reconstruction (what the steps before made), else the newest volume.
  const volume = state.volumes.find((v) => v.name === volumeName) ?? defaultExportVolume(state.volumes);
  const format = formats.find((f) => f.id === formatId) ?? formats[0];
  const folder = state.project ? state.project.path.replace(/[\\/][^\\/]*$/, '') : '';
  const sep = state.project?.path.includes('\\') && !state.project.path.includes('/') ? '\\' : '/';
  const defaultPath = volume && format ? `${folder}${sep}${volume.name.replace(/[^\w.-]+/g, '_')}${format.extensions[0]}` : '';
  const path = pathText ?? defaultPath;
  // A format with one z spacing cannot take slices at uneven z: known before anything runs, said once, the button off.
  const uneven = volume && format && !format.supportsNonUniformZ ? volume.unevenZ : null;
  const blocked = uneven && format && volume ? unevenZReason(format.name, uneven, volume.voxelSizeNm.z, formats.some((f) => f.id === 'avizo-stacked-slices')) : null;
  const req: ExportJobRequest | null = volume && format && path.trim() !== '' && blocked === null ? { volume: volume.name, format: format.id, path: path.trim() } : null;

  const chooseFormat = (id: string) => {
    setFormatId(id);
    const f = formats.find((x) => x.id === id);
    if (f && pathText !== null) setPathText(pathWithExtension(pathText, f, formats));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req !== null && !jobActive) void store.startExport(req);
  };
  const last = state.lastExport;
  // The backend refused to replace existing files: the user confirms, the same export runs with overwrite.
  const askReplace = last?.status === 'failed' && last.errorTag === 'file_exists' && req !== null && last.request.path === req.path && last.request.format === req.format;
  const replace = () => {
    if (req !== null && !jobActive) void store.startExport({ ...req, overwrite: true });
  };

  return (
    <section className="card step-panel export-panel" aria-label="Export">
      <h2>Export: a file for Fiji, Avizo/Amira, Dragonfly, ITK, napari …, with the voxel size</h2>
      {state.volumes.length === 0 ? (
        <p className="empty">No volume yet: import a stack in step 1.</p>
      ) : (
        <form onSubmit={submit} aria-label="Export parameters">
          <div className="row">
            <label className="narrow">
              Volume
              <select name="export-volume" value={volume?.name ?? ''} onChange={(e) => setVolumeName(e.target.value)}>
                {state.volumes.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({v.kind})
                  </option>
                ))}
              </select>
            </label>
            <label className="wide">
              Format
              <select name="export-format" value={format?.id ?? ''} onChange={(e) => chooseFormat(e.target.value)}>
                {formats.map((f) => (
                  <option key={f.id} value={f.id}>
                    {formatLine(f)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {format && (
            <p className="method-text format-text">
              {format.name}: read by {format.readBy.join(', ')}. {format.notes}{' '}
              {format.supportsNonUniformZ ? 'Keeps slices at uneven z.' : blocked ? '' : 'Needs evenly spaced slices (reconstruct first, or use Avizo stacked slices).'}{' '}
              {volume?.kind === 'labels' && (format.supportsLabels ? 'The labels are marked as a label field.' : 'The labels go out as plain uint8 0/1.')}
            </p>
          )}
          <div className="row">
            <label className="wide">
              Destination file
              <input name="export-path" value={path} onChange={(e) => setPathText(e.target.value)} spellCheck={false} />
              <span className="hint">a full path on this computer; the folder must exist (no file dialog in the browser build)</span>
            </label>
          </div>
          {volume && (
            <p className="will-run">
              Will write: <code>{formatShape(volume.shape)} voxels of {formatVoxelSize(volume.voxelSizeNm)}, {volume.dtype}</code>
            </p>
          )}
          {blocked && (
            <p className="field-error export-blocked" role="note">
              {blocked}
            </p>
          )}
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            Run export
          </button>
        </form>
      )}
      {last && askReplace && (
        <div className="step-result export-confirm" role="alertdialog" aria-label="Replace existing files">
          <p className="result-line">{last.message}</p>
          <button type="button" onClick={replace} disabled={jobActive || state.pending !== null}>
            Replace
          </button>
          <span className="hint"> or change the destination above</span>
        </div>
      )}
      {last && !askReplace && (
        <div className="step-result export-result" data-status={last.status} data-path={last.request.path}>
          <h3>Last export</h3>
          <p className="result-line">{last.status === 'done' ? last.message : `${last.status === 'failed' ? 'Failed' : 'Cancelled'}: ${last.message}`}</p>
        </div>
      )}
    </section>
  );
}

/** Why this format cannot take the volume: its slices are at uneven z (numbers rounded to what tells them apart). */
export function unevenZReason(formatName: string, uneven: { index: number; gapNm: number }, zNm: number, stackedSlicesOffered: boolean): string {
  const [gap, z] = roundedPair(uneven.gapNm, zNm);
  return (
    `${formatName} stores one slice spacing, but slices ${uneven.index} and ${uneven.index + 1} are ${gap} nm apart while the z voxel size is ${z} nm: ` +
    `reconstruct first (step 5)${stackedSlicesOffered ? ', or choose Avizo stacked slices (.asi), which keeps every slice at its z' : ''}.`
  );
}
