// The layer list: every stored volume with its kind, shape (z × y × x), voxel
// size and how it was made, and per volume: View (in the orthoviews), How made
// (the run that made it with its recorded settings), Rename and Delete (after a
// confirmation that says what goes with it and what depends on it). Rename and
// Delete are refused by the backend while a job runs, and disabled here meanwhile.
import { useState, type FormEvent } from 'react';
import type { VolumeProvenance, VolumeSummary } from '../../src-shared/contract';
import type { ProjectStore } from '../state/project-store';
import { formatShape, formatVoxelSize, howMade } from './step-text';

interface VolumeTableProps {
  volumes: VolumeSummary[];
  selected: string | null;
  onView: (name: string) => void;
  store: ProjectStore;
  /** A job runs (or a request is pending): no rename or delete. */
  busy: boolean;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** What a delete takes with it, and what it leaves, as sentences for the confirmation. */
export function deleteConsequences(p: VolumeProvenance): { removed: string[]; kept: string[] } {
  const d = p.dependents;
  const removed = [`${plural(d.slices, 'slice')} (${mb(d.storedBytes)} stored)`];
  if (d.annotation) removed.push(`the annotations bound to it: ${plural(d.annotation.slices, 'annotated slice')}, version ${d.annotation.version} (export them first to keep them)`);
  if (d.metrics) removed.push(`${plural(d.metrics, 'stored quality result')} of it or against it`);
  if (d.thicknessTables) removed.push(plural(d.thicknessTables, 'thickness table'));
  if (d.classifiers) removed.push(`${plural(d.classifiers, 'trained classifier')} kept with it`);
  const kept: string[] = [];
  if (d.derivedVolumes.length) kept.push(`volumes made from it: ${d.derivedVolumes.join(', ')}`);
  if (d.usedByRuns.length) kept.push(`the record of ${plural(d.usedByRuns.length, 'run')} that used it (${d.usedByRuns.map((r) => `${r.step} #${r.id}`).join(', ')})`);
  return { removed, kept };
}

function settingsText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function HowMade({ p, onClose }: { p: VolumeProvenance; onClose: () => void }) {
  const r = p.madeBy;
  const params = r && typeof r.params === 'object' && r.params !== null ? Object.entries(r.params as Record<string, unknown>) : [];
  return (
    <section className="card how-made" aria-label={`How ${p.volume} was made`} data-volume={p.volume}>
      <div className="layer-dialog-head">
        <h2>How “{p.volume}” was made</h2>
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      {r ? (
        <>
          <p className="how-run" data-run={r.id}>
            Run {r.id}: <strong className="how-step">{r.step}</strong>, {r.status}, {new Date(r.startedAt).toLocaleString()}
            {r.durationS !== null ? `, ${r.durationS.toFixed(1)} s` : ''} · fibrecon {r.softwareVersion}
            {r.modelName ? ` · model ${r.modelName}${r.executionProvider ? ` on ${r.executionProvider}` : ''}` : ''}
          </p>
          {params.length > 0 && (
            <dl className="facts how-settings">
              {params.map(([k, v]) => (
                <div key={k} className="how-setting" data-key={k}>
                  <dt>{k}</dt>
                  <dd>{settingsText(v)}</dd>
                </div>
              ))}
            </dl>
          )}
          {p.madeWith.length > 0 && <p className="muted">The same run also wrote: {p.madeWith.join(', ')}.</p>}
          {r.log.trim() && (
            <details className="how-log">
              <summary>Run log</summary>
              <pre>{r.log.trim()}</pre>
            </details>
          )}
        </>
      ) : (
        <p className="empty">No run is recorded for it.</p>
      )}
      {p.renames.map((n) => (
        <p key={n.runId} className="how-rename muted">
          Renamed from “{n.from}” to “{n.to}” ({new Date(n.at).toLocaleString()}); the settings above use the names of their time.
        </p>
      ))}
    </section>
  );
}

function ConfirmDelete({ p, busy, onConfirm, onCancel }: { p: VolumeProvenance; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { removed, kept } = deleteConsequences(p);
  return (
    <section className="card confirm-delete" role="alertdialog" aria-label={`Delete ${p.volume}?`} data-volume={p.volume}>
      <h2>Delete “{p.volume}”?</h2>
      <p>This removes from the project, for good:</p>
      <ul className="delete-removed">
        {removed.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
      {kept.length > 0 && (
        <>
          <p>Kept (they do not need it to be read):</p>
          <ul className="delete-kept">
            {kept.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </>
      )}
      <div className="layer-dialog-buttons">
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          Delete {p.volume}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Keep it
        </button>
      </div>
    </section>
  );
}

export function VolumeTable({ volumes, selected, onView, store, busy }: VolumeTableProps) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<{ volume: string; message: string } | null>(null);
  const [confirm, setConfirm] = useState<VolumeProvenance | null>(null);
  const [shown, setShown] = useState<VolumeProvenance | null>(null);
  const [working, setWorking] = useState(false);

  const startRename = (name: string) => {
    setRenaming(name);
    setDraft(name);
    setError(null);
  };
  const submitRename = async (e: FormEvent, from: string) => {
    e.preventDefault();
    setWorking(true);
    const res = await store.renameVolume(from, draft);
    setWorking(false);
    if (!res.ok) {
      setError({ volume: from, message: res.error.message });
      return;
    }
    setRenaming(null);
    setError(null);
    if (shown?.volume === from) setShown(null);
  };
  const askDelete = async (name: string) => {
    setError(null);
    const res = await store.volumeProvenance(name);
    if (!res.ok) setError({ volume: name, message: res.error.message });
    else setConfirm(res.value);
  };
  const doDelete = async (name: string) => {
    setWorking(true);
    const res = await store.deleteVolume(name);
    setWorking(false);
    setConfirm(null);
    if (!res.ok) {
      setError({ volume: name, message: res.error.message });
      return;
    }
    if (shown?.volume === name) setShown(null);
  };
  const showHow = async (name: string) => {
    if (shown?.volume === name) {
      setShown(null);
      return;
    }
    const res = await store.volumeProvenance(name);
    if (!res.ok) setError({ volume: name, message: res.error.message });
    else setShown(res.value);
  };
  const locked = busy || working;
  const lockedWhy = busy ? 'A job is running: wait for it to finish' : undefined;

  return (
    <section className="card volumes" aria-label="Volumes">
      <h2>Layers</h2>
      {volumes.length === 0 ? (
        <p className="empty">No volumes yet: import a stack first.</p>
      ) : (
        <table className="volume-table">
          <thead className="visually-hidden">
            <tr>
              <th>Volume</th>
            </tr>
          </thead>
          <tbody>
            {volumes.map((v) => (
              <tr key={v.name} data-volume={v.name} className={v.name === selected ? 'selected' : undefined} aria-selected={v.name === selected}>
                <td className="layer">
                  {renaming === v.name ? (
                    <form className="rename-form" onSubmit={(e) => void submitRename(e, v.name)} aria-label={`Rename ${v.name}`}>
                      <input
                        name="rename-volume"
                        value={draft}
                        onChange={(e) => setDraft(e.target.value)}
                        onKeyDown={(e) => {
                          if (e.key === 'Escape') {
                            setRenaming(null);
                            setError(null);
                          }
                        }}
                        maxLength={64}
                        autoFocus
                        aria-label={`New name for ${v.name}`}
                      />
                      <button type="submit" className="small" disabled={locked || draft.trim() === '' || draft.trim() === v.name}>
                        Save
                      </button>
                      <button type="button" className="secondary small" onClick={() => (setRenaming(null), setError(null))}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="layer-name volume-name" onClick={() => onView(v.name)} title={`Show ${v.name} in the viewer`}>
                      {v.name}
                    </button>
                  )}
                  <div className="layer-facts">
                    <span className="kind">
                      {v.kind}
                      {v.role === 'channel' ? ' (channel)' : ''}
                    </span>
                    {' · '}
                    <span className="shape num" title="z × y × x voxels">
                      {formatShape(v.shape)}
                    </span>
                    {' · '}
                    <span className="voxel num" title="voxel size x × y × z">
                      {formatVoxelSize(v.voxelSizeNm)}
                    </span>
                  </div>
                  <div className="how">{howMade(v)}</div>
                  <div className="layer-actions">
                    <button type="button" className="secondary small" onClick={() => onView(v.name)} aria-label={`View ${v.name}`}>
                      View
                    </button>
                    <button type="button" className={`secondary small${shown?.volume === v.name ? ' chosen' : ''}`} onClick={() => void showHow(v.name)} aria-label={`How ${v.name} was made`}>
                      How made
                    </button>
                    <button type="button" className="secondary small" onClick={() => startRename(v.name)} disabled={locked} title={lockedWhy} aria-label={`Rename ${v.name}`}>
                      Rename
                    </button>
                    <button type="button" className="secondary small danger-text" onClick={() => void askDelete(v.name)} disabled={locked} title={lockedWhy} aria-label={`Delete ${v.name}`}>
                      Delete
                    </button>
                  </div>
                  {error?.volume === v.name && (
                    <p className="field-error layer-error" role="alert">
                      {error.message}
                    </p>
                  )}
                  {confirm?.volume === v.name && <ConfirmDelete p={confirm} busy={locked} onConfirm={() => void doDelete(v.name)} onCancel={() => setConfirm(null)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && volumes.some((v) => v.name === shown.volume) && <HowMade p={shown} onClose={() => setShown(null)} />}
    </section>
  );
}
