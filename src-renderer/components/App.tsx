// The window's layout: which panels show depends only on the store's state.
// Without a project: the start screen. With one, a desktop workspace on a CSS
// grid of the window's height: the steps (step bar and the current step's form)
// in a panel on the left, the viewer (orthoviews and 3D view) in the centre, the
// layer list (every volume) on the right, and a status bar with the running job
// at the bottom. The side panels scroll on their own; their widths are dragged
// by the splitters and remembered.
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
import { Splitter, usePanelWidth } from './Splitter';
import { StepBar } from './StepBar';
import { ThicknessPanel } from './ThicknessPanel';
import { Viewer3DPanel } from './Viewer3DPanel';
import { VolumeTable } from './VolumeTable';

export function App({ store }: { store: ProjectStore }) {
  const state = useProjectState(store);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';
  const viewed = state.volumes.find((v) => v.name === state.selectedVolume) ?? null;
  const left = usePanelWidth('fibrecon.layout.left', 400, 300, 720);
  const right = usePanelWidth('fibrecon.layout.right', 300, 220, 560);
  const appBar = (
    <header className="app-bar">
      <h1>fibrecon</h1>
      {state.app && (
        <span className="app-info">
          {state.app.version} · {state.app.bridge === 'http' ? 'browser (HTTP bridge)' : 'desktop'}
        </span>
      )}
    </header>
  );
  const errorBanner = state.error && (
    <div className="app-alert">
      <ErrorBanner error={state.error} onDismiss={() => store.dismissError()} />
    </div>
  );
  if (state.project === null) {
    return (
      <div className="app app-start">
        {appBar}
        {errorBanner}
        <main className="start-main">
          <StartPanel busy={state.pending} recent={state.recent} onCreate={(path, name) => store.createProject(path, name)} onOpen={(path) => store.openProject(path)} dialogs={store.dialogs} />
        </main>
      </div>
    );
  }
  // The workspace: pipeline steps on the left, the viewer in the centre, the layers on the right, the job below.
  const columns = `${left.width}px 6px minmax(0, 1fr) 6px ${right.width}px`;
  return (
    <div className="app app-workspace">
      {appBar}
      {errorBanner}
      <main className="workspace" style={{ gridTemplateColumns: columns }}>
        <aside className="side-panel" aria-label="Pipeline">
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
        </aside>
        <Splitter side="left" panel={left} label="Width of the steps panel" />
        <section className="viewer-pane" aria-label="Viewer">
          {viewed ? (
            <OrthoViews key={viewed.name} store={store} volume={viewed} volumes={state.volumes} onSelect={(name) => store.selectVolume(name)} />
          ) : (
            <section className="card ortho-views ortho-empty" aria-label="Orthoviews">
              <h2>Orthoviews</h2>
              <p className="empty">No volume to show yet: import a stack (step 1), then its slices appear here.</p>
            </section>
          )}
          <Viewer3DPanel store={store} volume={viewed} change={state.volumeChange} />
        </section>
        <Splitter side="right" panel={right} label="Width of the layers panel" />
        <aside className="layer-panel" aria-label="Layers">
          <VolumeTable volumes={state.volumes} selected={state.selectedVolume} onView={(name) => store.selectVolume(name)} store={store} busy={jobActive || state.pending !== null} />
        </aside>
      </main>
      <footer className="status-bar" aria-label="Status">
        {state.job ? (
          <JobProgress job={state.job} onCancel={() => store.cancelJob()} onDismiss={() => store.dismissJob()} />
        ) : (
          <p className="status-idle">{state.pending ?? `No job running · ${state.volumes.length} volume${state.volumes.length === 1 ? '' : 's'} in ${state.project.name || 'the project'}`}</p>
        )}
      </footer>
    </div>
  );
}
