// The open project: what it is called, where it lives, its schema version.
import type { ProjectSummary } from '../../src-shared/contract';
import { formatDateTime } from '../format';

export function ProjectHeader({ project, busy, onClose }: { project: ProjectSummary; busy: boolean; onClose: () => void }) {
  return (
    <section className="card project-header" aria-label="Project">
      <div>
        <h2 className="project-name">{project.name || 'Untitled project'}</h2>
        <dl className="facts">
          <dt>File</dt>
          <dd className="path">{project.path}</dd>
          <dt>Schema version</dt>
          <dd className="schema-version">{project.schemaVersion}</dd>
          {project.createdAt && (
            <>
              <dt>Created</dt>
              <dd>{formatDateTime(project.createdAt)}</dd>
            </>
          )}
        </dl>
        {project.interruptedRuns > 0 && (
          <p className="notice">
            {project.interruptedRuns === 1 ? 'One job was' : `${project.interruptedRuns} jobs were`} interrupted when fibrecon last stopped; the
            project holds only what they finished.
          </p>
        )}
      </div>
      <button type="button" className="secondary" onClick={onClose} disabled={busy}>
        Close project
      </button>
    </section>
  );
}
