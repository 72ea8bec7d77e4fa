// Helpers for the scalar path of generated gradient functions: when every tensor a call
// sees (inputs and the weights it reads) holds one float32 element, all of one shape,
// generated code computes in float32 arithmetic and wraps the numbers back into tensors.
// Both helpers run on every such call, so they allocate nothing they do not return.

import { float32 } from './dtype.js';
import { Tensor } from './tensor.js';
import { float32Of } from './storage.js';

/**
 * True when `t` is a one-element float32 Tensor with the shape of `like` (a tensor this
 * check has already accepted, or `t` itself).
 */
export function isScalarF32(t: unknown, like: Tensor): boolean {
  // Every dimension of a one-element tensor is 1, so two of them have one shape exactly
  // when they have one rank. Kept this small so that V8 inlines it into the generated
  // dispatch at each of its call sites (its inlining budget is shared by all of them).
  return t instanceof Tensor && t.dtype === float32 && t.data.length === 1 && like.data.length === 1 && t.shape.length === like.shape.length;
}

/** `value` as a one-element float32 tensor with the shape of `like`. */
export function scalarTensor(value: number, like: Tensor): Tensor {
  return Tensor.fromData(float32Of(value), like.shape, float32);
}
