// What the Registration step shows beside the drift plot, to judge the result
// by eye and by number: neighbouring slices z and z + 1 flickered, before (the
// raw channel) and after (the registered volume); and, with two registered
// channels, their slice z side by side and as a checkerboard, with the
// residual shift between them by phase correlation (px and nm), next to the
// shift between the raw channels.
import { useEffect, useMemo, useState } from 'react';
import type { ChannelShift, VolumeSummary } from '../../src-shared/contract';
import type { Result } from '../../src-shared/errors';
import { formatNm } from '../format';
import type { DecodedPlane, ProjectStore } from '../state/project-store';
import { checkerboard } from './checkerboard';
import { PlaneCanvas } from './PlaneCanvas';
import { usePlane } from './use-plane';

const BOX = 300;
/** Frames per second of the flicker. */
const FLICKER_HZ = 4;

export function RegisterChecks({ store, registered, volumes }: { store: ProjectStore; registered: VolumeSummary[]; volumes: VolumeSummary[] }) {
  const [name, setName] = useState('');
  const reg = registered.find((v) => v.name === name) ?? registered[0];
  const raw = volumes.find((v) => v.name === reg?.metadata.registeredFrom);
  const nz = reg ? Math.min(reg.shape[0], raw?.shape[0] ?? reg.shape[0]) : 0;
  const [zText, setZ] = useState<number | null>(null);
  const z = Math.min(zText ?? Math.floor(Math.max(0, nz - 2) / 2), Math.max(0, nz - 2));
  // Channels registered in one run onto one reference share their size: those can be compared.
  const partners = reg ? registered.filter((v) => v.name !== reg.name && v.metadata.reference === reg.metadata.reference && v.shape[1] === reg.shape[1] && v.shape[2] === reg.shape[2]) : [];
  if (!reg || nz < 2) return null;
  return (
    <div className="step-result register-checks">
      <div className="row">
        {registered.length > 1 && (
          <label className="narrow">
            Check
            <select name="check-volume" value={reg.name} onChange={(e) => setName(e.target.value)}>
              {registered.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="narrow">
          Slice z: {z} of 0..{nz - 2}
          <input type="range" name="check-slice" min={0} max={nz - 2} value={z} onChange={(e) => setZ(Number(e.target.value))} />
        </label>
      </div>
      <SliceFlicker key={reg.name} store={store} raw={raw} reg={reg} z={z} />
      {partners.length > 0 && <ChannelCheck key={`${reg.name}|${partners[0].name}`} store={store} a={reg} b={partners[0]} volumes={volumes} z={z} />}
    </div>
  );
}

function SliceFlicker({ store, raw, reg, z }: { store: ProjectStore; raw?: VolumeSummary; reg: VolumeSummary; z: number }) {
  const [second, setSecond] = useState(false);
  const [running, setRunning] = useState(false);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setSecond((s) => !s), 1000 / FLICKER_HZ);
    return () => clearInterval(t);
  }, [running]);
  const shown = second ? z + 1 : z;
  const before = usePlane(store, raw ? { volume: raw.name, axis: 'xy', index: shown, maxSize: 512 } : null);
  const after = usePlane(store, { volume: reg.name, axis: 'xy', index: shown, maxSize: 512 });
  return (
    <div className="flicker" data-showing={shown}>
      <h3>Neighbouring slices, before and after</h3>
      <p className="hint">Slices {z} and {z + 1} one after the other: drift shows as the picture jumping; after registration only the structure should change.</p>
      <div className="browse-row">
        <button type="button" className="secondary small" name="flicker-step" aria-pressed={second} onClick={() => setSecond(!second)}>
          Show slice {second ? z : z + 1}
        </button>
        <label className="inline">
          <input type="checkbox" name="flicker-run" checked={running} onChange={(e) => setRunning(e.target.checked)} /> Flicker ({FLICKER_HZ} per second)
        </label>
      </div>
      <div className="preview-pair">
        {raw && <PlaneCanvas plane={before.plane} maxWidth={BOX} maxHeight={BOX} label={`before: ${raw.name}, slice ${shown}`} className="flicker-before" />}
        <PlaneCanvas plane={after.plane} maxWidth={BOX} maxHeight={BOX} label={`after: ${reg.name}, slice ${shown}`} className="flicker-after" />
      </div>
    </div>
  );
}

