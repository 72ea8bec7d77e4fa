// Elementwise a >= b, with NumPy broadcasting; the result is bool_. NaN compares unequal to
// everything, as IEEE says. Comparisons are not differentiable.
import { bool_ } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const greaterEqual = definePrimitive({
  name: 'greaterEqual',
  math: 'out = [a ≥ b] (bool);  not differentiable',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b, 'greaterEqual', () => bool_),
  save: [],
});
