// The CLI side of a project-changing step: Ctrl-C as the cancel signal, progress
// on stderr, then the shared step wrapper (src-main/project/project-step.ts).
import { runProjectStep, type StepContext } from '../project/project-step';
import { APP_VERSION } from './app-version';
import { type CliIO, interruptSignal, progressPrinter } from './cli-io';

export type { StepContext } from '../project/project-step';

export async function withProjectStep(projectPath: string, step: string, io: CliIO, body: (ctx: StepContext) => Promise<number>): Promise<number> {
  const interrupt = interruptSignal(io);
  try {
    return await runProjectStep(projectPath, step, { signal: interrupt.signal, onProgress: progressPrinter(io), appVersion: APP_VERSION }, body);
  } finally {
    interrupt.dispose();
  }
}
