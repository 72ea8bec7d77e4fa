// Matrix-multiply benchmark: GFLOP/s of plain JS loops against the WebAssembly SIMD kernel
// (plain, A·Bᵀ, Aᵀ·B) at 128, 256 and 512, then the small-size crossover and the W2 MLP
// shapes, and last the wasm elementwise kernels against plain loops. Every kernel's result is checked against a float64 reference before it is timed.
// Run: `npx tsc -p . && node dist/bench/matmul.js`.

import { pathToFileURL } from 'node:url';
import { binaryF32, matmulF32, unaryF32, wasmAvailable } from '../runtime/kernels/wasm/index.js';

type Kernel = (a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number) => void;

/** out = A·B with the i-k-j loop order (unit stride over B and out). */
export function naiveIkj(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[row + j] += av * b[bRow + j];
    }
  }
}

/** i-k-j with four k steps per pass over the output row: a quarter of the out traffic. */
export function unrolledIkj(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    const ai = i * k;
    for (let p = 0; p < k4; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        out[row + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (let p = k4; p < k; p++) {
      const av = a[ai + p];
      for (let j = 0; j < n; j++) out[row + j] += av * b[p * n + j];
    }
  }
}

/** Row-major transpose of an r×c matrix (used to feed the transposed variants). */
function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}

function randomMatrix(size: number, seed: number): Float32Array {
  const x = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  }
  return out;
}

/** A case times `run`, which computes A·B from the stored operands `a`, `b`. */
interface Case {
  name: string;
  prepare: (a: Float32Array, b: Float32Array, m: number, k: number, n: number) => Kernel;
}

const cases: Case[] = [
  { name: 'JS naive i-k-j', prepare: () => naiveIkj },
  { name: 'JS unrolled i-k-j', prepare: () => unrolledIkj },
  { name: 'wasm A·B', prepare: () => (a, b, out, m, k, n) => matmulF32(a, b, out, m, k, n) },
  {
    name: 'wasm A·Bᵀ',
    prepare: (_a, b, _m, k, n) => {
      const bt = transpose(b, k, n);
      return (a, _b, out, m) => matmulF32(a, bt, out, m, k, n, { transB: true });
    },
  },
  {
    name: 'wasm Aᵀ·B',
    prepare: (a, _b, m, k) => {
      const at = transpose(a, m, k);
      return (_a, b, out, _m, _k, n) => matmulF32(at, b, out, m, k, n, { transA: true });
    },
  },
];

/** Median milliseconds per call after warm-up, repeating for about `budgetMs`. */
function timeMs(run: () => void, budgetMs = 300): number {
  for (let i = 0; i < 3; i++) run();
  const t0 = performance.now();
  run();
  const once = Math.max(performance.now() - t0, 1e-3);
  const inner = Math.max(1, Math.floor(budgetMs / 15 / once));
  const samples: number[] = [];
  for (let s = 0; s < 15; s++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) run();
    samples.push((performance.now() - t) / inner);
  }
  samples.sort((x, y) => x - y);
  return samples[samples.length >> 1];
}

function checkClose(name: string, got: Float32Array, want: Float64Array, k: number): void {
  const tol = 1e-5 * k;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`${name}: wrong result at ${i}: ${got[i]} vs ${want[i]}`);
  }
}

