// Renderer entry: find the API (Electron preload or HTTP bridge), build the
// store, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './api/resolve-api';
import { App } from './components/App';
import { MissingToken } from './components/MissingToken';
import { ProjectStore } from './state/project-store';
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
}
