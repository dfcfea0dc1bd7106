// A trained forest as a JSON-safe object (typed arrays as base64 of their
// little-endian bytes) and back. Predictions after a round trip are
// bit-identical: the arrays are copied byte for byte.
import { AppError } from '../../../src-shared/errors';
import type { RandomForest, ResolvedForestOptions } from './forest-types';

export const FOREST_FORMAT = 'fibrecon-random-forest';
export const FOREST_FORMAT_VERSION = 1;

export interface SerialisedForest {
  format: typeof FOREST_FORMAT;
  version: number;
  nFeatures: number;
  nClasses: number;
  nTrees: number;
  params: ResolvedForestOptions;
  /** base64 of Int32 (treeRoots, nodeFeature, nodeChild) and Float32 (nodeThreshold, leafValues) little-endian arrays. */
  treeRoots: string;
  nodeFeature: string;
  nodeThreshold: string;
  nodeChild: string;
  leafValues: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toBase64(a: Int32Array | Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function fromBase64<T extends Int32Array | Float32Array>(text: unknown, Type: { new (b: ArrayBuffer): T }, what: string): T {
  if (typeof text !== 'string') throw corrupt(`${what} is missing`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) throw corrupt(`${what} is not a whole number of 4-byte values`);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Type(copy);
}

function corrupt(what: string): AppError {
  return new AppError('corrupt_file', `The saved pixel classifier is damaged (${what}): train it again from the annotations.`);
}

export function serialiseForest(forest: RandomForest): SerialisedForest {
  if (!LITTLE_ENDIAN) throw new AppError('internal', 'Saving a pixel classifier needs a little-endian machine.');
  return {
    format: FOREST_FORMAT,
    version: FOREST_FORMAT_VERSION,
    nFeatures: forest.nFeatures,
    nClasses: forest.nClasses,
    nTrees: forest.nTrees,
    params: { ...forest.params, classWeight: Array.isArray(forest.params.classWeight) ? [...forest.params.classWeight] : forest.params.classWeight },
    treeRoots: toBase64(forest.treeRoots),
    nodeFeature: toBase64(forest.nodeFeature),
    nodeThreshold: toBase64(forest.nodeThreshold),
    nodeChild: toBase64(forest.nodeChild),
    leafValues: toBase64(forest.leafValues),
  };
}

/** Reads a serialised forest back, checking every index so that a damaged file cannot send prediction astray. */
export function deserialiseForest(value: unknown): RandomForest {
  if (!LITTLE_ENDIAN) throw new AppError('internal', 'Loading a pixel classifier needs a little-endian machine.');
  const s = value as Partial<SerialisedForest> | null;
  if (typeof s !== 'object' || s === null || s.format !== FOREST_FORMAT) {
    throw new AppError('unsupported_format', 'This is not a fibrecon pixel classifier: choose a classifier saved by fibrecon.');
  }
  if (typeof s.version !== 'number' || s.version > FOREST_FORMAT_VERSION) {
    throw new AppError('unsupported_format', `This pixel classifier was saved in format version ${s.version}, newer than this fibrecon reads (${FOREST_FORMAT_VERSION}): update fibrecon or train the classifier again.`);
  }
  const { nFeatures, nClasses, nTrees } = s;
  if (!Number.isInteger(nFeatures) || !Number.isInteger(nClasses) || !Number.isInteger(nTrees) || (nFeatures as number) < 1 || (nClasses as number) < 2 || (nTrees as number) < 1) {
    throw corrupt('its sizes are not positive integers');
  }
  if (typeof s.params !== 'object' || s.params === null) throw corrupt('its training options are missing');
  const forest: RandomForest = {
    nFeatures: nFeatures as number,
    nClasses: nClasses as number,
    nTrees: nTrees as number,
    treeRoots: fromBase64(s.treeRoots, Int32Array, 'the tree roots'),
    nodeFeature: fromBase64(s.nodeFeature, Int32Array, 'the node features'),
    nodeThreshold: fromBase64(s.nodeThreshold, Float32Array, 'the node thresholds'),
    nodeChild: fromBase64(s.nodeChild, Int32Array, 'the node children'),
    leafValues: fromBase64(s.leafValues, Float32Array, 'the leaf values'),
    params: { ...s.params },
  };
  checkForest(forest);
  return forest;
}

/** Every tree a block of nodes whose children lie after their parent within the block; leaves inside leafValues. */
export function checkForest(forest: RandomForest): void {
  const { nFeatures, nClasses: K, nTrees, treeRoots, nodeFeature, nodeThreshold, nodeChild, leafValues } = forest;
  const nNodes = nodeFeature.length;
  if (treeRoots.length !== nTrees) throw corrupt(`${treeRoots.length} tree roots for ${nTrees} trees`);
  if (nodeThreshold.length !== nNodes || nodeChild.length !== nNodes) throw corrupt('its node arrays differ in length');
  if (leafValues.length % K !== 0) throw corrupt('its leaf values are not whole class distributions');
  if (treeRoots[0] !== 0) throw corrupt('the first tree does not start at node 0');
  for (let t = 0; t < nTrees; t++) {
    const start = treeRoots[t];
    const end = t + 1 < nTrees ? treeRoots[t + 1] : nNodes;
    if (!(start < end && end <= nNodes)) throw corrupt(`tree ${t} has no nodes`);
    for (let i = start; i < end; i++) {
      const f = nodeFeature[i];
      const c = nodeChild[i];
      if (f < 0) {
        if (f !== -1 || c < 0 || c % K !== 0 || c + K > leafValues.length) throw corrupt(`leaf ${i} points outside the leaf values`);
      } else if (f >= nFeatures || !(c > i && c + 1 < end)) {
        throw corrupt(`node ${i} refers to feature ${f} or child ${c} that does not exist`);
      }
    }
  }
}
