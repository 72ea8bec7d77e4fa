// Memory over a training job: 1000 steps of valueAndGrad + Adam on the W2 MLP, compiled
// by tsgrad. Samples the heap and the typed-array stores after a full GC every 100 steps;
// steady memory means no growth between the first sample after warm-up and the last.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Tensor } from '../runtime/tensor.js';
import { Adam } from '../runtime/nn/adam.js';
import { inputs } from './harness.js';
import { loadMlpWeights } from './peers/tsgrad.js';

export interface MemorySample {
  step: number;
  heapMB: number;
  arrayBuffersMB: number;
  rssMB: number;
}

function collect(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function trainingMemory(w: any, steps = 1000, every = 100): { samples: MemorySample[]; msPerStep: number } {
  const gc = collect();
  loadMlpWeights(w);
  const x = Tensor.fromData(inputs.mlp.x.slice(), [64, 784]);
  const y = Tensor.fromData(inputs.mlp.y.slice(), [64, 10]);
  const opt = new Adam(w.mlp.trainableParams(), { learningRate: 1e-3 });
  const samples: MemorySample[] = [];
  const mb = (b: number) => b / 2 ** 20;
  const t0 = performance.now();
  let first = Infinity;
  let loss = 0;
  for (let step = 1; step <= steps; step++) {
    const [value, grads] = w.mlpValueAndGrad(x, y);
    opt(grads);
    loss = value.item();
    if (step === 1) first = loss;
    if (step % every === 0) {
      // Twice: V8 frees the typed-array stores the first collection found dead after it
      // returns, so a sample after one collection swung between 7 and 22 MB with rss flat.
      gc();
      gc();
      const m = process.memoryUsage();
      samples.push({ step, heapMB: mb(m.heapUsed), arrayBuffersMB: mb(m.arrayBuffers), rssMB: mb(m.rss) });
    }
  }
  if (!(loss < first)) throw new Error(`memory run: the loss did not decrease (${first} → ${loss})`);
  loadMlpWeights(w);
  return { samples, msPerStep: (performance.now() - t0) / steps };
}
