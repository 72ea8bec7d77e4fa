// The hand-written peer: typed-array loops with hand-derived gradients, what a careful
// person writes without any library. The "ratio to hand-written" column divides by these.
import { Impl, Peer, WorkloadId, inputs } from '../harness.js';

function rosenbrock(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

/** ∂/∂x_i: −400·x_i·(x_{i+1} − x_i²) − 2·(1 − x_i) from term i, 200·(x_i − x_{i−1}²) from term i−1. */
function rosenbrockGrad(x: Float32Array, g: Float32Array): [number, Float32Array] {
  let s = 0;
  g[0] = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] = 200 * a;
  }
  return [s, g];
}

function rosenbrockTensor(data: Float32Array): Impl {
  const x = data.slice();
  return {
    forward: () => rosenbrock(x),
    gradient: () => rosenbrockGrad(x, new Float32Array(x.length)),
    values: () => rosenbrockGrad(x, new Float32Array(x.length))[1],
  };
}

// The number[] versions are separate functions so that V8 sees one array kind in each
// (sharing one function between Float32Array and number[] makes both polymorphic).
function rosenbrockArray(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

function rosenbrockArrayGrad(x: number[]): [number, number[]] {
  const g = new Array<number>(x.length).fill(0);
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
    g[i] += -400 * x[i] * a - 2 * b;
    g[i + 1] = 200 * a;
  }
  return [s, g];
}

function rosenbrockNumbers(data: Float32Array): Impl {
  const x = Array.from(data);
  return {
    forward: () => rosenbrockArray(x),
    gradient: () => rosenbrockArrayGrad(x),
    values: () => rosenbrockArrayGrad(x)[1],
  };
}

/** out[m, n] = a[m, k] · b[n, k]ᵀ (+ bias[n]). */
function matmulNT(a: Float32Array, b: Float32Array, m: number, k: number, n: number, bias: Float32Array | null, out: Float32Array): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      const ai = i * k;
      const bj = j * k;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      out[i * n + j] = s;
    }
  }
}

/** out[n, k] = a[m, n]ᵀ · b[m, k]. */
function matmulTN(a: Float32Array, b: Float32Array, m: number, n: number, k: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const aij = a[i * n + j];
      if (aij === 0) continue;
      const oj = j * k;
      const bi = i * k;
      for (let p = 0; p < k; p++) out[oj + p] += aij * b[bi + p];
    }
  }
}

/** out[m, k] = a[m, n] · b[n, k]. */
function matmulNN(a: Float32Array, b: Float32Array, m: number, n: number, k: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const aij = a[i * n + j];
      const oi = i * k;
      const bj = j * k;
      for (let p = 0; p < k; p++) out[oi + p] += aij * b[bj + p];
    }
  }
}

function mlp(): Impl {
  const { x, y, w1, b1, w2, b2 } = inputs.mlp;
  const B = 64, I = 784, H = 128, O = 10;
  const forward = (): number => {
    const h = new Float32Array(B * H);
    matmulNT(x, w1, B, I, H, b1, h);
    for (let i = 0; i < h.length; i++) if (h[i] < 0) h[i] = 0;
    const o = new Float32Array(B * O);
    matmulNT(h, w2, B, H, O, b2, o);
    let s = 0;
    for (let i = 0; i < o.length; i++) s += (o[i] - y[i]) ** 2;
    return s / o.length;
  };
  const gradient = (): Float32Array[] => {
    const h = new Float32Array(B * H);
    matmulNT(x, w1, B, I, H, b1, h);
    for (let i = 0; i < h.length; i++) if (h[i] < 0) h[i] = 0;
    const o = new Float32Array(B * O);
    matmulNT(h, w2, B, H, O, b2, o);
    const dO = new Float32Array(B * O);
    for (let i = 0; i < o.length; i++) dO[i] = (2 * (o[i] - y[i])) / o.length;
    const dW2 = new Float32Array(O * H);
    matmulTN(dO, h, B, O, H, dW2);
    const db2 = new Float32Array(O);
    for (let i = 0; i < B; i++) for (let j = 0; j < O; j++) db2[j] += dO[i * O + j];
    const dH = new Float32Array(B * H);
    matmulNN(dO, w2, B, O, H, dH);
    for (let i = 0; i < dH.length; i++) if (h[i] <= 0) dH[i] = 0;
    const dW1 = new Float32Array(H * I);
    matmulTN(dH, x, B, H, I, dW1);
    const db1 = new Float32Array(H);
    for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) db1[j] += dH[i * H + j];
    return [dW1, db1, dW2, db2];
  };
  return { forward, gradient, values: () => flatten(gradient()) };
}

function flatten(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** d/dx[sin x·cos x·x] = sin x·cos x + x·(cos²x − sin²x). */
function chain(data: Float32Array): Impl {
  const x = data.slice();
  const forward = (): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += Math.sin(x[i]) * Math.cos(x[i]) * x[i];
    return s;
  };
  const gradient = (): Float32Array => {
    const g = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const s = Math.sin(x[i]);
      const c = Math.cos(x[i]);
      g[i] = s * c + x[i] * (c * c - s * s);
    }
    return g;
  };
  return { forward, gradient, values: gradient };
}

/** d²/dx²[sin x·cos x·x] = 2·cos 2x − 2x·sin 2x (the gradient of the sum of the first derivative). */
function chainSecond(data: Float32Array): Impl {
  const x = data.slice();
  const gradient = (): Float32Array => {
    const g = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) g[i] = 2 * Math.cos(2 * x[i]) - 2 * x[i] * Math.sin(2 * x[i]);
    return g;
  };
  return { forward: chain(x).forward, gradient, values: gradient };
}

/**
 * A one-element Float32Array of `v`, made the fast way: `new` and a store. V8 runs
 * `Float32Array.of(v)` at twice the cost (0.060 against 0.030 µs), which would leave the
 * one-element workloads' hand-written side slower than a careful author writes it.
 */
function one(v: number): Float32Array {
  const a = new Float32Array(1);
  a[0] = v;
  return a;
}

function sineSecond(): Impl {
  const x = inputs.sin1.slice();
  return {
    forward: () => one(Math.sin(x[0])),
    gradient: () => one(-Math.sin(x[0])),
    values: () => one(-Math.sin(x[0])),
  };
}

/** The seed: f = x·x·y·z; ∂f/∂x = 2·x·y·z, ∂f/∂y = x²·z. */
function seed(): Impl {
  const { x, y, z } = inputs.seed;
  const gradient = (): [Float32Array, Float32Array] => [one(2 * x[0] * y[0] * z[0]), one(x[0] * x[0] * z[0])];
  return {
    forward: () => one(x[0] * x[0] * y[0] * z[0]),
    gradient,
    values: () => flatten(gradient()),
  };
}

export function handPeer(): Peer {
  const workloads: Partial<Record<WorkloadId, Impl>> = {
    'W1 rosenbrock n=10': rosenbrockTensor(inputs.rosen10),
    'W1 rosenbrock n=1000': rosenbrockTensor(inputs.rosen1000),
    'W1 number code n=10': rosenbrockNumbers(inputs.rosen10),
    'W1 number code n=1000': rosenbrockNumbers(inputs.rosen1000),
    'W2 MLP 784-128-10 b64': mlp(),
    'W3 sin·cos·x 1e6': chain(inputs.chain1e6),
    'W4a sin″ (1 element)': sineSecond(),
    'W4b chain″ 1e4': chainSecond(inputs.chain1e4),
    'W5 seed x·x·y·z': seed(),
  };
  return { name: 'hand-written', workloads };
}
