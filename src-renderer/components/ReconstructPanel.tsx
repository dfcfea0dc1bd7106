// Reconstruction step: repositioning every slice at its z on a fine grid and
// filling the gaps, or one of the papers' baselines (DNN, SRCS). The preview is
// an xz plane drawn with its physical aspect: where the repositioning shows.
import { useState, type FormEvent } from 'react';
import type { ReconstructJobRequest, VolumeSummary } from '../../src-shared/contract';
import { BINARY_INTERPOLANTS, DEFAULT_INPAINT_MODEL, EP_CHOICES, type BinaryInterpolant, type EpChoice, type ReconstructMethod } from '../../src-shared/pipeline-methods';
import { formatNm } from '../format';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { FilledPlanesStrip } from './FilledPlanesStrip';
import { PlaneCanvas } from './PlaneCanvas';
import { resultVolume } from './SegmentPanel';
import { EP_TEXT, RECONSTRUCT_METHOD_TEXT, defaultOutName, reconstructCommandLine, reconstructResultLine } from './step-text';
import { usePlane } from './use-plane';
import { defaultReconstructInput } from './default-input';
import { EP_FIELD_LABEL, EP_LABEL } from './ep-text';
import { LITERATURE_BASELINES, MAIN_RECONSTRUCT_METHODS, RECONSTRUCT_METHOD_LABEL, RECONSTRUCT_METHOD_PLAIN } from './reconstruct-text';

const PREVIEW_BOX = 420;

