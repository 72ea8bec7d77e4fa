// Runtime benchmark: tsgrad ops against a hand-written typed-array loop doing the same
// work, side by side in one run. Workloads: an elementwise chain on 1e6 float32
// (sin(x)·cos(x)·x), a full reduction (sum of 1e6), and float32 matmul at 128, 256, 512
// in GFLOP/s. Every runtime result is checked against the hand loop before it is timed;
// the two are timed in alternating samples so that machine load falls on both alike.
// Run: `npx tsc -p . && node dist/bench/runtime.js`.

import { pathToFileURL } from 'node:url';
import { Tensor } from '../runtime/tensor.js';
import { cos, matmul, mul, sin, sum } from '../runtime/ops/index.js';

/**
 * Median milliseconds per call of two workloads, measured in alternating samples so that
 * load from other processes falls on both alike; about `budgetMs` in all.
 */
function timePair(a: () => unknown, b: () => unknown, budgetMs = 800): [number, number] {
  const inner = (run: () => unknown) => {
    for (let i = 0; i < 3; i++) run();
    const t0 = performance.now();
    run();
    return Math.max(1, Math.floor(budgetMs / 2 / 15 / Math.max(performance.now() - t0, 1e-3)));
  };
  const [na, nb] = [inner(a), inner(b)];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let s = 0; s < 15; s++) {
    let t = performance.now();
    for (let i = 0; i < na; i++) a();
    sa.push((performance.now() - t) / na);
    t = performance.now();
    for (let i = 0; i < nb; i++) b();
    sb.push((performance.now() - t) / nb);
  }
  const median = (x: number[]) => x.sort((p, q) => p - q)[x.length >> 1];
  return [median(sa), median(sb)];
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
  const [rt, hd] = timePair(runtime, hand);
  return { workload: 'sin(x)·cos(x)·x, 1e6 float32', unit: 'ms', runtime: rt, hand: hd, higherIsBetter: false };
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
  const [rt, hd] = timePair(runtime, hand);
  return { workload: 'sum of 1e6 float32', unit: 'ms', runtime: rt, hand: hd, higherIsBetter: false };
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
  const [rt, hd] = timePair(runtime, hand);
  return {
    workload: `matmul ${size}×${size} float32`,
    unit: 'GFLOP/s',
    runtime: gflops(rt),
    hand: gflops(hd),
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
