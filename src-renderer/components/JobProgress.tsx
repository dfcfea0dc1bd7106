// The running job (import, segmentation, reconstruction, ...) in the status bar
// at the bottom of the window: what it is, how far, what it does now, how long
// still, and Cancel; the notices it reported open upwards from the bar.
import { formatEta, formatPercent } from '../format';
import type { JobView } from '../state/project-store';

const STATUS_TEXT: Record<JobView['status'], string> = {
  starting: 'Starting',
  running: 'Running',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function JobProgress({ job, onCancel, onDismiss }: { job: JobView; onCancel: () => void; onDismiss: () => void }) {
  const active = job.status === 'starting' || job.status === 'running';
  return (
    <section className={`job-progress status-${job.status}`} aria-label="Job progress" data-status={job.status} data-kind={job.kind}>
      <div className="job-title">
        <h2>{job.title}</h2>
        <span className="job-status">{STATUS_TEXT[job.status]}</span>
      </div>
      <progress max={1} value={job.fraction} aria-label={`${job.title}: ${formatPercent(job.fraction)}`} />
      <p className="job-line">
        <span className="job-message" title={job.message}>
          {job.message}
        </span>
        {active && (
          <span className="job-eta">
            {formatPercent(job.fraction)} {formatEta(job.etaS) && `· ${formatEta(job.etaS)}`}
          </span>
        )}
      </p>
      {job.log.length > 0 && (
        <details className="job-log-box">
          <summary>
            {job.log.length} notice{job.log.length === 1 ? '' : 's'}
          </summary>
          <ul className="job-log">
            {job.log.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
      {active ? (
        <button type="button" className="secondary small" onClick={onCancel} disabled={job.jobId === null}>
          Cancel
        </button>
      ) : (
        <button type="button" className="secondary small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
