// Connects React views and controls to the annotation model: re-render when it changes.
import { useSyncExternalStore } from 'react';
import type { AnnotationState, AnnotationStore } from './annotation-store';

export function useAnnotationState(annotation: AnnotationStore): AnnotationState {
  return useSyncExternalStore(annotation.subscribe, annotation.getState);
}
