// Elementwise aᵇ with broadcasting, as JavaScript's `**`. int32 ** int32 stays int32 (a negative
// exponent truncates toward zero, where NumPy would raise). ∂/∂b needs a > 0 (ln a).
import { Tensor, TensorLike } from '../tensor.js';
import { broadcastLike } from './broadcastLike.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sub } from './sub.js';
import { sumToLike } from './sumToLike.js';

/**
 * aᵇ, elementwise with broadcasting.
 *
 * @example
 * ops.pow(x, 2)
 */
export const pow = definePrimitive({
  name: 'pow',
  math: 'out = aᵇ;  da = dy·b·aᵇ⁻¹, db = dy·out·ln a',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('pow', a, b, 'pow'),
  number: { fn: (a, b) => a ** b, syntax: '$0 ** $1' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(mul(dy, mul(b, pow(a, sub(b, 1)))), a),
    b: ({ a, b, out }, dy): Tensor => sumToLike(mul(dy, mul(out, log(a))), b),
  },
  jvp: {
    a: ({ a, b, out }, da): Tensor => broadcastLike(mul(da, mul(b, pow(a, sub(b, 1)))), out),
    b: ({ a, out }, db): Tensor => broadcastLike(mul(db, mul(out, log(a))), out),
  },
  save: ['a', 'b', 'out'],
  domain: { ranges: { a: [0.5, 2], b: [-2, 2] }, cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [] }] },
});
