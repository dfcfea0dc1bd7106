// No project open: create one or open one. Paths are typed for now; native
// file dialogs in Electron come with the import wizard.
import { useState, type FormEvent } from 'react';

interface StartPanelProps {
  busy: string | null;
  onCreate: (path: string, name?: string) => void;
  onOpen: (path: string) => void;
}

export function StartPanel({ busy, onCreate, onOpen }: StartPanelProps) {
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
      {busy && <p className="pending">{busy}</p>}
    </section>
  );
}
