// Helpers for the scalar path of generated gradient functions: when every tensor a call
// sees (inputs and the weights it reads) holds one float32 element, all of one shape,
// generated code computes in float32 arithmetic and wraps the numbers back into tensors.
// Both helpers run on every such call, so they allocate nothing they do not return.

import { float32 } from './dtype.js';
import { Tensor } from './tensor.js';

/**
 * True when `t` is a one-element float32 Tensor with the shape of `like` (a tensor this
 * check has already accepted, or `t` itself).
 */
export function isScalarF32(t: unknown, like: Tensor): boolean {
  if (!(t instanceof Tensor) || t.dtype !== float32 || t.data.length !== 1) return false;
  const shape = t.shape;
  const want = like.shape;
  if (shape.length !== want.length) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== want[i]) return false;
  return true;
}

/** `value` as a one-element float32 tensor with the shape of `like`. */
export function scalarTensor(value: number, like: Tensor): Tensor {
  const data = new Float32Array(1);
  data[0] = value;
  return Tensor.fromData(data, like.shape, float32);
}
