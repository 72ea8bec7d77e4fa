// TensorFlow.js 4.22 as a peer, on its pure-JS `cpu` backend or its SIMD WebAssembly
// backend. The union package registers the gradients; every call runs inside `tidy` and
// reads its result back (`dataSync`), as a user would.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Impl, Peer, WorkloadId, flat, inputs } from '../harness.js';

let wasmPathSet = false;

/** Switches tfjs to `backend` (`cpu` or `wasm`, the latter loading its .wasm from the package's dist). */
export async function useBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm' && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${path.join(dist, 'dist')}${path.sep}`);
    wasmPathSet = true;
  }
  tf.enableProdMode(); // no per-op checks, and no console banner
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} did not initialise`);
  await tf.ready();
}

type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

function impl(forward: () => tf.Tensor, gradient: () => tf.Tensor[]): Impl {
  const read = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync() as Float32Array);
  return {
    forward: () => tf.tidy(() => forward().dataSync()),
    gradient: () => tf.tidy(() => read(gradient())),
    values: () => flat(tf.tidy(() => read(gradient()))),
  };
}

export function rosenbrock(x: tf.Tensor): tf.Tensor {
  const n = x.shape[0];
  const head = x.slice(0, n - 1);
  const tail = x.slice(1, n - 1);
  const a = tail.sub(head.square());
  const b = tf.scalar(1).sub(head);
  return a.square().mul(100).add(b.square()).sum();
}

const chain: Fn = (x) => x.sin().mul(x.cos()).mul(x).sum();

export async function tfjsPeer(backend: 'cpu' | 'wasm'): Promise<Peer> {
  await useBackend(backend);
  const keep = <T extends tf.Tensor>(t: T) => tf.keep(t);
  const r10 = keep(tf.tensor1d(inputs.rosen10));
  const r1000 = keep(tf.tensor1d(inputs.rosen1000));
  const m = inputs.mlp;
  const mx = keep(tf.tensor2d(m.x, [64, 784]));
  const my = keep(tf.tensor2d(m.y, [64, 10]));
  const params = [tf.tensor2d(m.w1, [128, 784]), tf.tensor1d(m.b1), tf.tensor2d(m.w2, [10, 128]), tf.tensor1d(m.b2)].map(keep);
  const mlpLoss = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const h = tf.relu(tf.matMul(mx, w1, false, true).add(b1));
    const o = tf.matMul(h, w2, false, true).add(b2);
    return o.sub(my).square().mean();
  };
  const c6 = keep(tf.tensor1d(inputs.chain1e6));
  const s1 = keep(tf.tensor1d(inputs.sin1));
  const c4 = keep(tf.tensor1d(inputs.chain1e4));
  const sx = keep(tf.tensor1d(inputs.seed.x));
  const sy = keep(tf.tensor1d(inputs.seed.y));
  const sz = keep(tf.tensor1d(inputs.seed.z));
  const seed = (x: tf.Tensor, y: tf.Tensor) => x.mul(x).mul(y).mul(sz);
  const rosenGrad = tf.grad(rosenbrock);
  const mlpGrads = tf.grads(mlpLoss as (...xs: tf.Tensor[]) => tf.Tensor);
  const chainGrad = tf.grad(chain);
  const sinGrad2 = tf.grad(tf.grad((x: tf.Tensor) => x.sin()));
  const chainGrad2 = tf.grad(tf.grad(chain));
  const seedGrads = tf.grads(seed as (...xs: tf.Tensor[]) => tf.Tensor);
  const workloads: Partial<Record<WorkloadId, Impl>> = {
    'W1 rosenbrock n=10': impl(() => rosenbrock(r10), () => [rosenGrad(r10)]),
    'W1 rosenbrock n=1000': impl(() => rosenbrock(r1000), () => [rosenGrad(r1000)]),
    'W2 MLP 784-128-10 b64': impl(() => mlpLoss(params[0], params[1], params[2], params[3]), () => mlpGrads(params)),
    'W3 sin·cos·x 1e6': impl(() => chain(c6), () => [chainGrad(c6)]),
    'W4a sin″ (1 element)': impl(() => s1.sin(), () => [sinGrad2(s1)]),
    'W4b chain″ 1e4': impl(() => chain(c4), () => [chainGrad2(c4)]),
    'W5 seed x·x·y·z': impl(() => seed(sx, sy), () => seedGrads([sx, sy])),
  };
  const held = [r10, r1000, mx, my, ...params, c6, s1, c4, sx, sy, sz];
  return {
    name: `tfjs-${backend}`,
    workloads,
    missing: { 'W1 number code n=10': 'tensors only', 'W1 number code n=1000': 'tensors only' },
    release: () => held.forEach((t) => t.dispose()),
  };
}
