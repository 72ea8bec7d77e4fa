// Elementwise a · b with NumPy broadcasting; dtypes promote (int32 · int32 stays int32).
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

/**
 * a · b, elementwise with broadcasting.
 *
 * @example
 * ops.mul(x, x)
 */
export const mul = definePrimitive({
  name: 'mul',
  math: 'out = a·b;  da = dy·b, db = dy·a (each summed back to its operand\'s shape)',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b, 'mul'),
  number: { fn: (a, b) => a * b, syntax: '$0 * $1' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(mul(dy, b), a),
    b: ({ a, b }, dy): Tensor => sumToLike(mul(dy, a), b),
  },
  jvp: {
    a: ({ b }, da): Tensor => mul(da, b),
    b: ({ a }, db): Tensor => mul(a, db),
  },
  save: ['a', 'b'],
  domain: {
    ranges: { a: [-2, 2], b: [-2, 2] },
    cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }, { a: [], b: [2, 2] }, { a: [4, 1], b: [1, 3] }],
  },
});
