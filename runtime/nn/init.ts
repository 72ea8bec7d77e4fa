// Parameter initialisation as MindSpore 2.x documents it, drawn from the seeded generator
// (runtime/random.ts) so that `setSeed(n)` makes initial weights repeatable.

import { DType, float32 } from '../dtype.js';
import { random } from '../random.js';
import { Tensor } from '../tensor.js';

/** `size` values drawn uniformly from [low, high). */
function uniformData(size: number, low: number, high: number, dtype: DType): Tensor['data'] {
  const data = dtype.alloc(size);
  for (let i = 0; i < size; i++) data[i] = low + (high - low) * random();
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
