// The wizard's steps, in the order of the work.
import type { WizardStep } from '../state/project-store';

const STEPS: { id: WizardStep; label: string }[] = [
  { id: 'import', label: 'Import' },
  { id: 'thickness', label: 'Thickness' },
  { id: 'register', label: 'Registration' },
  { id: 'segment', label: 'Segmentation' },
  { id: 'reconstruct', label: 'Reconstruction' },
  { id: 'quality', label: 'Quality' },
  { id: 'export', label: 'Export' },
];

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
      </ol>
    </nav>
  );
}
