// Runtime benchmark: tsgrad ops against a hand-written typed-array loop doing the same
// work, side by side in one run. Workloads: an elementwise chain on 1e6 float32
// (sin(x)·cos(x)·x), a full reduction (sum of 1e6), and float32 matmul at 128, 256, 512
// in GFLOP/s. Every runtime result is checked against the hand loop before it is timed.
// Run: `npx tsc -p . && node dist/bench/runtime.js`.

import { pathToFileURL } from 'node:url';
import { Tensor } from '../runtime/tensor.js';
import { cos, matmul, mul, sin, sum } from '../runtime/ops/index.js';

/** Median milliseconds per call after warm-up, repeating for about `budgetMs`. */
function timeMs(run: () => unknown, budgetMs = 400): number {
  for (let i = 0; i < 3; i++) run();
  const t0 = performance.now();
  run();
  const once = Math.max(performance.now() - t0, 1e-3);
  const inner = Math.max(1, Math.floor(budgetMs / 11 / once));
  const samples: number[] = [];
  for (let s = 0; s < 11; s++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) run();
    samples.push((performance.now() - t) / inner);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

function randomArray(size: number, seed: number): Float32Array {
  const x = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

function check(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i])))) {
      throw new Error(`${name}: runtime and hand loop differ at ${i}: ${got[i]} vs ${want[i]}`);
    }
  }
}

interface Row {
  workload: string;
  unit: string;
  runtime: number;
  hand: number;
  /** true when a bigger number is better (GFLOP/s), false for milliseconds. */
  higherIsBetter: boolean;
}

function elementwise(): Row {
  const n = 1e6;
  const data = randomArray(n, 1);
  const x = Tensor.fromData(data, [n]);
  const runtime = () => mul(mul(sin(x), cos(x)), x);
  const hand = () => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = data[i];
      out[i] = Math.fround(Math.fround(Math.sin(v)) * Math.fround(Math.cos(v))) * v;
    }
    return out;
  };
  check('sin(x)·cos(x)·x', runtime().data, hand(), 1e-6);
  return { workload: 'sin(x)·cos(x)·x, 1e6 float32', unit: 'ms', runtime: timeMs(runtime), hand: timeMs(hand), higherIsBetter: false };
}

function reduction(): Row {
  const n = 1e6;
  const data = randomArray(n, 2);
  const x = Tensor.fromData(data, [n]);
  const runtime = () => sum(x);
  const hand = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i];
    return Math.fround(s);
  };
  check('sum', [runtime().item()], [hand()], 1e-6);
  return { workload: 'sum of 1e6 float32', unit: 'ms', runtime: timeMs(runtime), hand: timeMs(hand), higherIsBetter: false };
}

/** The plain i-k-j loop someone would write by hand. */
function handMatmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) out[i * n + j] += av * b[p * n + j];
    }
  }
  return out;
}

function matmulRow(size: number): Row {
  const a = randomArray(size * size, 3);
  const b = randomArray(size * size, 4);
  const ta = Tensor.fromData(a, [size, size]);
  const tb = Tensor.fromData(b, [size, size]);
  const runtime = () => matmul(ta, tb);
  const hand = () => handMatmul(a, b, size, size, size);
  check(`matmul ${size}`, runtime().data, hand(), 1e-4);
  const gflops = (ms: number) => (2 * size ** 3) / ms / 1e6;
  return {
    workload: `matmul ${size}×${size} float32`,
    unit: 'GFLOP/s',
    runtime: gflops(timeMs(runtime)),
    hand: gflops(timeMs(hand)),
    higherIsBetter: true,
  };
}

export function runRuntimeBench(): Row[] {
  const rows = [elementwise(), reduction(), matmulRow(128), matmulRow(256), matmulRow(512)];
  console.log(`## tsgrad runtime vs hand-written loops (node ${process.version}, ${process.arch}, one core)\n`);
  console.log('| workload | unit | runtime | hand loop | runtime / hand |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    const ratio = r.higherIsBetter ? r.hand / r.runtime : r.runtime / r.hand;
    console.log(`| ${r.workload} | ${r.unit} | ${r.runtime.toFixed(2)} | ${r.hand.toFixed(2)} | ${ratio.toFixed(2)}x time |`);
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runRuntimeBench();
