// Smallest element over `axis` (every axis by default), as MindSpore's ReduceMin. The
// gradient is shared equally among tied minima; NaN propagates.
import { Tensor, TensorLike } from '../tensor.js';
import { div } from './div.js';
import { eqMask } from './eqMask.js';
import { extreme } from './max.js';
import { mul } from './mul.js';
import { definePrimitive } from './primitive.js';
import { restoreReduced } from './restoreReduced.js';
import { Axis, sum } from './sum.js';

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
  vjp: {
    x: ({ x, out, axis, keepDims }, dy): Tensor => {
      const hits = eqMask(x, restoreReduced(out, x, axis, keepDims));
      return mul(hits, restoreReduced(div(dy, sum(hits, axis, keepDims)), x, axis, keepDims));
    },
  },
  jvp: {
    x: ({ x, out, axis, keepDims }, dx): Tensor => {
      const hits = eqMask(x, restoreReduced(out, x, axis, keepDims));
      return div(sum(mul(dx, hits), axis, keepDims), sum(hits, axis, keepDims));
    },
  },
  save: ['x', 'out'],
  domain: {
    ranges: { x: [-2, 2] },
    cases: [{ x: [5] }, { x: [2, 3], axis: 0 }, { x: [2, 3, 4], axis: [1], keepDims: true }],
  },
});
