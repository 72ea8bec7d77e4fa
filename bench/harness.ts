// The benchmark's shared ground: the workloads' inputs (one seeded generator, so every
// peer sees the same float32 numbers), the timer (median of repeats after warm-up), the
// gradient check every peer passes before it is timed, and number formatting.

/** The workloads, in table order. `number` rows are plain-number code; peers without it skip them. */
export const workloadIds = [
  'W1 rosenbrock n=10',
  'W1 rosenbrock n=1000',
  'W1 number code n=10',
  'W1 number code n=1000',
  'W2 MLP 784-128-10 b64',
  'W3 sin·cos·x 1e6',
  'W4a sin″ (1 element)',
  'W4b chain″ 1e4',
  'W5 seed x·x·y·z',
] as const;
export type WorkloadId = (typeof workloadIds)[number];

/** One workload as a peer runs it: forward only, forward+gradient, and the gradient's values. */
export interface Impl {
  forward(): unknown;
  gradient(): unknown;
  /** The gradient's values, flattened in a fixed order (for the check). */
  values(): ArrayLike<number>;
}

export interface Peer {
  readonly name: string;
  /** Called before this peer's workloads are timed (a backend switch, a JIT warm-up). */
  activate?(): Promise<void>;
  readonly workloads: Partial<Record<WorkloadId, Impl>>;
  /** Why a workload is missing, shown in its cell. */
  readonly missing?: Partial<Record<WorkloadId, string>>;
  release?(): void;
}

/** Uniform float32 numbers in [lo, hi) from a 32-bit LCG: the same inputs everywhere. */
export function uniform(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const x = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return x;
}

/** The inputs of every workload. */
export const inputs = {
  rosen10: uniform(10, 1, -1.5, 1.5),
  rosen1000: uniform(1000, 2, -1.5, 1.5),
  mlp: {
    x: uniform(64 * 784, 3, 0, 1),
    y: uniform(64 * 10, 4, 0, 1),
    w1: uniform(128 * 784, 5, -1 / 28, 1 / 28),
    b1: uniform(128, 6, -1 / 28, 1 / 28),
    w2: uniform(10 * 128, 7, -1 / Math.sqrt(128), 1 / Math.sqrt(128)),
    b2: uniform(10, 8, -1 / Math.sqrt(128), 1 / Math.sqrt(128)),
  },
  chain1e6: uniform(1e6, 9, -3, 3),
  sin1: new Float32Array([0.7]),
  chain1e4: uniform(1e4, 10, -3, 3),
  seed: { x: new Float32Array([3]), y: new Float32Array([5]), z: new Float32Array([1]) },
};

export interface Timing {
  /** Median milliseconds per call. */
  ms: number;
  samples: number;
}

/** Median milliseconds per call: warm up, then repeat in batches for about `budgetMs`. */
export function timeMs(run: () => unknown, budgetMs = 300): Timing {
  let t0 = performance.now();
  let warm = 0;
  while (warm < 3 || performance.now() - t0 < budgetMs / 3) {
    run();
    warm++;
  }
  t0 = performance.now();
  run();
  const once = Math.max(performance.now() - t0, 1e-4);
  const samples = Math.max(5, Math.min(15, Math.floor(budgetMs / once)));
  const inner = Math.max(1, Math.floor(budgetMs / samples / once));
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) run();
    times.push((performance.now() - t) / inner);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], samples };
}

/** The largest difference relative to the reference's scale; throws nothing. */
export function gradientError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  let err = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(1e-6, Math.abs(want[i]) + 1e-3 * scale);
    if (!(d <= err)) err = Number.isNaN(d) ? Infinity : Math.max(err, d);
  }
  return err;
}

/** `1.23 ms`, `45 µs`, `0.21 µs`, `1.2 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(ms >= 0.001 ? 3 : 2)} µs`;
}

/** `×12`, `×0.5`: how many times faster tsgrad is. */
export function formatRatio(r: number): string {
  if (r >= 100) return `×${Math.round(r)}`;
  if (r >= 10) return `×${r.toFixed(0)}`;
  return `×${r.toPrecision(2)}`;
}

/** Concatenates gradient arrays in order. */
export function flat(parts: ArrayLike<number>[]): Float64Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) out[o + i] = p[i];
    o += p.length;
  }
  return out;
}
