// 1 where a = b, else 0, in the operands' float dtype: the mask max/min reductions route
// their gradients by. Piecewise constant: zero gradient.
import { floatOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const eqMask = definePrimitive({
  name: 'eqMask',
  math: 'out = [a = b] (1 or 0);  piecewise constant: no gradient',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('eqMask', a, b, 'equal', floatOf),
  number: { fn: (a, b) => (a === b ? 1 : 0), syntax: '($0 === $1 ? 1 : 0)' },
  vjp: {},
  jvp: {},
  save: [],
});
