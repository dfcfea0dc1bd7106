// A thin strip beside the reconstruction's xz preview: one band per plane,
// blue where the plane holds a measured slice, orange where it was filled
// (the volume's metadata.measuredPlanes), drawn at the preview's height so
// each band sits beside its row; with its legend (colours also in app.css).
import { useEffect, useRef } from 'react';
import type { DecodedPlane } from '../state/project-store';
import { physicalCanvasSize } from './view-math';

export const MEASURED_COLOUR = '#1c6ed6';
export const FILLED_COLOUR = '#f08c00';
const STRIP_PX = 10;

export function FilledPlanesStrip({ plane, planes, measuredPlanes, box }: { plane: DecodedPlane | null; planes: number; measuredPlanes: readonly number[]; box: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const size = plane ? physicalCanvasSize(plane.width, plane.height, plane.pixelNm, box, box) : null;
  const measured = new Set(measuredPlanes.filter((z) => Number.isInteger(z) && z >= 0 && z < planes));
  const filled = planes - measured.size;
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    for (let z = 0; z < planes; z++) {
      const y0 = Math.floor((z * c.height) / planes);
      const y1 = Math.max(y0 + 1, Math.floor(((z + 1) * c.height) / planes));
      ctx.fillStyle = measured.has(z) ? MEASURED_COLOUR : FILLED_COLOUR;
      ctx.fillRect(0, y0, c.width, y1 - y0);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [size?.height, planes, measuredPlanes]);
  if (!size) return null;
  return (
    <figure className="filled-planes" data-planes={planes} data-measured-rows={measured.size} data-filled-rows={filled}>
      <canvas ref={ref} width={STRIP_PX} height={size.height} aria-label={`planes of the xz preview: ${measured.size} measured, ${filled} filled`} />
      <figcaption className="legend">
        <span>
          <i className="swatch-measured" /> measured ({measured.size} planes)
        </span>
        <span>
          <i className="swatch-filled" /> filled ({filled} planes)
        </span>
      </figcaption>
    </figure>
  );
}