/** GFLOP/s of every case at each square size. */
function squareTable(sizes: number[]): void {
  console.log(`| kernel | ${sizes.map((s) => `${s}³ GFLOP/s`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---:').join('|')}|`);
  const rows = cases.map((c) => [c.name]);
  for (const s of sizes) {
    const a = randomMatrix(s * s, 1);
    const b = randomMatrix(s * s, 2);
    const want = reference(a, b, s, s, s);
    cases.forEach((c, ci) => {
      const run = c.prepare(a, b, s, s, s);
      const out = new Float32Array(s * s);
      run(a, b, out, s, s, s);
      checkClose(c.name, out, want, s);
      const ms = timeMs(() => run(a, b, out, s, s, s));
      rows[ci].push(((2 * s ** 3) / ms / 1e6).toFixed(2));
    });
  }
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

/** µs per call of the best JS loop and the wasm kernel for small and MLP-shaped products. */
function shapeTable(shapes: [number, number, number, string][]): void {
  console.log('| m×k·k×n | JS i-k-j µs | JS unrolled µs | wasm µs | wasm speed-up |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [m, k, n, note] of shapes) {
    const a = randomMatrix(m * k, 3);
    const b = randomMatrix(k * n, 4);
    const out = new Float32Array(m * n);
    const js = timeMs(() => naiveIkj(a, b, out, m, k, n), 150) * 1e3;
    const un = timeMs(() => unrolledIkj(a, b, out, m, k, n), 150) * 1e3;
    const w = timeMs(() => matmulF32(a, b, out, m, k, n), 150) * 1e3;
    const label = `${m}×${k}·${k}×${n}${note ? ` (${note})` : ''}`;
    console.log(`| ${label} | ${js.toFixed(2)} | ${un.toFixed(2)} | ${w.toFixed(2)} | ${(Math.min(js, un) / w).toFixed(1)}x |`);
  }
}

/** Plain loops as runtime/kernels/elementwise.ts builds them: one monomorphic loop per op. */
const plainUnary: Record<'sin' | 'cos' | 'exp' | 'tanh', (x: Float32Array, out: Float32Array) => void> = {
  sin: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.sin(x[i]); },
  cos: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.cos(x[i]); },
  exp: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.exp(x[i]); },
  tanh: (x, out) => { for (let i = 0; i < out.length; i++) out[i] = Math.tanh(x[i]); },
};
const plainBinary: Record<'add' | 'mul', (a: Float32Array, b: Float32Array, out: Float32Array) => void> = {
  add: (a, b, out) => { for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i]; },
  mul: (a, b, out) => { for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i]; },
};

/** ms per call over n float32 elements: plain JS loop against the f32x4 kernel. */
function elementwiseTable(sizes: number[]): void {
  console.log(`| op | ${sizes.map((n) => `n=${n} JS µs | wasm µs`).join(' | ')} |`);
  console.log(`|---|${sizes.map(() => '---:|---:').join('|')}|`);
  for (const name of ['sin', 'cos', 'exp', 'tanh', 'add', 'mul'] as const) {
    const cells: string[] = [];
    for (const n of sizes) {
      const x = randomMatrix(n, 5).map((v) => v * 8);
      const y = randomMatrix(n, 6);
      const out = new Float32Array(n);
      const [js, w] =
        name === 'add' || name === 'mul'
          ? [timeMs(() => plainBinary[name](x, y, out), 150), timeMs(() => binaryF32(name, x, y, out), 150)]
          : [timeMs(() => plainUnary[name](x, out), 150), timeMs(() => unaryF32(name, x, out), 150)];
      cells.push(`${(js * 1e3).toFixed(2)} | ${(w * 1e3).toFixed(2)}`);
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

export function runMatmulBench(): void {
  if (!wasmAvailable()) {
    console.log('WebAssembly SIMD is not available: nothing to compare.');
    return;
  }
  console.log(`## matmul, float32, one core (node ${process.version}, ${process.arch})\n`);
  squareTable([128, 256, 512]);
  console.log('\n## small sizes and the W2 MLP shapes (batch 64, 784-128-10)\n');
  shapeTable([
    [2, 2, 2, ''], [4, 4, 4, ''], [8, 8, 8, ''], [16, 16, 16, ''], [24, 24, 24, ''],
    [32, 32, 32, ''], [48, 48, 48, ''], [64, 64, 64, ''],
    [1, 256, 256, 'vector·matrix'], [256, 256, 1, 'matrix·vector'],
    [64, 784, 128, 'X·W1'], [64, 128, 10, 'H·W2'],
  ]);
  console.log('\n## elementwise float32: plain JS loop vs f32x4 kernel\n');
  elementwiseTable([16, 1000, 1_000_000]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runMatmulBench();
