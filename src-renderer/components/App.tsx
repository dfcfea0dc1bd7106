// The window's layout: which panels show depends only on the store's state.
// After a project is open: the step bar, the current step's panel, the running
// job, the volume list, the orthoviews and the 3D view.
import type { ProjectStore } from '../state/project-store';
import { useProjectState } from '../state/use-project-state';
import { ChannelTable } from './ChannelTable';
import { ErrorBanner } from './ErrorBanner';
import { ExportPanel } from './ExportPanel';
import { ImportForm } from './ImportForm';
import { JobProgress } from './JobProgress';
import { OrthoViews } from './OrthoViews';
import { ProjectHeader } from './ProjectHeader';
import { QualityPanel } from './QualityPanel';
import { ReconstructPanel } from './ReconstructPanel';
import { RegisterPanel } from './RegisterPanel';
import { SegmentPanel } from './SegmentPanel';
import { StartPanel } from './StartPanel';
import { StepBar } from './StepBar';
import { ThicknessPanel } from './ThicknessPanel';
import { Viewer3DPanel } from './Viewer3DPanel';
import { VolumeTable } from './VolumeTable';

export function App({ store }: { store: ProjectStore }) {
  const state = useProjectState(store);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';
  const viewed = state.volumes.find((v) => v.name === state.selectedVolume) ?? null;
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
            recent={state.recent}
            onCreate={(path, name) => store.createProject(path, name)}
            onOpen={(path) => store.openProject(path)}
            dialogs={store.dialogs}
          />
        ) : (
          <>
            <ProjectHeader project={state.project} busy={state.pending !== null || jobActive} onClose={() => store.closeProject()} />
            <StepBar step={state.step} onStep={(s) => store.setStep(s)} />
            {state.step === 'import' && (
              <>
                <ChannelTable channels={state.project.channels} />
                <ImportForm disabled={jobActive || state.pending !== null} onImport={(input) => store.startImport(input)} pathForFile={window.fibrecon?.pathForFile} dialogs={store.dialogs} preview={store.stackPreview} />
              </>
            )}
            {state.step === 'thickness' && <ThicknessPanel store={store} state={state} />}
            {state.step === 'register' && <RegisterPanel store={store} state={state} />}
            {state.step === 'segment' && <SegmentPanel store={store} state={state} />}
            {state.step === 'reconstruct' && <ReconstructPanel store={store} state={state} />}
            {state.step === 'quality' && <QualityPanel store={store} state={state} />}
            {state.step === 'export' && <ExportPanel store={store} state={state} />}
            {state.job && <JobProgress job={state.job} onCancel={() => store.cancelJob()} onDismiss={() => store.dismissJob()} />}
            <VolumeTable volumes={state.volumes} selected={state.selectedVolume} onView={(name) => store.selectVolume(name)} />
            {viewed && <OrthoViews key={viewed.name} store={store} volume={viewed} volumes={state.volumes} onSelect={(name) => store.selectVolume(name)} />}
            <Viewer3DPanel store={store} volume={viewed} />
          </>
        )}
      </main>
    </div>
  );
}
