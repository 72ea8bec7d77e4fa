// Smallest element over `axis` (every axis by default), as MindSpore's ReduceMin. The
// gradient is shared equally among tied minima; NaN propagates.
import { Tensor, TensorLike } from '../tensor.js';
import { extreme, extremeJvp, extremeVjp } from './max.js';
import { definePrimitive } from './primitive.js';
import { Axis } from './sum.js';

/**
 * Smallest element over `axis` (all axes by default).
 *
 * @example
 * ops.min(x)
 */
export const min = definePrimitive({
  name: 'min',
  math: 'out = min_axis x;  dx = dy·[x = out] / #ties, broadcast back over the reduced axes',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: Axis, keepDims = false): Tensor => extreme('min', x, axis, keepDims, false),
  vjp: { x: extremeVjp },
  jvp: { x: extremeJvp },
  save: ['x', 'out'],
  domain: {
    ranges: { x: [-2, 2] },
    cases: [{ x: [5] }, { x: [2, 3], axis: 0 }, { x: [2, 3, 4], axis: [1], keepDims: true }],
  },
});
