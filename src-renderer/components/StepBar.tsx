// The wizard's steps; the later ones are shown but not ready yet.
import type { WizardStep } from '../state/project-store';

const STEPS: { id: WizardStep; label: string }[] = [
  { id: 'import', label: 'Import' },
  { id: 'segment', label: 'Segmentation' },
  { id: 'reconstruct', label: 'Reconstruction' },
  { id: 'quality', label: 'Quality' },
  { id: 'export', label: 'Export' },
];
const COMING = ['Thickness', 'Registration'];

export function StepBar({ step, onStep }: { step: WizardStep; onStep: (s: WizardStep) => void }) {
  return (
    <nav className="step-bar" aria-label="Steps">
      <ol>
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <button type="button" className={s.id === step ? 'step current' : 'step'} aria-current={s.id === step ? 'step' : undefined} onClick={() => onStep(s.id)}>
              <span className="step-number">{i + 1}</span> {s.label}
            </button>
          </li>
        ))}
        {COMING.map((label) => (
          <li key={label}>
            <button type="button" className="step" disabled title={`${label}: coming in a later version (the CLI has it)`}>
              {label} <span className="coming">coming</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