export function ReconstructPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  const inputs = state.volumes.filter((v) => v.kind !== 'probability');
  const [volumeName, setVolumeName] = useState('');
  const [method, setMethod] = useState<ReconstructMethod>('cubic');
  const [gridText, setGridText] = useState('');
  const [targetText, setTargetText] = useState('');
  const [interpolant, setInterpolant] = useState<BinaryInterpolant>('distance');
  const [modelName, setModelName] = useState('');
  const [ep, setEp] = useState<EpChoice>('auto');
  const [literature, setLiterature] = useState(false);
  const [outText, setOutText] = useState<string | null>(null);
  const inpainters = (state.models ?? []).filter((m) => m.kind === 'inpainting');
  const model = inpainters.find((m) => m.name === modelName) ?? inpainters.find((m) => m.name === DEFAULT_INPAINT_MODEL) ?? inpainters[0];
  const ml = method === 'ml';
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';

  // Default input: the newest volume that is not itself a reconstruction (the segmentation or registration just made).
  const volume = inputs.find((v) => v.name === volumeName) ?? defaultReconstructInput(inputs);
  const baseline = method === 'dnn' || method === 'srcs';
  const gridNm = parsePositive(gridText);
  const targetNm = parsePositive(targetText);
  const out = outText ?? (volume ? defaultOutName(volume.name, method, state.volumes.map((v) => v.name)) : '');
  const defaults = volume ? { gridNm: volume.voxelSizeNm.x, targetNm: volume.voxelSizeNm.z } : { gridNm: 0, targetNm: 0 };
  const outTaken = state.volumes.some((v) => v.name === out.trim());
  const mlProblem = !ml ? null : volume?.kind !== 'labels' ? 'ML inpainting fills label volumes: choose a segmentation as input.' : model === undefined ? 'No inpainting model is installed (models/inpaint-*.onnx).' : null;
  const valid = volume !== undefined && out.trim() !== '' && !outTaken && gridNm !== null && targetNm !== null && mlProblem === null;
  const req: ReconstructJobRequest | null = !valid
    ? null
    : {
        volume: volume.name,
        method,
        ...(!baseline && gridNm !== undefined ? { gridNm } : {}),
        ...(baseline && targetNm !== undefined ? { targetNm } : {}),
        ...(volume.kind === 'labels' && method !== 'srcs' && !ml ? { binaryInterpolant: interpolant } : {}),
        ...(ml && model ? { model: model.name, ep } : {}),
        out: out.trim(),
      };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req === null || jobActive) return;
    void store.startReconstruct(req);
    setOutText(null);
  };

  const result = resultVolume(state, 'reconstruct', (v) => v.role === 'derived' && typeof v.metadata.planes === 'number');

  return (
    <section className="card step-panel reconstruct-panel" aria-label="Reconstruction">
      <h2>Reconstruction: repositioning and gap filling</h2>
      {inputs.length === 0 ? (
        <p className="empty">No volume yet: import a stack in step 1.</p>
      ) : (
        <form onSubmit={submit} aria-label="Reconstruction parameters">
          <div className="row">
            <label className="narrow">
              Input volume
              <select name="reconstruct-volume" value={volume?.name ?? ''} onChange={(e) => setVolumeName(e.target.value)}>
                {inputs.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name} ({v.kind})
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              Method
              <select name="reconstruct-method" value={method} onChange={(e) => setMethod(e.target.value as ReconstructMethod)} title={RECONSTRUCT_METHOD_TEXT[method]}>
                {MAIN_RECONSTRUCT_METHODS.map((m) => (
                  <option key={m} value={m} title={RECONSTRUCT_METHOD_TEXT[m]}>
                    {RECONSTRUCT_METHOD_LABEL[m]}
                  </option>
                ))}
                {literature && (
                  <optgroup label="Literature baselines (to compare with)">
                    {LITERATURE_BASELINES.map((m) => (
                      <option key={m} value={m} title={RECONSTRUCT_METHOD_TEXT[m]}>
                        {RECONSTRUCT_METHOD_LABEL[m]}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </label>
            {baseline ? (
              <label className="narrow">
                Target slice spacing (nm)
                <input name="reconstruct-target" inputMode="decimal" value={targetText} onChange={(e) => setTargetText(e.target.value)} placeholder={formatNm(defaults.targetNm)} />
                <span className="hint">default {formatNm(defaults.targetNm)} nm (the nominal z)</span>
              </label>
            ) : (
              <label className="narrow">
                Grid spacing (nm)
                <input name="reconstruct-grid" inputMode="decimal" value={gridText} onChange={(e) => setGridText(e.target.value)} placeholder={formatNm(defaults.gridNm)} />
                <span className="hint">default {formatNm(defaults.gridNm)} nm (the pixel size)</span>
              </label>
            )}
            {ml && (
              <>
                <label className="narrow">
                  Inpainting model
                  <select name="reconstruct-model" value={model?.name ?? ''} onChange={(e) => setModelName(e.target.value)}>
                    {inpainters.map((m) => (
                      <option key={m.name} value={m.name}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="narrow">
                  {EP_FIELD_LABEL}
                  <select name="reconstruct-ep" value={ep} onChange={(e) => setEp(e.target.value as EpChoice)} title={EP_TEXT}>
                    {EP_CHOICES.map((c) => (
                      <option key={c} value={c}>
                        {EP_LABEL[c]}
                      </option>
                    ))}
                  </select>
                </label>
              </>
            )}
            {volume?.kind === 'labels' && method !== 'srcs' && !ml && (
              <label className="narrow">
                Binary interpolant
                <select name="reconstruct-interpolant" value={interpolant} onChange={(e) => setInterpolant(e.target.value as BinaryInterpolant)}>
                  {BINARY_INTERPOLANTS.map((b) => (
                    <option key={b} value={b}>
                      {b === 'distance' ? 'distance (signed distance to the boundary)' : 'labels (0/1 values at 0.5)'}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="narrow">
              Output name
              <input name="reconstruct-out" value={out} onChange={(e) => setOutText(e.target.value)} maxLength={64} />
            </label>
          </div>
          <p className="method-text" title={RECONSTRUCT_METHOD_TEXT[method]}>
            {RECONSTRUCT_METHOD_PLAIN[method]}
          </p>
          <details
            className="literature-fold"
            open={literature}
            onToggle={(e) => {
              const open = (e.currentTarget as HTMLDetailsElement).open;
              setLiterature(open);
              if (!open && LITERATURE_BASELINES.includes(method)) setMethod('cubic');
            }}
          >
            <summary>Compare with the literature</summary>
            <p className="hint">
              Adds two baselines from published work to the method list: {LITERATURE_BASELINES.map((m) => RECONSTRUCT_METHOD_LABEL[m]).join(' and ')}. They
              ignore or round the measured depths and are there to compare with, not to use.
            </p>
          </details>
          {ml && model?.description && <p className="model-card-text">{model.description}</p>}
          {mlProblem && <p className="field-error">{mlProblem}</p>}
          {outTaken && <p className="field-error">The project already has a volume named "{out.trim()}": choose another output name.</p>}
          {(gridNm === null || targetNm === null) && <p className="field-error">Spacings must be positive numbers of nanometres, e.g. 2.5.</p>}
          <p className="will-run">
            Will run: <code>{req ? reconstructCommandLine(req, defaults) : '—'}</code>
          </p>
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            Run reconstruction
          </button>
        </form>
      )}
      {result && <ReconstructResult store={store} result={result} source={state.volumes.find((v) => v.name === (state.lastOutput.reconstruct?.volume === result.name ? state.lastOutput.reconstruct.source : undefined))} />}
    </section>
  );
}

function ReconstructResult({ store, result, source }: { store: ProjectStore; result: VolumeSummary; source?: VolumeSummary }) {
  const y = Math.floor(result.shape[1] / 2);
  const after = usePlane(store, { volume: result.name, axis: 'xz', index: y, maxSize: 512 });
  const before = usePlane(store, source && source.shape[1] === result.shape[1] ? { volume: source.name, axis: 'xz', index: y, maxSize: 512 } : null);
  // Which planes hold a measured slice (reconstructions made before this was recorded have none: no marks).
  const measured = Array.isArray(result.metadata.measuredPlanes) ? (result.metadata.measuredPlanes as number[]) : null;
  return (
    <div className="step-result" data-volume={result.name}>
      <h3>Last result</h3>
      <p className="result-line">{reconstructResultLine(result)}</p>
      <div className="preview-pair">
        {source && (
          <PlaneCanvas plane={before.plane} maxWidth={PREVIEW_BOX} maxHeight={PREVIEW_BOX} label={`before: ${source.name}, xz plane at y ${y} (measured slices)`} className="preview-before" />
        )}
        <div className="filled-marks-wrap">
          <PlaneCanvas plane={after.plane} maxWidth={PREVIEW_BOX} maxHeight={PREVIEW_BOX} label={`after: ${result.name}, xz plane at y ${y}`} className="preview-xz" />
          {measured && <FilledPlanesStrip plane={after.plane} planes={result.shape[0]} measuredPlanes={measured} box={PREVIEW_BOX} />}
        </div>
      </div>
    </div>
  );
}

/** undefined: left empty (the default); null: not a positive number. */
function parsePositive(text: string): number | undefined | null {
  if (text.trim() === '') return undefined;
  const n = Number(text.trim().replace(',', '.'));
  return Number.isFinite(n) && n > 0 ? n : null;
}
