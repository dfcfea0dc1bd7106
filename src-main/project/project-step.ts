// What every project-changing step does around its work, in the CLI and in job
// workers alike: open the project for writing, record the step as a run (done,
// failed or cancelled), roll back an open transaction on failure, close the project.
// A step checks its inputs before it records its run, so a refused request writes
// nothing; one refused only after the run was recorded takes its record back.
// A step that stores its result in a transaction marks its run done in that same
// transaction (finish(), or a save's finishRun): the result and "done" land
// together, so a kill can never leave a kept result under an interrupted run.
import { AppError, type ErrorTag, toErrorValue } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { openProject, type Project } from './open-project';
import { finishRun, forgetRun, startRun, storedRunStatus } from './runs';

export interface StepContext {
  project: Project;
  signal: AbortSignal;
  show: ProgressCallback;
  /** Records the run (call once the inputs are known to be valid); returns its id. */
  start(params: unknown, extra?: { modelName?: string; executionProvider?: string }): number;
  /**
   * Marks the run done now: call it inside the transaction that stores the step's result,
   * just before it commits. Otherwise the run is marked when the step returns.
   */
  finish(): void;
}

/** Errors that refuse the request as given (the user fixes the input and asks again), not failures of the work. */
const REFUSALS: ReadonlySet<ErrorTag> = new Set<ErrorTag>(['invalid_input', 'file_not_found', 'empty_folder', 'unsupported_format', 'size_mismatch', 'not_found']);

export function isRefusal(e: unknown): boolean {
  return e instanceof AppError && REFUSALS.has(e.tag);
}

export async function runProjectStep<T>(
  projectPath: string,
  step: string,
  ctx: { signal: AbortSignal; onProgress: ProgressCallback; appVersion: string },
  body: (c: StepContext) => Promise<T>,
): Promise<T> {
  const project = openProject(projectPath, { write: true, purpose: step });
  let runId: number | undefined;
  let runParams: { params: unknown; extra?: { modelName?: string; executionProvider?: string } } | undefined;
  let finished = false;
  const c: StepContext = {
    project,
    signal: ctx.signal,
    show: ctx.onProgress,
    start(params, extra) {
      runParams = { params, extra };
      runId = startRun(project.db, step, params, ctx.appVersion, extra);
      return runId;
    },
    finish() {
      if (runId !== undefined && !finished) finishRun(project.db, runId, 'done');
      finished = true;
    },
  };
  try {
    const result = await body(c);
    c.finish();
    return result;
  } catch (e) {
    const db = project.db;
    if (db.inTransaction) db.exec('ROLLBACK');
    if (runId !== undefined) {
      const cancelled = ctx.signal.aborted;
      const end = () => finishRun(db, runId!, cancelled ? 'cancelled' : 'failed', cancelled ? undefined : toErrorValue(e));
      // What the rollback left: a finish() inside the transaction was undone with it.
      const status = storedRunStatus(db, runId);
      if (status === 'running') {
        // A refusal whose run left nothing behind (all rolled back) leaves no record either.
        const forgotten = !cancelled && isRefusal(e) && forgetRun(db, runId);
        if (!forgotten) end();
      } else if (status === undefined && !isRefusal(e)) {
        // The run was recorded inside the transaction that failed: record it again, as failed or cancelled.
        runId = startRun(db, step, runParams?.params, ctx.appVersion, runParams?.extra);
        end();
      }
    }
    throw e;
  } finally {
    project.close();
  }
}
