// Segmentation step: a grey volume in, solid/pore labels (1 = solid) out, by a
// classical threshold or an installed model. Shows the exact run before it
// starts, and after it the result from the volume's metadata with a preview.
// The pixel classifier learns from annotations painted here (AnnotatePanel, the
// xy orthoview) and previews itself live after each stroke.
// With pore and solid painted, every method can be scored on the annotations
// (CompareMethodsPane) and the best one chosen from its table.
// The step starts on method auto (the recommendation): before the run it says which
// method auto will run when that is known without running anything (a comparison on
// the current annotations), or how it will choose; after the run, what it chose and why.
import { useState, type FormEvent } from 'react';
import type { SegmentJobRequest, VolumeSummary } from '../../src-shared/contract';
import { SEGMENTATION_METHODS, type SegmentationMethod } from '../../src-shared/pipeline-methods';
import type { ProjectState, ProjectStore } from '../state/project-store';
import { CLASSIFIER_CLASSES } from '../state/annotation-store';
import { useAnnotationState } from '../state/use-annotation-state';
import { AnnotatePanel } from './AnnotatePanel';
import { methodLabel } from './annotate-text';
import { ClassifierPreviewPane } from './ClassifierPreviewPane';
import { OodNotesView } from './OodNotes';
import { CompareMethodsPane } from './CompareMethodsPane';
import { defaultSegmentInput } from './default-input';
import { autoPlan } from './auto-text';
import { useAnnotationSummary } from './use-annotation-summary';
import { PlaneCanvas } from './PlaneCanvas';
import { BATCH_RANGE, TILE_RANGE, defaultStackVolumes, intField, stackVolumesProblem } from './model-text';
import { SegmentModelFields, type ModelFieldValues } from './SegmentModelFields';
import { SegmentPreviewPane } from './SegmentPreviewPane';
import { SEGMENT_METHOD_TEXT, defaultOutName, segmentCommandLine, segmentResultLine } from './step-text';
import { usePlane } from './use-plane';

const PREVIEW_BOX = 360;

