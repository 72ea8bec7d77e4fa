// Central finite differences in float64, and the tensor plumbing gradient checks need.

import { Tensor, float64 } from '../../runtime/index.js';
import { Rng } from './rng.js';

/** A float64 tensor of `shape` with values drawn uniformly from [low, high). */
export function randomTensor(rng: Rng, shape: readonly number[], low = -1, high = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(rng.array(size, low, high), float64, { shape });
}

/** Σ aᵢ·bᵢ over two tensors of one shape (or numbers). */
export function dot(a: Tensor | number, b: Tensor | number): number {
  const da = typeof a === 'number' ? [a] : a.data;
  const db = typeof b === 'number' ? [b] : b.data;
  if (da.length !== db.length) throw new Error(`dot: sizes differ (${da.length} vs ${db.length})`);
  let s = 0;
  for (let i = 0; i < da.length; i++) s += da[i] * db[i];
  return s;
}

/** x + h·e, elementwise, in float64. */
export function step(x: Tensor, e: Tensor, h: number): Tensor {
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] + h * e.data[i];
  return Tensor.fromData(out, [...x.shape], float64);
}

/** The directional derivative of f at x along e: (f(x + h·e) − f(x − h·e)) / 2h, per element. */
export function centralDifference(f: (x: Tensor) => Tensor, x: Tensor, e: Tensor, h = 1e-6): Float64Array {
  const plus = f(step(x, e, h));
  const minus = f(step(x, e, -h));
  const out = new Float64Array(plus.size);
  for (let i = 0; i < out.length; i++) out[i] = (plus.data[i] - minus.data[i]) / (2 * h);
  return out;
}

/** Largest |a − b| relative to max(1, |b|), over two arrays of one length. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
