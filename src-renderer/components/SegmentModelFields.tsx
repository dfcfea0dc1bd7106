// The model part of the Segmentation step: the model with its card (window,
// architecture, held-out score), one volume per input stack for a model that
// reads several (late fusion), tile, batch and execution provider.
import type { ModelInfo, VolumeSummary } from '../../src-shared/contract';
import { EP_CHOICES, type EpChoice } from '../../src-shared/pipeline-methods';
import { EP_FIELD_LABEL, EP_LABEL } from './ep-text';
import { DEFAULT_BATCH, heldOutText, modelWindowText } from './model-text';
import { EP_TEXT, modelLine } from './step-text';

export interface ModelFieldValues {
  modelName: string;
  ep: EpChoice;
  tileText: string;
  batchText: string;
  /** One volume per input stack (multi-stack models only). */
  stackVolumes: string[];
}

export interface SegmentModelFieldsProps {
  models: ModelInfo[];
  model: ModelInfo | undefined;
  greys: VolumeSummary[];
  values: ModelFieldValues;
  onChange: (patch: Partial<ModelFieldValues>) => void;
  errors: string[];
}

export function SegmentModelFields({ models, model, greys, values, onChange, errors }: SegmentModelFieldsProps) {
  if (models.length === 0) {
    return (
      <div className="row">
        <p className="empty">No models installed: put an ONNX model with its .json card in the models folder, or choose a classical method.</p>
        <EpField ep={values.ep} onChange={(ep) => onChange({ ep })} />
      </div>
    );
  }
  const heldOut = model ? heldOutText(model) : null;
  return (
    <>
      <div className="row">
        <label className="wide">
          Model
          <select name="segment-model" value={model?.name ?? ''} onChange={(e) => onChange({ modelName: e.target.value, stackVolumes: [] })}>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {modelLine(m)}
              </option>
            ))}
          </select>
        </label>
        {model && (
          <dl className="model-card" data-model={model.name}>
            <dt>Architecture</dt>
            <dd className="model-architecture">{model.architecture ?? model.kind}</dd>
            <dt>Window</dt>
            <dd className="model-window">{modelWindowText(model)}</dd>
            <dt>Held-out score</dt>
            <dd className="model-held-out" title="Misclassified voxels (MP) on the held-out synthetic stacks of the training record; Otsu on the same stacks for comparison">
              {heldOut ?? 'no training record next to the model'}
            </dd>
          </dl>
        )}
      </div>
      {model?.description && <p className="hint model-description">{model.description}</p>}
      {model?.inputStacks && model.inputStacks.length > 1 && (
        <fieldset className="stack-inputs">
          <legend>Input volumes, one per stack the model reads (same size, registered)</legend>
          {model.inputStacks.map((label, c) => (
            <label key={label} className="narrow">
              {label}
              <select
                name={`segment-stack-${c}`}
                value={values.stackVolumes[c] ?? ''}
                onChange={(e) => onChange({ stackVolumes: model.inputStacks!.map((_, k) => (k === c ? e.target.value : (values.stackVolumes[k] ?? ''))) })}
              >
                {greys.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      <div className="row">
        <label className="narrow">
          Tile (px)
          <input name="segment-tile" inputMode="numeric" value={values.tileText} placeholder={model ? String(model.tile) : ''} onChange={(e) => onChange({ tileText: e.target.value })} />
          <span className="hint">square tiles over each slice; empty: the card's {model?.tile ?? '?'} px</span>
        </label>
        <label className="narrow">
          Batch
          <input name="segment-batch" inputMode="numeric" value={values.batchText} placeholder={String(DEFAULT_BATCH)} onChange={(e) => onChange({ batchText: e.target.value })} />
          <span className="hint">tiles per model call; more is faster and needs more memory</span>
        </label>
        <EpField ep={values.ep} onChange={(ep) => onChange({ ep })} />
      </div>
      {errors.map((e) => (
        <p key={e} className="field-error">
          {e}
        </p>
      ))}
    </>
  );
}

function EpField({ ep, onChange }: { ep: EpChoice; onChange: (ep: EpChoice) => void }) {
  return (
    <label className="narrow">
      {EP_FIELD_LABEL}
      <select name="segment-ep" value={ep} onChange={(e) => onChange(e.target.value as EpChoice)}>
        {EP_CHOICES.map((c) => (
          <option key={c} value={c}>
            {EP_LABEL[c]}
          </option>
        ))}
      </select>
      <span className="hint">{EP_TEXT}</span>
    </label>
  );
}
