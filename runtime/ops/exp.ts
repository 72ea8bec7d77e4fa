// Elementwise eˣ; a float result. Overflow gives Infinity, as IEEE says.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * eˣ, elementwise.
 *
 * @example
 * ops.exp(x)
 */
export const exp = definePrimitive({
  name: 'exp',
  math: 'out = eˣ;  dx = dy·out',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('exp', x, 'exp'),
  number: { fn: Math.exp, syntax: 'Math.exp($0)' },
  vjp: { x: ({ out }, dy): Tensor => mul(dy, out) },
  jvp: { x: ({ out }, dx): Tensor => mul(dx, out) },
  save: ['out'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
