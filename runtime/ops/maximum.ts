// Ties send the gradient to the first operand.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { geMask } from './geMask.js';
import { sub } from './sub.js';
import { sumToLike } from './sumToLike.js';

/**
 * The larger of a and b, elementwise with broadcasting.
 *
 * @example
 * ops.maximum(x, 0)
 */
export const maximum = definePrimitive({
  name: 'maximum',
  math: 'out = Math.max(a, b);  da = dy·[a >= b], db = dy·[a >= b is false]',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b, 'maximum'),
  number: { fn: Math.max, syntax: 'Math.max($0, $1)' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(mul(dy, geMask(a, b)), a),
    b: ({ a, b }, dy): Tensor => sumToLike(mul(dy, sub(1, geMask(a, b))), b),
  },
  jvp: {
    a: ({ a, b }, da): Tensor => mul(da, geMask(a, b)),
    b: ({ a, b }, db): Tensor => mul(db, sub(1, geMask(a, b))),
  },
  save: ['a', 'b'],
  domain: { ranges: { a: [-2, 2], b: [-2, 2] }, cases: [{ a: [4], b: [4] }, { a: [2, 3], b: [3] }] },
});
