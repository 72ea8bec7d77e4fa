// jax-js 0.1 as a peer on its `wasm` device, eager and under `jit` (which fuses chains of
// elementwise ops into one WebAssembly kernel). jax-js counts references: every use of an
// array but the last takes `.ref`, and results are read back with `dataSync`.
import { defaultDevice, grad, init, jit, numpy as np } from '@jax-js/jax';
import { Impl, Peer, WorkloadId, flat, inputs } from '../harness.js';

type Arr = np.Array;

let ready = false;
async function useWasm(): Promise<void> {
  if (ready) return;
  const devices = await init('wasm');
  if (!devices.includes('wasm')) throw new Error(`jax-js: no wasm device (got ${devices.join(', ')})`);
  defaultDevice('wasm');
  ready = true;
}

function rosenbrock(x: Arr): Arr {
  const n = x.shape[0];
  const head = x.ref.slice([0, n - 1]);
  const tail = x.slice([1, n]);
  const a = tail.sub(np.square(head.ref));
  const b = np.subtract(1, head);
  return np.sum(np.square(a).mul(100).add(np.square(b)));
}

const chain = (x: Arr): Arr => np.sum(np.sin(x.ref).mul(np.cos(x.ref)).mul(x));
const sine = (x: Arr): Arr => np.sum(np.sin(x));

type Params = { w1: Arr; b1: Arr; w2: Arr; b2: Arr };

export async function jaxPeer(mode: 'eager' | 'jit'): Promise<Peer> {
  await useWasm();
  const wrap = mode === 'jit' ? <F>(f: F): F => jit(f as never) as F : <F>(f: F): F => f;
  const arr = (d: Float32Array, shape: number[]) => np.array(d.slice()).reshape(shape);
  const r10 = arr(inputs.rosen10, [10]);
  const r1000 = arr(inputs.rosen1000, [1000]);
  const m = inputs.mlp;
  const mx = arr(m.x, [64, 784]);
  const my = arr(m.y, [64, 10]);
  const params: Params = { w1: arr(m.w1, [128, 784]), b1: arr(m.b1, [128]), w2: arr(m.w2, [10, 128]), b2: arr(m.b2, [10]) };
  const c6 = arr(inputs.chain1e6, [1e6]);
  const s1 = arr(inputs.sin1, [1]);
  const c4 = arr(inputs.chain1e4, [1e4]);
  const sx = arr(inputs.seed.x, [1]);
  const sy = arr(inputs.seed.y, [1]);
  const sz = arr(inputs.seed.z, [1]);

  const mlpLoss = (p: Params, x: Arr, y: Arr): Arr => {
    const h = np.maximum(np.matmul(x, p.w1.transpose()).add(p.b1), 0);
    const o = np.matmul(h, p.w2.transpose()).add(p.b2);
    return np.mean(np.square(o.sub(y)));
  };
  const seed = ([x, y]: [Arr, Arr], z: Arr): Arr => np.sum(x.ref.mul(x).mul(y).mul(z));
  const ref = (p: Params): Params => ({ w1: p.w1.ref, b1: p.b1.ref, w2: p.w2.ref, b2: p.b2.ref });

  const f = {
    rosen: wrap(rosenbrock),
    rosenGrad: wrap(grad(rosenbrock)),
    mlp: wrap(mlpLoss),
    mlpGrad: wrap(grad(mlpLoss)),
    chain: wrap(chain),
    chainGrad: wrap(grad(chain)),
    sine: wrap((x: Arr) => np.sin(x)),
    sineGrad2: wrap(grad((x: Arr) => np.sum(grad(sine)(x)))),
    chainGrad2: wrap(grad((x: Arr) => np.sum(grad(chain)(x)))),
    seed: wrap((x: Arr, y: Arr, z: Arr) => x.ref.mul(x).mul(y).mul(z)),
    seedGrad: wrap(grad(seed)),
  };
  const read = (a: Arr | Arr[]): Float32Array[] => (Array.isArray(a) ? a : [a]).map((t) => t.dataSync() as Float32Array);
  const impl = (forward: () => Arr, gradient: () => Arr | Arr[]): Impl => ({
    forward: () => read(forward()),
    gradient: () => read(gradient()),
    values: () => flat(read(gradient())),
  });
  const mlpGradient = (): Arr[] => {
    const g = f.mlpGrad(ref(params), mx.ref, my.ref) as unknown as Params;
    return [g.w1, g.b1, g.w2, g.b2];
  };
  const workloads: Partial<Record<WorkloadId, Impl>> = {
    'W1 rosenbrock n=10': impl(() => f.rosen(r10.ref), () => f.rosenGrad(r10.ref)),
    'W1 rosenbrock n=1000': impl(() => f.rosen(r1000.ref), () => f.rosenGrad(r1000.ref)),
    'W2 MLP 784-128-10 b64': impl(() => f.mlp(ref(params), mx.ref, my.ref), mlpGradient),
    'W3 sin·cos·x 1e6': impl(() => f.chain(c6.ref), () => f.chainGrad(c6.ref)),
    'W4a sin″ (1 element)': impl(() => f.sine(s1.ref), () => f.sineGrad2(s1.ref)),
    'W4b chain″ 1e4': impl(() => f.chain(c4.ref), () => f.chainGrad2(c4.ref)),
    'W5 seed x·x·y·z': impl(() => f.seed(sx.ref, sy.ref, sz.ref), () => f.seedGrad([sx.ref, sy.ref], sz.ref) as unknown as Arr[]),
  };
  const held = [r10, r1000, mx, my, params.w1, params.b1, params.w2, params.b2, c6, s1, c4, sx, sy, sz];
  return {
    name: mode === 'jit' ? 'jax-js jit' : 'jax-js eager',
    workloads,
    missing: { 'W1 number code n=10': 'tensors only', 'W1 number code n=1000': 'tensors only' },
    release: () => held.forEach((t) => t.dispose()),
  };
}
