// A prediction thread of the random forest benchmark: gets the serialised
// forest and the shared feature array once, then predicts the pixel ranges it
// is sent and answers when done.
import { parentPort, workerData } from 'node:worker_threads';
import { deserialiseForest, predictLabels, predictProbabilities } from '../src-main/segment/pixel-classifier';

const forest = deserialiseForest(workerData.forest);
const features = workerData.features as Float32Array;
parentPort?.on('message', (m: { mode: 'labels' | 'probabilities'; start: number; end: number }) => {
  if (m.mode === 'labels') predictLabels(forest, features, { start: m.start, end: m.end });
  else predictProbabilities(forest, features, { start: m.start, end: m.end });
  parentPort?.postMessage('done');
});
