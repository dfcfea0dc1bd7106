// Loads one plane through the store when its query changes; the newest answer wins.
import { useEffect, useState } from 'react';
import type { AppErrorValue } from '../../src-shared/errors';
import type { DecodedPlane, PlaneQuery, ProjectStore } from '../state/project-store';

export function usePlane(store: ProjectStore, query: PlaneQuery | null): { plane: DecodedPlane | null; error: AppErrorValue | null } {
  const [result, setResult] = useState<{ key: string; plane: DecodedPlane | null; error: AppErrorValue | null }>({ key: '', plane: null, error: null });
  const key = query === null ? '' : `${query.volume}|${query.axis}|${query.index}|${query.maxSize ?? ''}`;
  useEffect(() => {
    if (query === null) return;
    let live = true;
    void store.loadPlane(query).then((res) => {
      if (!live) return;
      setResult(res.ok ? { key, plane: res.value, error: null } : { key, plane: null, error: res.error });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, key]);
  if (query === null) return { plane: null, error: null };
  // Keep showing the previous plane of the same view while the next one loads (no flicker).
  return { plane: result.plane, error: result.key === key ? result.error : null };
}
