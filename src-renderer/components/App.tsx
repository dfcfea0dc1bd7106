// The window's layout: which panels show depends only on the store's state.
import type { ProjectStore } from '../state/project-store';
import { useProjectState } from '../state/use-project-state';
import { ChannelTable } from './ChannelTable';
import { ErrorBanner } from './ErrorBanner';
import { ImportForm } from './ImportForm';
import { JobProgress } from './JobProgress';
import { ProjectHeader } from './ProjectHeader';
import { StartPanel } from './StartPanel';

export function App({ store }: { store: ProjectStore }) {
  const state = useProjectState(store);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';
  return (
    <div className="app">
      <header className="app-bar">
        <h1>fibrecon</h1>
        {state.app && (
          <span className="app-info">
            {state.app.version} · {state.app.bridge === 'http' ? 'browser (HTTP bridge)' : 'desktop'}
          </span>
        )}
      </header>
      <main>
        {state.error && <ErrorBanner error={state.error} onDismiss={() => store.dismissError()} />}
        {state.project === null ? (
          <StartPanel
            busy={state.pending}
            onCreate={(path, name) => store.createProject(path, name)}
            onOpen={(path) => store.openProject(path)}
          />
        ) : (
          <>
            <ProjectHeader project={state.project} busy={state.pending !== null || jobActive} onClose={() => store.closeProject()} />
            <ChannelTable channels={state.project.channels} />
            <ImportForm disabled={jobActive || state.pending !== null} onImport={(input) => store.startImport(input)} />
            {state.job && <JobProgress job={state.job} onCancel={() => store.cancelJob()} onDismiss={() => store.dismissJob()} />}
          </>
        )}
      </main>
    </div>
  );
}
