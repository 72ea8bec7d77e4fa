// Helpers for the scalar path of generated gradient functions: when every tensor of a
// call holds one float32 element (all the same shape), generated code computes in
// float32 arithmetic and wraps the numbers back into tensors.

import { float32 } from './dtype.js';
import { sameShape } from './shape.js';
import { Tensor } from './tensor.js';

/** True when every value is a one-element float32 Tensor and all have the same shape. */
export function scalarF32(values: readonly unknown[]): boolean {
  const first = values[0];
  if (!(first instanceof Tensor)) return false;
  for (const t of values) {
    if (!(t instanceof Tensor) || t.size !== 1 || t.dtype !== float32 || !sameShape(t.shape, first.shape)) return false;
  }
  return true;
}

/** Each number as a float32 tensor with the shape of the matching tensor. */
export function scalarGrads(values: readonly number[], likes: readonly Tensor[]): Tensor[] {
  return values.map((v, i) => {
    const data = new Float32Array(1);
    data[0] = v;
    return Tensor.fromData(data, [...likes[i].shape], float32);
  });
}
