// Largest element over `axis` (every axis by default), as MindSpore's ReduceMax. The
// gradient is shared equally among tied maxima (as JAX does); NaN propagates.
import { extremeAxes } from '../kernels/reduce.js';
import { normAxes } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { div } from './div.js';
import { eqMask } from './eqMask.js';
import { mul } from './mul.js';
import { asTensor } from './operands.js';
import { RuleArgs, definePrimitive } from './primitive.js';
import { restoreReduced } from './restoreReduced.js';
import { Axis, sum } from './sum.js';

/** The reduction kernel shared by max and min. */
export function extreme(op: string, x: TensorLike, axis: Axis, keepDims: boolean, largest: boolean): Tensor {
  const t = asTensor(op, x);
  const axes = normAxes(op, axis, t.ndim);
  const { data, shape } = extremeAxes(op, t.data, t.shape, axes, t.dtype, largest);
  return Tensor.fromData(data, keepDims ? shape : t.shape.filter((_, i) => !axes.includes(i)), t.dtype);
}

/** max's and min's reverse rule: dy goes to the elements equal to the result, shared among ties. */
export function extremeVjp({ x, out, axis, keepDims }: RuleArgs, dy: Tensor): Tensor {
  const hits = eqMask(x, restoreReduced(out, x, axis, keepDims));
  return mul(hits, restoreReduced(div(dy, sum(hits, axis, keepDims)), x, axis, keepDims));
}

/** max's and min's forward rule: the mean tangent of the elements equal to the result. */
export function extremeJvp({ x, out, axis, keepDims }: RuleArgs, dx: Tensor): Tensor {
  const hits = eqMask(x, restoreReduced(out, x, axis, keepDims));
  return div(sum(mul(dx, hits), axis, keepDims), sum(hits, axis, keepDims));
}

/**
 * Largest element over `axis` (all axes by default).
 *
 * @example
 * ops.max(x, 1)
 */
export const max = definePrimitive({
  name: 'max',
  math: 'out = max_axis x;  dx = dy·[x = out] / #ties, broadcast back over the reduced axes',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: Axis, keepDims = false): Tensor => extreme('max', x, axis, keepDims, true),
  vjp: { x: extremeVjp },
  jvp: { x: extremeJvp },
  save: ['x', 'out'],
  domain: {
    ranges: { x: [-2, 2] },
    cases: [{ x: [5] }, { x: [2, 3], axis: 1 }, { x: [2, 3, 4], axis: [0, 2], keepDims: true }, { x: [3, 2], axis: -2 }],
  },
});
