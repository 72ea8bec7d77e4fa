// Elementwise a + b with NumPy broadcasting; dtypes promote (int32 + int32 stays int32).
import { Tensor, TensorLike } from '../tensor.js';
import { broadcastLike } from './broadcastLike.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

/**
 * a + b, elementwise with broadcasting.
 *
 * @example
 * ops.add(new Tensor([[1, 2]]), new Tensor([10, 20]))   // [[11. 22.]]
 */
export const add = definePrimitive({
  name: 'add',
  math: 'out = a + b;  da = dy, db = dy (each summed back to its operand\'s shape)',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b, 'add'),
  number: { fn: (a, b) => a + b, syntax: '$0 + $1' },
  vjp: {
    a: ({ a }, dy): Tensor => sumToLike(dy, a),
    b: ({ b }, dy): Tensor => sumToLike(dy, b),
  },
  // A tangent of one operand reaches the output broadcast to the output's shape.
  jvp: {
    a: ({ b }, da): Tensor => broadcastLike(da, b),
    b: ({ a }, db): Tensor => broadcastLike(db, a),
  },
  save: [],
  domain: {
    ranges: { a: [-2, 2], b: [-2, 2] },
    cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }, { a: [], b: [2, 2] }],
  },
});
