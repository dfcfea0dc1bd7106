// The Import step's preview: one slice of the stack before it is imported
// (data bar cut as the import will cut it), what the metadata say about the
// data bar, and the region of interest: drag a rectangle on the slice, or type
// x / y / width / height in px; both stay in sync. Clear removes it.
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { AppErrorValue, Result } from '../../src-shared/errors';
import type { StackInspection } from '../../src-shared/contract';
import type { DecodedStackSlice } from '../state/project-store';
import { formatNm } from '../format';
import { drawPixels } from './canvas-draw';
import { compositePlane } from './overlay';
import { EMPTY_ROI, parseRoi, rectFromDrag, roiText, type RoiText } from './roi-math';
import { physicalCanvasSize } from './view-math';
import { drawRegion, pointerFraction } from './region-draw';

export interface StackPreviewApi {
  inspect(paths: string[]): Promise<Result<StackInspection>>;
  slice(req: { paths: string[]; z?: number; maxSize?: number; cropDataBar?: boolean }): Promise<Result<DecodedStackSlice>>;
}

interface Props {
  paths: string[];
  cropDataBar: boolean;
  api: StackPreviewApi;
  roi: RoiText;
  onRoi: (roi: RoiText) => void;
  /** The size of the image the region is given in, px (null until a slice is shown). */
  onImageSize: (size: { width: number; height: number } | null) => void;
  disabled: boolean;
}

const BOX = { width: 480, height: 360 };

export function ImportRoiPicker({ paths, cropDataBar, api, roi, onRoi, onImageSize, disabled }: Props) {
  const [slice, setSlice] = useState<DecodedStackSlice | null>(null);
  const [inspection, setInspection] = useState<StackInspection | null>(null);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [z, setZ] = useState<number | undefined>(undefined);
  const [drag, setDrag] = useState<{ fx: number; fy: number } | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const pathsKey = paths.join('\n');
  const shownFor = useRef<string | null>(null);

  const load = async (atZ?: number) => {
    const [ins, sl] = await Promise.all([api.inspect(paths), api.slice({ paths, z: atZ, maxSize: 512, cropDataBar })]);
    if (!ins.ok || !sl.ok) {
      setError(!ins.ok ? ins.error : !sl.ok ? sl.error : null);
      setSlice(null);
      onImageSize(null);
      return;
    }
    setError(null);
    setInspection(ins.value);
    setSlice(sl.value);
    setZ(sl.value.index);
    shownFor.current = pathsKey;
    onImageSize({ width: sl.value.imageWidth, height: sl.value.imageHeight });
  };
  // Other files, or the data bar kept / cut: the slice shown is stale, and so is a region drawn on it.
  useEffect(() => {
    if (shownFor.current === null) return;
    if (shownFor.current !== pathsKey) {
      shownFor.current = null;
      setSlice(null);
      setInspection(null);
      onImageSize(null);
    } else void load(z);
    onRoi(EMPTY_ROI);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pathsKey, cropDataBar]);

  const rect = parseRoi(roi, slice ? { width: slice.imageWidth, height: slice.imageHeight } : undefined);
  const size = slice ? physicalCanvasSize(slice.width, slice.height, slice.pixelNm, BOX.width, BOX.height) : null;
  useEffect(() => {
    const c = canvas.current;
    if (!c || !slice) return;
    drawPixels(c, compositePlane(slice.pixels, null, { low: 0, high: 255, opacity: 0 }), slice.width, slice.height);
    if (rect && typeof rect === 'object') drawRegion(c, rect, slice.imageWidth, slice.imageHeight);
  }, [slice, rect && typeof rect === 'object' ? `${rect.x},${rect.y},${rect.width},${rect.height}` : String(rect)]);

  const at = pointerFraction;
  const follow = (e: MouseEvent<HTMLCanvasElement>, end: boolean) => {
    if (drag === null || slice === null) return;
    const r = rectFromDrag(drag, at(e), slice.imageWidth, slice.imageHeight);
    if (r) onRoi(roiText(r));
    if (end) setDrag(null);
  };

  const bar = inspection?.imageRows && inspection.imageRows.value < inspection.height ? inspection.imageRows : null;
  return (
    <div className="roi-picker">
      <div className="browse-row">
        <button type="button" className="secondary small" name="show-slice" disabled={disabled || paths.length === 0} onClick={() => void load(z)}>
          Show a slice to draw the region of interest
        </button>
        {slice && (
          <button type="button" className="secondary small" name="clear-roi" onClick={() => onRoi(EMPTY_ROI)}>
            Clear region
          </button>
        )}
      </div>
      {error && <p className="field-error roi-error">{error.message}</p>}
      {inspection && (
        <p className="hint data-bar-note" data-bar-rows={bar ? inspection.height - bar.value : 0}>
          {bar
            ? `Data bar: rows ${bar.value}..${inspection.height - 1} px (${inspection.height - bar.value} rows) below the ${inspection.width} × ${bar.value} px image (${bar.source}); ${cropDataBar ? 'cropped' : 'kept: the checkbox is off'}.`
            : `No data bar in the metadata: the whole ${inspection.width} × ${inspection.height} px image is kept.`}
        </p>
      )}
      {slice && size && (
        <figure className="plane roi-plane">
          <canvas
            ref={canvas}
            width={size.width}
            height={size.height}
            aria-label={`Slice ${slice.index} of ${slice.volume}: drag to draw the region of interest`}
            data-image-size={`${slice.imageWidth}x${slice.imageHeight}`}
            className="pickable"
            onMouseDown={(e) => setDrag(at(e))}
            onMouseMove={(e) => follow(e, false)}
            onMouseUp={(e) => follow(e, true)}
            onMouseLeave={(e) => follow(e, true)}
          />
          <figcaption>
            slice {slice.index} of {slice.slices}, {slice.imageWidth} × {slice.imageHeight} px
            {slice.pixelSizeKnown ? `, pixel ${formatNm((slice.pixelNm.u * slice.width) / slice.imageWidth)} nm` : ', pixel size not in the files'}
          </figcaption>
          {slice.slices > 1 && (
            <label className="inline">
              Slice
              <input type="range" name="roi-slice" min={0} max={slice.slices - 1} value={z ?? 0} onChange={(e) => void load(Number(e.target.value))} />
            </label>
          )}
        </figure>
      )}
      <div className="row">
        {(['x', 'y', 'width', 'height'] as const).map((k) => (
          <label key={k} className="narrow">
            Region {k} (px)
            <input name={`roi-${k}`} inputMode="numeric" value={roi[k]} placeholder="whole image" onChange={(e) => onRoi({ ...roi, [k]: e.target.value })} />
          </label>
        ))}
      </div>
      {typeof rect === 'string' && <p className="field-error roi-problem">{rect}</p>}
    </div>
  );
}
