// The Thickness step's ruler band drawn on a slice of the volume: drag a
// rectangle over the inclined markers, or type x / y / width / height in px;
// both stay in sync (the drawing maths is the Import step's, roi-math.ts).
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { VolumeSummary } from '../../src-shared/contract';
import type { ProjectStore } from '../state/project-store';
import { drawPixels } from './canvas-draw';
import { compositePlane } from './overlay';
import { parseRoi, rectFromDrag, roiText, type RoiText } from './roi-math';
import { usePlane } from './use-plane';
import { physicalCanvasSize } from './view-math';
import { drawRegion, pointerFraction } from './region-draw';

const BOX = { width: 480, height: 360 };

export function RulerRegionPicker({ store, volume, roi, onRoi }: { store: ProjectStore; volume: VolumeSummary; roi: RoiText; onRoi: (roi: RoiText) => void }) {
  const [nz, ny, nx] = volume.shape;
  const [zWanted, setZ] = useState(0);
  const z = Math.min(zWanted, nz - 1);
  const { plane } = usePlane(store, { volume: volume.name, axis: 'xy', index: z, maxSize: 512 });
  const [drag, setDrag] = useState<{ fx: number; fy: number } | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const rect = parseRoi(roi, { width: nx, height: ny });
  const size = plane ? physicalCanvasSize(plane.width, plane.height, plane.pixelNm, BOX.width, BOX.height) : null;
  const rectKey = rect && typeof rect === 'object' ? `${rect.x},${rect.y},${rect.width},${rect.height}` : String(rect);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !plane) return;
    drawPixels(c, compositePlane(plane.pixels, null, { opacity: 0 }), plane.width, plane.height);
    if (rect && typeof rect === 'object') drawRegion(c, rect, nx, ny);
    // rect is keyed by rectKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [plane, rectKey, size?.width, size?.height]);

  const at = pointerFraction;
  const follow = (e: MouseEvent<HTMLCanvasElement>, end: boolean) => {
    if (drag === null) return;
    const r = rectFromDrag(drag, at(e), nx, ny);
    if (r) onRoi(roiText(r));
    if (end) setDrag(null);
  };

  return (
    <div className="roi-picker ruler-picker">
      {plane && size ? (
        <figure className="plane roi-plane">
          <canvas
            ref={canvas}
            width={size.width}
            height={size.height}
            aria-label={`Slice z ${z} of ${volume.name}: drag over the ruler markers to set the band`}
            data-image-size={`${nx}x${ny}`}
            className="pickable"
            onMouseDown={(e) => setDrag(at(e))}
            onMouseMove={(e) => follow(e, false)}
            onMouseUp={(e) => follow(e, true)}
            onMouseLeave={(e) => follow(e, true)}
          />
          <figcaption>
            slice z {z} of {nz}, {nx} × {ny} px, pixel {volume.voxelSizeNm.x} × {volume.voxelSizeNm.y} nm: drag over the markers
          </figcaption>
          {nz > 1 && (
            <label className="inline">
              Slice z {z} / {nz - 1}
              <input type="range" name="ruler-slice" min={0} max={nz - 1} value={z} onChange={(e) => setZ(Number(e.target.value))} />
            </label>
          )}
        </figure>
      ) : (
        <div className="plane-empty">Loading…</div>
      )}
      <div className="row">
        {(['x', 'y', 'width', 'height'] as const).map((k) => (
          <label key={k} className="narrow">
            Ruler band {k} (px)
            <input name={`ruler-${k}`} value={roi[k]} inputMode="numeric" onChange={(e) => onRoi({ ...roi, [k]: e.target.value })} />
          </label>
        ))}
      </div>
      {typeof rect === 'string' && <p className="field-error ruler-problem">{rect}</p>}
    </div>
  );
}
