// The fixed parity pair a training script stores beside a model (NAME.parity.npz:
// 'input' and 'output', float32), read through Debian's numpy.
import { runPython } from './python';

export interface Float32Tensor {
  data: Float32Array;
  dims: number[];
}

export function readParityNpz(path: string): Record<'input' | 'output', Float32Tensor> {
  const script = `
import sys, json, base64, numpy as np
d = np.load(sys.argv[1])
print(json.dumps({k: {'dims': list(d[k].shape), 'b64': base64.b64encode(np.ascontiguousarray(d[k], '<f4').tobytes()).decode()} for k in ('input', 'output')}))`;
  const raw = JSON.parse(runPython(script, [path])) as Record<string, { dims: number[]; b64: string }>;
  const f32 = (b64: string): Float32Array => {
    const buf = Buffer.from(b64, 'base64');
    return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  };
  return { input: { data: f32(raw.input.b64), dims: raw.input.dims }, output: { data: f32(raw.output.b64), dims: raw.output.dims } };
}

/** Runs the ONNX model in ONNX Runtime on the stored input; returns the output's dims, its largest difference from the stored output and the stored output's range. */
export async function ortVsStored(modelPath: string, parity: Record<'input' | 'output', Float32Tensor>): Promise<{ dims: number[]; maxDiff: number; storedRange: number }> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(modelPath);
  try {
    const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', parity.input.data, parity.input.dims) });
    const got = res[session.outputNames[0]];
    const data = got.data as Float32Array;
    let maxDiff = data.length === parity.output.data.length ? 0 : Infinity;
    for (let i = 0; i < data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(data[i] - parity.output.data[i]));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of parity.output.data) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    return { dims: [...got.dims], maxDiff, storedRange: hi - lo };
  } finally {
    await session.release();
  }
}
