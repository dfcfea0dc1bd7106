// No project open: create one, open one, or pick one of the recent projects
// (newest first; a file that is gone is marked and cannot be opened). Paths
// are typed for now; native file dialogs in Electron come later.
import { useState, type FormEvent } from 'react';
import type { RecentProject } from '../../src-shared/contract';

interface StartPanelProps {
  busy: string | null;
  /** null while not read yet. */
  recent: RecentProject[] | null;
  onCreate: (path: string, name?: string) => void;
  onOpen: (path: string) => void;
}

export function StartPanel({ busy, recent, onCreate, onOpen }: StartPanelProps) {
  const [createPath, setCreatePath] = useState('');
  const [name, setName] = useState('');
  const [openPath, setOpenPath] = useState('');

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
        <label>
          Project file
          <input name="create-path" value={createPath} onChange={(e) => setCreatePath(e.target.value)} placeholder="/data/sample-42.fibrecon" spellCheck={false} />
        </label>
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
        <label>
          Project file
          <input name="open-path" value={openPath} onChange={(e) => setOpenPath(e.target.value)} placeholder="/data/sample-42.fibrecon" spellCheck={false} />
        </label>
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
                <span className="hint recent-when">{new Date(r.openedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {busy && <p className="pending">{busy}</p>}
    </section>
  );
}
