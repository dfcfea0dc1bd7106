// What every project-changing subcommand does around its work: open the project
// for writing, take Ctrl-C as a cancel, record the step as a run (done, failed
// or cancelled), roll back an open transaction on failure, close the project.
import { toErrorValue } from '../../src-shared/errors';
import type { ProgressCallback } from '../../src-shared/progress';
import { openProject, type Project } from '../project/open-project';
import { finishRun, startRun } from '../project/runs';
import { APP_VERSION } from './app-version';
import { type CliIO, interruptSignal, progressPrinter } from './cli-io';

export interface StepContext {
  project: Project;
  signal: AbortSignal;
  show: ProgressCallback;
  /** Records the run (call once the inputs are known to be valid); returns its id. */
  start(params: unknown): number;
  /** Marks the run done now (e.g. inside the step's own transaction); otherwise it is marked when the step returns. */
  finish(): void;
}

export async function withProjectStep(projectPath: string, step: string, io: CliIO, body: (ctx: StepContext) => Promise<number>): Promise<number> {
  const project = openProject(projectPath, { write: true, purpose: step });
  const interrupt = interruptSignal(io);
  let runId: number | undefined;
  let finished = false;
  const ctx: StepContext = {
    project,
    signal: interrupt.signal,
    show: progressPrinter(io),
    start(params) {
      runId = startRun(project.db, step, params, APP_VERSION);
      return runId;
    },
    finish() {
      if (runId !== undefined && !finished) finishRun(project.db, runId, 'done');
      finished = true;
    },
  };
  try {
    const code = await body(ctx);
    ctx.finish();
    return code;
  } catch (e) {
    if (project.db.inTransaction) project.db.exec('ROLLBACK');
    if (runId !== undefined && !finished) {
      const cancelled = interrupt.signal.aborted;
      finishRun(project.db, runId, cancelled ? 'cancelled' : 'failed', cancelled ? undefined : toErrorValue(e));
    }
    throw e;
  } finally {
    interrupt.dispose();
    project.close();
  }
}
