// Division always gives a float result: int32 ÷ int32 is float32, as in NumPy's true divide.
import { floatOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { broadcastLike } from './broadcastLike.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

/**
 * a / b, elementwise with broadcasting; always a float result.
 *
 * @example
 * ops.div(new Tensor([1, 3], int32), 2)   // [0.5 1.5]
 */
export const div = definePrimitive({
  name: 'div',
  math: 'out = a / b;  da = dy / b, db = −dy·out / b',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('div', a, b, 'div', floatOf),
  number: { fn: (a, b) => a / b, syntax: '$0 / $1' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(div(dy, b), a),
    b: ({ b, out }, dy): Tensor => sumToLike(neg(div(mul(dy, out), b)), b),
  },
  jvp: {
    a: ({ b, out }, da): Tensor => broadcastLike(div(da, b), out),
    b: ({ b, out }, db): Tensor => broadcastLike(neg(div(mul(db, out), b)), out),
  },
  save: ['a', 'b', 'out'],
  domain: { ranges: { a: [-2, 2], b: [0.5, 2] }, cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }, { a: [], b: [2, 2] }] },
});
