// Renderer entry: find the API (Electron preload or HTTP bridge), build the
// store, render, and follow the native menu's commands.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './api/resolve-api';
import { App } from './components/App';
import { MissingToken } from './components/MissingToken';
import { runAppCommand } from './state/app-commands';
import { ProjectStore } from './state/project-store';
import { uiRequests } from './state/ui-requests';
import './styles/app.css';

const root = createRoot(document.getElementById('root')!);
const source = resolveApi(window);

if (source.kind === 'missing-token') {
  root.render(<MissingToken />);
} else {
  const store = new ProjectStore(source.api);
  root.render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
  void store.init();
  // The native menu's commands (desktop only; the browser's API never sends any).
  source.api.onAppCommand((command) => void runAppCommand(command, { api: source.api, store, emit: (r, o) => uiRequests.emit(r, o) }));
}
