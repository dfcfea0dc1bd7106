// Opening an ONNX model with onnxruntime-node and choosing the execution
// provider (CUDA or CPU) at run time. Plain Node: usable from worker threads.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { AppError } from '../../src-shared/errors';
import type { EpChoice } from '../../src-shared/pipeline-methods';

type Ort = typeof import('onnxruntime-node');
let ortModule: Ort | undefined;

/** onnxruntime-node, loaded on first use (the native library is not loaded by importing this module). */
export function ort(): Ort {
  ortModule ??= createRequire(import.meta.url)('onnxruntime-node') as Ort;
  return ortModule;
}

export type { EpChoice };
export type Ep = 'cuda' | 'cpu';

export interface OpenedModel {
  session: InferenceSession;
  ep: Ep;
  /** Why this provider was chosen, in words for the log and the UI. */
  reason: string;
  path: string;
}

export interface OpenModelOptions {
  ep?: EpChoice;
  /** Threads ORT may use inside one operator (CPU); default: ORT's choice. */
  intraOpThreads?: number;
}

/** Folder of onnxruntime-node's native libraries for this platform. */
export function ortBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/** Whether the CUDA provider library that onnxruntime-node's install script downloads is present. */
export function cudaProviderInstalled(): boolean {
  const dir = ortBinaryDir();
  const name = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(join(dir, name));
}

function sessionOptions(ep: Ep, opts: OpenModelOptions): InferenceSession.SessionOptions {
  return {
    executionProviders: [ep],
    graphOptimizationLevel: 'all',
    ...(opts.intraOpThreads !== undefined ? { intraOpNumThreads: opts.intraOpThreads } : {}),
    // 'auto' probes CUDA: ORT's own error log for a failed probe would only alarm; the reason is returned instead.
    logSeverityLevel: 4,
  };
}

function errorText(e: unknown): string {
  // ORT messages may carry ANSI colour codes and a trailing log line.
  return (e instanceof Error ? e.message : String(e)).replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0].trim();
}

/**
 * Opens an ONNX model. ep 'auto' uses CUDA when its provider library is installed
 * and a session can be created on it, else the CPU; 'cuda' fails when CUDA cannot be
 * used; 'cpu' always uses the CPU. Errors: 'file_not_found', 'corrupt_file'
 * (not an ONNX model), 'invalid_input' (explicit 'cuda' that cannot be used).
 */
export async function openModel(path: string, opts: OpenModelOptions = {}): Promise<OpenedModel> {
  const choice = opts.ep ?? 'auto';
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('file_not_found', `${path} is a folder, not an ONNX model file: give the path of the .onnx file.`, path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('file_not_found', `The model file ${path} does not exist: check the path, or download/export the model first.`, path);
  }
  const { InferenceSession } = ort();

  const createCpu = async (reason: string): Promise<OpenedModel> => {
    try {
      return { session: await InferenceSession.create(path, sessionOptions('cpu', opts)), ep: 'cpu', reason, path };
    } catch (e) {
      throw new AppError(
        'corrupt_file',
        `${path} is not a valid ONNX model that onnxruntime can load (${errorText(e)}). Export the model again (torch.onnx.export, opset 13 or newer) or download it again.`,
        path,
      );
    }
  };

  if (choice === 'cpu') return createCpu('CPU requested');

  const installed = cudaProviderInstalled();
  if (!installed) {
    // Said to the user (job message, result line): what happens and where to read how to change it.
    const why = 'no GPU support (CUDA) installed';
    if (choice === 'cuda') {
      throw new AppError('invalid_input', `Cannot run the model on CUDA: ${why}. Choose CPU or auto, or add the GPU libraries (user guide, "Running on a GPU"; docs/inference.md).`, path);
    }
    return createCpu(`${why}: runs on the CPU. The user guide, "Running on a GPU", says how to enable it`);
  }
  try {
    const session = await InferenceSession.create(path, sessionOptions('cuda', opts));
    return { session, ep: 'cuda', reason: choice === 'cuda' ? 'CUDA requested' : 'CUDA provider installed and a session on it could be created', path };
  } catch (e) {
    const why = `CUDA provider installed but unusable (${errorText(e)}); it needs an NVIDIA GPU and driver, CUDA 12 and cuDNN 9`;
    if (choice === 'cuda') {
      // Tell a broken model apart from a broken CUDA set-up: the CPU must load it.
      await createCpu('').then((m) => m.session.release());
      throw new AppError('invalid_input', `Cannot run the model on CUDA: ${why}. Choose the CPU or install the CUDA libraries.`, path);
    }
    return createCpu(`${why}: using the CPU`);
  }
}

export interface RunOnceResult {
  data: Float32Array;
  dims: number[];
}

/**
 * Runs the model once on one float32 tensor (its first input) and returns its
 * first output: for parity tests against PyTorch and for probing a model.
 */
export async function runOnce(session: InferenceSession, input: Float32Array, dims: readonly number[]): Promise<RunOnceResult> {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== input.length) throw new AppError('invalid_input', `Input of ${input.length} values does not fill dims [${dims.join(', ')}] (${n} values).`);
  const { Tensor } = ort();
  const feeds: Record<string, Tensor> = { [session.inputNames[0]]: new Tensor('float32', input, [...dims]) };
  let out: InferenceSession.ReturnType;
  try {
    out = await session.run(feeds);
  } catch (e) {
    throw new AppError('invalid_input', `The model did not accept an input of shape [${dims.join(', ')}]: ${errorText(e)}. Check the model card's input (slices, tile).`);
  }
  const t = out[session.outputNames[0]];
  if (t.type !== 'float32') throw new AppError('unsupported_format', `The model's output is ${t.type}, not float32: export it with float32 outputs.`);
  const result = { data: t.data as Float32Array, dims: [...t.dims] };
  for (const k of Object.keys(out)) if (k !== session.outputNames[0]) out[k].dispose?.();
  return result;
}
