// Elementwise a < b, with NumPy broadcasting; the result is bool_. NaN compares unequal to
// everything, as IEEE says. Comparisons are not differentiable.
import { bool_ } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * a < b, elementwise (bool).
 *
 * @example
 * ops.less(x, 0)
 */
export const less = definePrimitive({
  name: 'less',
  math: 'out = [a < b] (bool);  not differentiable',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b, 'less', () => bool_),
  save: [],
});
