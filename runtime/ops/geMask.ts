// 1 where a >= b, else 0, in the operands' float dtype: the mask maximum and minimum route
// their gradients by (ties go to the first operand). Piecewise constant: zero gradient.
import { floatOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const geMask = definePrimitive({
  name: 'geMask',
  math: 'out = [a ≥ b] (1 or 0);  piecewise constant: no gradient',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('geMask', a, b, 'greaterEqual', floatOf),
  number: { fn: (a, b) => (a >= b ? 1 : 0), syntax: '($0 >= $1 ? 1 : 0)' },
  vjp: {},
  jvp: {},
  save: [],
});
