// The controls of the 3D view: they edit a ViewerState (the viewer class reacts
// to it): render mode, iso level of a grey volume (in the stored units), the
// clip box per axis (min / max in % of the volume), the box and axes, the
// standard views (or back to the first view) and a screenshot button.
import type { ClipBox, ViewerMode, ViewerState } from '../viewer/viewer-state';
import type { StandardView } from '../viewer/volume-viewer';

const AXES = ['x', 'y', 'z'] as const;

export interface Viewer3DControlsProps {
  state: ViewerState;
  onChange: (next: ViewerState) => void;
  kind: 'grey' | 'labels';
  /** The stored values that 0 and 255 of the grey texture stand for. */
  valueRange: { min: number; max: number };
  onScreenshot: () => void;
  /** Turns the camera: a standard view, or 'reset' for the first view (from the front, a little above). */
  onView: (view: StandardView | 'reset') => void;
}

const VIEWS: { view: StandardView | 'reset'; label: string; title: string }[] = [
  { view: 'xy', label: 'xy', title: 'Look along the slices: x right, y down, as a slice in the orthoviews' },
  { view: 'xz', label: 'xz', title: 'From the front: x right, z (slices) up' },
  { view: 'yz', label: 'yz', title: 'From the side: y right, z (slices) up' },
  { view: 'reset', label: 'Reset', title: 'Back to the first view of the whole volume' },
];

/** The stored grey value that a texture level (0..1) stands for. */
export function isoLevelToValue(level: number, range: { min: number; max: number }): number {
  return range.min + level * (range.max - range.min);
}

/** A clip range with `end` (0 = min, 1 = max) moved to `pct` %, the other end pushed along so that min <= max. */
export function moveClip(range: [number, number], end: 0 | 1, pct: number): [number, number] {
  const v = Math.min(1, Math.max(0, pct / 100));
  return end === 0 ? [v, Math.max(v, range[1])] : [Math.min(v, range[0]), v];
}

const fmt = (v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toPrecision(3));

export function Viewer3DControls({ state, onChange, kind, valueRange, onScreenshot, onView }: Viewer3DControlsProps) {
  const setClip = (axis: keyof ClipBox, end: 0 | 1, pct: number) => onChange({ ...state, clip: { ...state.clip, [axis]: moveClip(state.clip[axis], end, pct) } });
  const isoByte = Math.round(state.isoLevel * 255);
  return (
    <div className="viewer3d-controls">
      <label className="inline">
        Mode
        <select name="viewer-mode" value={state.mode} onChange={(e) => onChange({ ...state, mode: e.target.value as ViewerMode })}>
          <option value="isosurface">isosurface</option>
          <option value="volume">volume rendering</option>
        </select>
      </label>
      {kind === 'grey' && state.mode === 'isosurface' && (
        <label className="inline" title="The surface is drawn where the grey value crosses this level">
          Iso level <span className="viewer-iso-value">{fmt(isoLevelToValue(state.isoLevel, valueRange))}</span>
          <input type="range" name="viewer-iso" min={0} max={255} value={isoByte} onChange={(e) => onChange({ ...state, isoLevel: Number(e.target.value) / 255 })} />
        </label>
      )}
      {kind === 'labels' && state.mode === 'isosurface' && <span className="hint">surface at the solid/pore boundary</span>}
      <fieldset className="viewer-clip">
        <legend>Clip box (% of the volume)</legend>
        {AXES.map((axis) => (
          <div key={axis} className="clip-axis" data-axis={axis}>
            <span className="clip-label">
              {axis} {Math.round(state.clip[axis][0] * 100)}–{Math.round(state.clip[axis][1] * 100)} %
            </span>
            <input
              type="range"
              name={`clip-${axis}-min`}
              aria-label={`clip ${axis} min`}
              min={0}
              max={100}
              value={Math.round(state.clip[axis][0] * 100)}
              onChange={(e) => setClip(axis, 0, Number(e.target.value))}
            />
            <input
              type="range"
              name={`clip-${axis}-max`}
              aria-label={`clip ${axis} max`}
              min={0}
              max={100}
              value={Math.round(state.clip[axis][1] * 100)}
              onChange={(e) => setClip(axis, 1, Number(e.target.value))}
            />
          </div>
        ))}
      </fieldset>
      <div className="viewer-views" role="group" aria-label="Standard views">
        View
        {VIEWS.map((v) => (
          <button key={v.view} type="button" className="secondary small" name={`viewer-view-${v.view}`} title={v.title} onClick={() => onView(v.view)}>
            {v.label}
          </button>
        ))}
      </div>
      <label className="inline" title="The volume's bounding box, and axes from voxel (0, 0, 0): x red, y green, z blue">
        <input type="checkbox" name="viewer-box" checked={state.showBox} onChange={(e) => onChange({ ...state, showBox: e.target.checked })} />
        Box and axes
      </label>
      <button type="button" className="secondary small" name="viewer-screenshot" onClick={onScreenshot}>
        Screenshot (PNG)
      </button>
    </div>
  );
}