export function SegmentPanel({ store, state }: { store: ProjectStore; state: ProjectState }) {
  const greys = state.volumes.filter((v) => v.kind === 'grey');
  const [volumeName, setVolumeName] = useState('');
  const [method, setMethod] = useState<SegmentationMethod>('auto');
  const [fields, setFields] = useState<ModelFieldValues>({ modelName: '', ep: 'auto', tileText: '', batchText: '', stackVolumes: [] });
  const [outText, setOutText] = useState<string | null>(null);
  const annotation = useAnnotationState(store.annotation);
  const jobActive = state.job?.status === 'starting' || state.job?.status === 'running';

  // Inpainting models fill gaps in the reconstruction step; they are not offered here.
  const models = (state.models ?? []).filter((m) => m.kind !== 'inpainting');
  const model = models.find((m) => m.name === fields.modelName) ?? models[0];
  const useModel = method === 'model' && model !== undefined;
  const multiStack = useModel && (model.inputStacks?.length ?? 1) > 1;
  const defaults = multiStack ? defaultStackVolumes(model.inputStacks!, greys) : [];
  const stackNames = defaults.map((d, c) => fields.stackVolumes[c] || d);
  const volume = multiStack ? greys.find((v) => v.name === stackNames[0]) : (greys.find((v) => v.name === volumeName) ?? defaultSegmentInput(greys));
  // The annotations of the volume (one read for the comparison and auto's plan; none for a multi-stack model).
  const summary = useAnnotationSummary(store, state, volume && !multiStack ? volume.name : null, annotation.summary);
  const singleStackModels = state.models === null ? null : models.filter((m) => (m.inputStacks?.length ?? 1) === 1).map((m) => m.name);
  const plan = method === 'auto' && volume ? autoPlan(volume.name, summary, state.lastCompare, singleStackModels) : null;
  const tile = intField(fields.tileText, 'Tile', TILE_RANGE);
  const batch = intField(fields.batchText, 'Batch', BATCH_RANGE);
  const modelErrors = useModel ? [tile.error, batch.error, multiStack ? stackVolumesProblem(stackNames, greys) : null].filter((e): e is string => !!e) : [];

  const taken = state.volumes.map((v) => v.name);
  const out = outText ?? (volume ? defaultOutName(volume.name, useModel ? model.name : method, taken) : '');
  const outTaken = taken.includes(out.trim());
  // The classifier needs both classes painted on the volume it segments.
  const classifier = method === 'pixel-classifier';
  const unpainted =
    classifier && volume !== undefined && (annotation.volume !== volume.name || annotation.summary === null || CLASSIFIER_CLASSES.some((v) => !((annotation.summary!.totals[String(v)] ?? 0) > 0)));
  const req: SegmentJobRequest | null =
    volume === undefined || out.trim() === '' || outTaken || unpainted || (method === 'model' && model === undefined) || modelErrors.length > 0
      ? null
      : {
          volume: multiStack ? stackNames.join(',') : volume.name,
          method,
          ...(useModel
            ? { model: model.name, ep: fields.ep, ...(tile.value !== undefined ? { tile: tile.value } : {}), ...(batch.value !== undefined ? { batchSize: batch.value } : {}) }
            : {}),
          out: out.trim(),
        };

  // The preview needs the same settings as the run but no output name.
  const previewOnly = volume !== undefined && !(method === 'model' && model === undefined) && modelErrors.length === 0;
  const previewReq = previewOnly
    ? {
        volume: multiStack ? stackNames.join(',') : volume.name,
        method,
        ...(useModel ? { model: model.name, ep: fields.ep, ...(tile.value !== undefined ? { tile: tile.value } : {}), ...(batch.value !== undefined ? { batchSize: batch.value } : {}) } : {}),
      }
    : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (req === null || jobActive) return;
    void store.startSegment(req);
    setOutText(null);
  };

  const result = resultVolume(state, 'segment', (v) => v.role === 'derived' && v.kind === 'labels' && v.metadata.planes === undefined && typeof v.metadata.method === 'string');

  return (
    <section className="card step-panel segment-panel" aria-label="Segmentation">
      <h2>Segmentation: solid (1) and pore (0)</h2>
      {greys.length === 0 ? (
        <p className="empty">No grey volume yet: import a stack in step 1.</p>
      ) : (
        <form onSubmit={submit} aria-label="Segmentation parameters">
          <div className="row">
            {!multiStack && (
              <label className="narrow">
                Input volume (grey)
                <select name="segment-volume" value={volume?.name ?? ''} onChange={(e) => setVolumeName(e.target.value)}>
                  {greys.map((v) => (
                    <option key={v.name} value={v.name}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="narrow">
              Method
              <select name="segment-method" value={method} onChange={(e) => setMethod(e.target.value as SegmentationMethod)}>
                {SEGMENTATION_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {methodLabel(m)}
                  </option>
                ))}
              </select>
            </label>
            <label className="narrow">
              Output name
              <input name="segment-out" value={out} onChange={(e) => setOutText(e.target.value)} maxLength={64} />
            </label>
          </div>
          {outTaken && <p className="field-error">The project already has a volume named "{out.trim()}": choose another output name.</p>}
          <p className="method-text">{SEGMENT_METHOD_TEXT[method]}</p>
          {plan && (
            <p className="auto-plan" data-kind={plan.kind} data-method={plan.method ?? ''} data-model={plan.model ?? ''}>
              {plan.text}
            </p>
          )}
          {method === 'model' && (
            <SegmentModelFields models={models} model={model} greys={greys} values={{ ...fields, stackVolumes: stackNames }} onChange={(patch) => setFields((f) => ({ ...f, ...patch }))} errors={modelErrors} />
          )}
          {volume && classifier && (
            <>
              <AnnotatePanel store={store} volume={volume} viewed={state.selectedVolume} />
              <ClassifierPreviewPane store={store} volume={volume} />
            </>
          )}
          {volume && !classifier && <SegmentPreviewPane store={store} volume={volume} request={previewReq} />}
          {volume && !multiStack && (
            <CompareMethodsPane
              store={store}
              state={state}
              volume={volume}
              summary={summary}
              onUse={(choice) => {
                setMethod(choice.method);
                if (choice.model !== undefined) setFields((f) => ({ ...f, modelName: choice.model! }));
              }}
            />
          )}
          <p className="will-run">
            Will run: <code>{req ? segmentCommandLine(req) : '—'}</code>
          </p>
          {unpainted && <p className="hint">Paint pore and solid on the xy orthoview first: the classifier learns from both.</p>}
          <button type="submit" disabled={req === null || jobActive || state.pending !== null}>
            {classifier ? 'Run on the whole volume' : 'Run segmentation'}
          </button>
        </form>
      )}
      {result && <SegmentResult store={store} result={result} volumes={state.volumes} />}
    </section>
  );
}

/** The volume the last job of this kind wrote, else the newest that looks like one. */
export function resultVolume(state: ProjectState, kind: 'segment' | 'reconstruct', looksLike: (v: VolumeSummary) => boolean): VolumeSummary | undefined {
  const name = state.lastOutput[kind]?.volume;
  return state.volumes.find((v) => v.name === name) ?? [...state.volumes].reverse().find(looksLike);
}

function SegmentResult({ store, result, volumes }: { store: ProjectStore; result: VolumeSummary; volumes: VolumeSummary[] }) {
  const source = volumes.find((v) => v.name === result.metadata.source);
  const nz = result.shape[0];
  const [z, setZ] = useState(Math.floor(nz / 2));
  const [opacity, setOpacity] = useState(0.5);
  const index = Math.min(z, nz - 1);
  const grey = usePlane(store, source ? { volume: source.name, axis: 'xy', index, maxSize: 512 } : null);
  const labels = usePlane(store, { volume: result.name, axis: 'xy', index, maxSize: 512 });
  return (
    <div className="step-result" data-volume={result.name}>
      <h3>Last result</h3>
      <p className="result-line">{segmentResultLine(result)}</p>
      <OodNotesView metadata={result.metadata} />
      <div className="preview-pair">
        {source && (
          <PlaneCanvas
            plane={grey.plane}
            overlay={labels.plane}
            opacity={opacity}
            maxWidth={PREVIEW_BOX}
            maxHeight={PREVIEW_BOX}
            label={`${source.name}, slice z ${index}, labels over it at ${Math.round(opacity * 100)} %`}
            className="preview-grey"
          />
        )}
        <PlaneCanvas plane={labels.plane} maxWidth={PREVIEW_BOX} maxHeight={PREVIEW_BOX} label={`${result.name}, slice z ${index} (white = solid)`} className="preview-labels" />
      </div>
      <div className="row">
        <label className="inline">
          Slice z {index} / {nz - 1}
          <input type="range" name="preview-z" min={0} max={nz - 1} value={index} onChange={(e) => setZ(Number(e.target.value))} />
        </label>
        <label className="inline">
          Overlay opacity {Math.round(opacity * 100)} %
          <input type="range" name="preview-opacity" min={0} max={100} value={Math.round(opacity * 100)} onChange={(e) => setOpacity(Number(e.target.value) / 100)} />
        </label>
      </div>
    </div>
  );
}
