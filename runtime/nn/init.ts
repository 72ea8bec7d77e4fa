// Parameter initialisation as MindSpore 2.x documents it, drawn from a seeded generator so
// that `setSeed(n)` makes initial weights repeatable.
//
// TEMPORARY: the generator below stands in for runtime/random.ts (`setSeed`, `uniform`)
// until it lands; then `uniformData` switches to it and `setInitSeed` goes away.

import { DType, float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';

let state = 0x9e3779b9;

/** Reseeds the stand-in generator (temporary; `setSeed` replaces it). */
export function setInitSeed(seed: number): void {
  state = seed >>> 0;
}

/** mulberry32: a small, fast, seeded uniform generator on [0, 1). */
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** `size` values drawn uniformly from [low, high). */
function uniformData(size: number, low: number, high: number, dtype: DType): Tensor['data'] {
  const data = dtype.alloc(size);
  for (let i = 0; i < size; i++) data[i] = low + (high - low) * next();
  return data;
}

/** A tensor of `shape` drawn uniformly from [-bound, bound). */
export function uniformInit(shape: readonly number[], bound: number, dtype: DType = float32): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return Tensor.fromData(uniformData(size, -bound, bound, dtype), [...shape], dtype);
}

/**
 * HeUniform(negative_slope = a) for a weight of shape [out, in, ...]: uniform on ±bound with
 * bound = √3 · gain / √fanIn, gain = √(2 / (1 + a²)). With a = √5 (Dense's default),
 * bound = 1/√fanIn.
 */
export function heUniform(shape: readonly number[], negativeSlope: number, dtype: DType = float32): Tensor {
  const gain = Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
  const bound = (Math.sqrt(3) * gain) / Math.sqrt(fanIn(shape));
  return uniformInit(shape, bound, dtype);
}

/** The fan-in of a weight of shape [out, in, ...receptive field]. */
export function fanIn(shape: readonly number[]): number {
  if (shape.length < 2) return shape[0] ?? 1;
  return shape.slice(1).reduce((a, b) => a * b, 1);
}
