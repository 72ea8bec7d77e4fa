// How many elements of `x` each output of a reduction over `axis` gathers: a plain number,
// constant in x (used by mean's rule).
import { Tensor, TensorLike } from '../tensor.js';
import { normAxes } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import type { Axis } from './sum.js';

/** How many elements of `x` each output of a reduction over `axis` gathers (a constant). */
export const reducedCount = definePrimitive({
  name: 'reducedCount',
  math: 'out = Π of x\'s sizes over axis;  constant: no gradient',
  params: ['x', 'axis'],
  kernel: (x: TensorLike, axis?: Axis): number => {
    const t = asTensor('reducedCount', x);
    return normAxes('reducedCount', axis, t.ndim).reduce((acc, a) => acc * t.shape[a], 1);
  },
  vjp: {},
  jvp: {},
  save: [],
});
