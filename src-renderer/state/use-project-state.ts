// Connects React panels to the store: re-render when the state changes.
import { useSyncExternalStore } from 'react';
import type { ProjectState, ProjectStore } from './project-store';

export function useProjectState(store: ProjectStore): ProjectState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
