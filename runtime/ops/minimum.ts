// Ties send the gradient to the first operand.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { geMask } from './geMask.js';
import { sub } from './sub.js';
import { sumToLike } from './sumToLike.js';

/**
 * The smaller of a and b, elementwise with broadcasting.
 *
 * @example
 * ops.minimum(x, 1)
 */
export const minimum = definePrimitive({
  name: 'minimum',
  math: 'out = Math.min(a, b);  da = dy·[a <= b], db = dy·[a <= b is false]',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b, 'minimum'),
  number: { fn: Math.min, syntax: 'Math.min($0, $1)' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(mul(dy, geMask(b, a)), a),
    b: ({ a, b }, dy): Tensor => sumToLike(mul(dy, sub(1, geMask(b, a))), b),
  },
  jvp: {
    a: ({ a, b }, da): Tensor => mul(da, geMask(b, a)),
    b: ({ a, b }, db): Tensor => mul(db, sub(1, geMask(b, a))),
  },
  save: ['a', 'b'],
  domain: { ranges: { a: [-2, 2], b: [-2, 2] }, cases: [{ a: [4], b: [4] }, { a: [2, 3], b: [3] }] },
});
