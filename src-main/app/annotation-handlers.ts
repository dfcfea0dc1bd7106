// The contract's annotation methods on the open project: the painter reads a
// slice's annotation, paints strokes, undoes and clears; each stroke is one
// undoable edit written at once (a 1024 x 1024 slice: a few ms). Requests arrive
// validated by the contract's schemas.
import type { Database } from 'better-sqlite3';
import type {
  AnnotationClearResult,
  AnnotationPaintResult,
  AnnotationSliceImage,
  AnnotationStroke,
  AnnotationSummary,
  AnnotationUndoResult,
} from '../../src-shared/contract';
import { annotationSummary, annotationVersion, applyStroke, clearAnnotations, countsPerClass, getSliceAnnotation, undoLast } from '../project/annotation-store';
import { getVolume } from '../project/volume-store';

export function annotationHandlers(db: () => Database) {
  return {
    annotationSummary: async (req: { volume: string }): Promise<AnnotationSummary> => annotationSummary(db(), req.volume),
    annotationSlice: async (req: { volume: string; z: number }): Promise<AnnotationSliceImage> => {
      const plane = getSliceAnnotation(db(), req.volume, req.z);
      const [, height, width] = getVolume(db(), req.volume).shape;
      const counts = countsPerClass(db(), req.volume).perSlice.find((s) => s.z === req.z)?.counts ?? {};
      return {
        volume: req.volume,
        z: req.z,
        width,
        height,
        labelsBase64: plane ? Buffer.from(plane.buffer, plane.byteOffset, plane.byteLength).toString('base64') : null,
        counts,
        version: annotationVersion(db(), req.volume),
      };
    },
    paintAnnotation: async (req: { volume: string; z: number; stroke: AnnotationStroke; author?: string }): Promise<AnnotationPaintResult> => {
      const r = await applyStroke(db(), req.volume, req.z, req.stroke, { author: req.author });
      return { volume: req.volume, z: req.z, version: r.version, changedPixels: r.changedPixels, box: r.box, counts: r.counts };
    },
    undoAnnotation: async (req: { volume: string; author?: string }): Promise<AnnotationUndoResult> => {
      const r = undoLast(db(), req.volume, { author: req.author });
      return { volume: req.volume, version: r.version, undone: r.undone[0] };
    },
    clearAnnotations: async (req: { volume: string; author?: string }): Promise<AnnotationClearResult> => ({ volume: req.volume, ...clearAnnotations(db(), req.volume, { author: req.author }) }),
  };
}
