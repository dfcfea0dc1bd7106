// fibrecon compare: every segmentation method scored on the user's annotations of a
// grey volume (src-main/segment/score-on-annotations.ts). Reads only.
import { openProject } from '../project/open-project';
import { formatScores, scoreOnAnnotations } from '../segment/score-on-annotations';
import { EXIT, interruptSignal, progressPrinter, UsageError } from './cli-io';
import { type Command, help, one, parse } from './command-helpers';

export const compare: Command = {
  summary: 'score every segmentation method (classical, shipped models, pixel classifier) on the annotations of a volume',
  usage:
    'fibrecon compare PROJECT.fibrecon --volume NAME [--models NAME,NAME] [--json]\n' +
    'Classical methods and shipped single-stack models label the annotated slices; the pixel classifier is scored on\n' +
    'painted pixels of slices it did not learn from. --models limits the models (default: every shipped single-stack one).',
  async run(args, io) {
    const { values, positionals } = parse(args, { volume: { type: 'string' }, models: { type: 'string' }, json: { type: 'boolean' } }, this.usage);
    if (values.help) return help(this, io);
    if (!values.volume) throw new UsageError(`--volume is required.\nUsage: ${this.usage}`);
    const models = values.models === undefined ? undefined : (values.models as string).split(',').map((m) => m.trim()).filter(Boolean);
    const p = openProject(one(positionals, 'project file', this.usage), { write: false });
    const interrupt = interruptSignal(io);
    try {
      const r = await scoreOnAnnotations(p.db, values.volume as string, { models, signal: interrupt.signal, onProgress: progressPrinter(io) });
      io.out(values.json ? JSON.stringify(r, null, 2) : formatScores(r));
      return EXIT.ok;
    } finally {
      interrupt.dispose();
      p.close();
    }
  },
};
