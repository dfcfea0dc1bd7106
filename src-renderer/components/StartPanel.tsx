// No project open: create one, open one, or pick one of the recent projects
// (newest first; a file that is gone is marked and cannot be opened). Paths
// are typed, or chosen with Browse… (the native dialog on the desktop; in a
// browser there is none, and the field says so and gets the focus).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FibreconApi, RecentProject } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { uiRequests } from '../state/ui-requests';
import { formatDateTime } from '../format';

interface StartPanelProps {
  busy: string | null;
  /** null while not read yet. */
  recent: RecentProject[] | null;
  onCreate: (path: string, name?: string) => void;
  onOpen: (path: string) => void;
  dialogs: Pick<FibreconApi, 'chooseProjectFile' | 'chooseNewProjectPath'>;
}

type PathField = 'create-path' | 'open-path';

export function StartPanel({ busy, recent, onCreate, onOpen, dialogs }: StartPanelProps) {
  const [createPath, setCreatePath] = useState('');
  const [name, setName] = useState('');
  const [openPath, setOpenPath] = useState('');
  const [notes, setNotes] = useState<Partial<Record<PathField, string>>>({});
  const fields = { 'create-path': useRef<HTMLInputElement>(null), 'open-path': useRef<HTMLInputElement>(null) };

  const typeInstead = (field: PathField, message: string) => {
    setNotes((n) => ({ ...n, [field]: message }));
    fields[field].current?.focus();
  };
  // File > New project… / Open project… in a window without dialogs.
  useEffect(
    () =>
      uiRequests.on((r) => {
        if (r.type !== 'focus-path') return false;
        typeInstead(r.field, r.message);
        return true;
      }),
    [],
  );

  const browse = async (field: PathField, ask: () => Promise<Result<string | null>>, set: (path: string) => void) => {
    const res = await ask();
    if (!res.ok) return typeInstead(field, res.error.message);
    setNotes((n) => ({ ...n, [field]: undefined }));
    if (res.value !== null) set(res.value);
  };

  /** A project-file path field with its Browse… button and the note shown when there is no dialog. */
  const pathRow = (field: PathField, value: string, set: (path: string) => void, browseLabel: string, ask: () => Promise<Result<string | null>>) => (
    <>
      <div className="path-row">
        <label>
          Project file
          <input ref={fields[field]} name={field} value={value} onChange={(e) => set(e.target.value)} placeholder="/data/sample-42.fibrecon" spellCheck={false} />
        </label>
        <button type="button" className="secondary small browse" aria-label={browseLabel} disabled={busy !== null} onClick={() => void browse(field, ask, set)}>
          Browse…
        </button>
      </div>
      {notes[field] && <p className="hint path-note">{notes[field]}</p>}
    </>
  );

  const submitCreate = (e: FormEvent) => {
    e.preventDefault();
    if (createPath.trim() !== '') onCreate(createPath.trim(), name.trim() || undefined);
  };
  const submitOpen = (e: FormEvent) => {
    e.preventDefault();
    if (openPath.trim() !== '') onOpen(openPath.trim());
  };

  return (
    <section className="start-panel">
      <form className="card" onSubmit={submitCreate} aria-label="New project">
        <h2>New project</h2>
        {pathRow('create-path', createPath, setCreatePath, 'Browse… for the new project file', () => dialogs.chooseNewProjectPath(name.trim() ? { suggestedName: name.trim() } : {}))}
        <label>
          Name <span className="hint">(optional)</span>
          <input name="create-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Sample 42, anode coating" />
        </label>
        <button type="submit" disabled={busy !== null || createPath.trim() === ''}>
          Create project
        </button>
      </form>
      <form className="card" onSubmit={submitOpen} aria-label="Open project">
        <h2>Open project</h2>
        {pathRow('open-path', openPath, setOpenPath, 'Browse… for a project file to open', () => dialogs.chooseProjectFile())}
        <button type="submit" disabled={busy !== null || openPath.trim() === ''}>
          Open project
        </button>
      </form>
      <section className="card recent-card" aria-label="Recent projects">
        <h2>Recent projects</h2>
        {recent === null ? null : recent.length === 0 ? (
          <p className="empty">No recent projects yet: the projects you create or open are listed here.</p>
        ) : (
          <ul className="recent-projects">
            {recent.map((r) => (
              <li key={r.path} className={r.exists ? '' : 'missing'} data-path={r.path}>
                <button
                  type="button"
                  className="secondary small recent-open"
                  disabled={busy !== null || !r.exists}
                  onClick={() => onOpen(r.path)}
                  title={r.exists ? `Open ${r.path}` : `${r.path} is no longer there (moved or deleted)`}
                >
                  {r.name ?? r.path.split(/[\\/]/).pop()}
                </button>
                <span className="recent-path">{r.path}</span>
                {!r.exists && <span className="recent-missing field-error">file not found</span>}
                <span className="hint recent-when">{formatDateTime(r.openedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {busy && <p className="pending">{busy}</p>}
    </section>
  );
}
