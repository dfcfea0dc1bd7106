// `fibrecon segment`: a grey volume of the project becomes a label volume (1 = solid,
// 0 = pore) by a classical method or an ONNX model; the run records the method,
// thresholds or model, and the execution provider with the reason it was chosen.
// A model run says whether the model looks out of its depth on the stack (its
// out-of-distribution check); method auto says which method it chose and why.
import { SEGMENTATION_METHODS, type SegmentationMethod, segmentStoredVolume } from '../segment/segment-volume';
import { listModelNames } from '../segment/model-files';
import { EP_CHOICES, type EpChoice } from '../../src-shared/pipeline-methods';
import { describeClassifierRun } from '../segment/segment-classifier';
import { EXIT, UsageError } from './cli-io';
import { type Command, help, num, one, parse } from './command-helpers';
import { withProjectStep } from './project-step';

const EPS = EP_CHOICES;

export const segment: Command = {
  summary: 'segment a grey volume into solid/pore labels (auto, otsu, multi-otsu, kmeans, hybrid, an ONNX model, or the pixel classifier)',
  usage:
    'fibrecon segment PROJECT.fibrecon --volume NAME --method auto|otsu|multi-otsu|kmeans|hybrid|model|pixel-classifier [--model NAME|FILE.onnx]\n' +
    'auto (recommended) picks by measurement and says why: with pore and solid annotated on the volume, the method with the\n' +
    '  lowest MP on the annotations (every method scored as by fibrecon compare); else the default model (or --model) where its\n' +
    '  out-of-distribution check passes, else Otsu or k-means, whichever boundary follows the sharper grey edges.\n' +
    "       --volume A,B,C: a model that reads several stacks (late fusion, e.g. fusion-w7-124kv: 1kV,2kV,4kV in the card's order; same size)\n" +
    '       [--ep auto|cuda|cpu] [--tile PX] [--batch N] [--no-rescale] [--out NAME] [--json]\n' +
    "--no-rescale: run the model on the stack's own pixels; by default a stack whose structure (Otsu chord) is far from the\n" +
    "  model card's trained size is resampled in x and y to it and the labels back to the stack's pixels.\n" +
    'multi-otsu and kmeans find 3 grey classes: the brightest is solid, the middle one (shine-through) is set to pore.\n' +
    'pixel-classifier learns from the annotations of the (first) volume (fibrecon annotate, or painted in the app); with several\n' +
    '  volumes (--volume 2kV,1kV) it takes features from each; it prints an accuracy estimate and writes NAME-uncertainty too.\n' +
    'Models: a shipped model by name (fibrecon segment --list-models) or an .onnx file with its .json card beside it;\n' +
    '--ep auto uses CUDA when its libraries are installed, else the CPU, and says why.',
  async run(args, io) {
    const { values, positionals } = parse(
      args,
      {
        volume: { type: 'string' },
        method: { type: 'string' },
        model: { type: 'string' },
        ep: { type: 'string' },
        tile: { type: 'string' },
        batch: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        'no-rescale': { type: 'boolean' },
        'list-models': { type: 'boolean' },
      },
      this.usage,
    );
    if (values.help) return help(this, io);
    if (values['list-models']) {
      const names = listModelNames();
      io.out(values.json ? JSON.stringify(names) : names.length ? names.join('\n') : 'No models are installed.');
      return EXIT.ok;
    }
    const projectPath = one(positionals, 'project file', this.usage);
    const method = values.method as SegmentationMethod | undefined;
    if (!values.volume || !method) throw new UsageError(`--volume and --method are required.\nUsage: ${this.usage}`);
    if (!SEGMENTATION_METHODS.includes(method)) throw new UsageError(`--method takes ${SEGMENTATION_METHODS.join(', ')}; got "${method}".`);
    if (method === 'model' && !values.model) throw new UsageError('--method model needs --model NAME (a shipped model) or --model FILE.onnx.');
    const ep = (values.ep as EpChoice | undefined) ?? 'auto';
    if (!EPS.includes(ep)) throw new UsageError(`--ep takes ${EPS.join(', ')}; got "${ep}".`);
    const tile = num(values.tile as string | undefined, '--tile');
    const batchSize = num(values.batch as string | undefined, '--batch');
    const out = (values.out as string | undefined) ?? `${(values.volume as string).split(',').map((n) => n.trim()).join('+')}-${method === 'model' ? 'model' : method}`;
    return withProjectStep(projectPath, 'segment', io, async ({ project, signal, show, start, finish }) => {
      const r = await segmentStoredVolume(
        project.db,
        { volume: values.volume as string, method, model: values.model as string | undefined, ep, tile, batchSize, out, ...(values['no-rescale'] ? { rescale: false } : {}) },
        { signal, onProgress: show, startRun: (params) => start(params), finishRun: finish },
      );
      if (values.json) {
        io.out(JSON.stringify(r, null, 2));
      } else {
        const how = r.model
          ? `model "${r.model.name}"${r.volumes.length > 1 ? ` from ${r.volumes.join(', ')}` : ''} on ${r.model.ep.toUpperCase()} (${r.model.reason})`
          : r.classifier
            ? `the pixel classifier (annotation version ${r.classifier.annotationVersion})`
            : `${r.method}, threshold(s) ${r.thresholds?.map((t) => t.toFixed(1)).join(', ')} (grey values)`;
        io.out(`Wrote "${r.out}": ${r.slices} slices of labels (1 = solid), solid fraction ${(100 * r.solidFraction).toFixed(2)} %, by ${how}.\n${r.convention}`);
        if (r.classifier) io.out(describeClassifierRun(r.classifier));
        if (r.rescale) io.out(`In-plane scale: ${r.rescale.sentence}`);
        if (r.auto) io.out(`Chosen by auto (basis: ${r.auto.basis}): ${r.auto.reason}`);
        if (r.ood) io.out(r.ood.outOfDepth ? `Warning: ${r.ood.sentence}` : r.ood.sentence);
        else if (r.auto?.oodSentence) io.out(r.auto.oodSentence);
      }
      return EXIT.ok;
    });
  },
};
