// The annotation summary of the volume the Segmentation step segments: the annotation
// store's live one while it follows that volume (Annotate mode on), otherwise read from
// the backend, again after every job (an import may replace the volume). One read serves
// the comparison of methods and method auto's plan.
import { useEffect, useState } from 'react';
import type { AnnotationSummary } from '../../src-shared/contract';
import type { ProjectState, ProjectStore } from '../state/project-store';

export function useAnnotationSummary(store: ProjectStore, state: ProjectState, volume: string | null, liveSummary: AnnotationSummary | null): AnnotationSummary | null {
  const [read, setRead] = useState<AnnotationSummary | null>(null);
  const job = state.job;
  const jobActive = job?.status === 'starting' || job?.status === 'running';
  const jobEnded = jobActive ? 'active' : (job?.status ?? '');
  const live = volume !== null && liveSummary !== null && liveSummary.volume === volume;
  useEffect(() => {
    if (volume === null || live) return;
    let current = true;
    void store.annotationSummary(volume).then((r) => {
      if (current) setRead(r.ok ? r.value : null);
    });
    return () => {
      current = false;
    };
  }, [store, volume, live, jobEnded]);
  if (volume === null) return null;
  return live ? liveSummary : read !== null && read.volume === volume ? read : null;
}