function shiftText(s: Result<ChannelShift> | null): string {
  if (s === null) return 'measuring…';
  if (!s.ok) return s.error.message;
  const v = s.value;
  return `dx ${v.dxPx.toFixed(2)} px (${formatNm(v.dxNm)} nm), dy ${v.dyPx.toFixed(2)} px (${formatNm(v.dyNm)} nm), peak ${v.peak.toFixed(2)}`;
}

function useShift(store: ProjectStore, reference: string | undefined, moving: string | undefined, z: number): Result<ChannelShift> | null {
  const [res, setRes] = useState<{ key: string; value: Result<ChannelShift> } | null>(null);
  const key = `${reference}|${moving}|${z}`;
  useEffect(() => {
    if (reference === undefined || moving === undefined) return;
    let live = true;
    void store.measureChannelShift({ reference, moving, z }).then((value) => live && setRes({ key, value }));
    return () => {
      live = false;
    };
  }, [store, key]);
  return res?.key === key ? res.value : null;
}

function ChannelCheck({ store, a, b, volumes, z }: { store: ProjectStore; a: VolumeSummary; b: VolumeSummary; volumes: VolumeSummary[]; z: number }) {
  const pa = usePlane(store, { volume: a.name, axis: 'xy', index: z, maxSize: 512 }).plane;
  const pb = usePlane(store, { volume: b.name, axis: 'xy', index: z, maxSize: 512 }).plane;
  const after = useShift(store, a.name, b.name, z);
  const rawA = volumes.find((v) => v.name === a.metadata.registeredFrom);
  const rawB = volumes.find((v) => v.name === b.metadata.registeredFrom);
  const sameRawSize = rawA && rawB && rawA.shape[1] === rawB.shape[1] && rawA.shape[2] === rawB.shape[2];
  const before = useShift(store, sameRawSize ? rawA.name : undefined, sameRawSize ? rawB.name : undefined, z);
  const checker = useMemo<DecodedPlane | null>(
    () => (pa && pb && pa.width === pb.width && pa.height === pb.height ? { ...pa, volume: `${a.name} | ${b.name}`, pixels: checkerboard(pa.pixels, pb.pixels, pa.width, pa.height, Math.max(4, Math.round(pa.width / 8))) } : null),
    [pa, pb, a.name, b.name],
  );
  const shift = after?.ok ? after.value : null;
  return (
    <div className="channel-check" data-dx-px={shift?.dxPx} data-dy-px={shift?.dyPx}>
      <h3>
        Cross-channel check: “{b.name}” against “{a.name}”, slice {z}
      </h3>
      <p className="result-line residual-after">
        Residual shift after registration (the translation that would bring {b.name} onto {a.name}): {shiftText(after)}.
      </p>
      {sameRawSize && (
        <p className="result-line residual-before">
          Before registration ({rawB.name} against {rawA.name}): {shiftText(before)}.
        </p>
      )}
      <div className="preview-pair">
        <PlaneCanvas plane={pa} maxWidth={BOX} maxHeight={BOX} label={`${a.name}, slice ${z}`} className="check-a" />
        <PlaneCanvas plane={pb} maxWidth={BOX} maxHeight={BOX} label={`${b.name}, slice ${z}`} className="check-b" />
        <PlaneCanvas plane={checker} maxWidth={BOX} maxHeight={BOX} label="checkerboard of the two" className="check-board" />
      </div>
    </div>
  );
}
