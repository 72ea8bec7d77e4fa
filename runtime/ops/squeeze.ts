// `x` without size-1 axes: all of them, or those in `axis` (which must have size 1), as
// MindSpore's Squeeze. Shares the data.
import { fmt, normAxes } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';

/**
 * Size-1 axes removed (all, or those in `axis`).
 *
 * @example
 * ops.squeeze(ops.ones([1, 3, 1])).shape   // [3]
 */
export const squeeze = definePrimitive({
  name: 'squeeze',
  math: 'out = x without size-1 axes;  dx = reshapeLike(dy, x)',
  params: ['x', 'axis'],
  kernel: (x: TensorLike, axis?: number | readonly number[] | null): Tensor => {
    const t = asTensor('squeeze', x);
    const all = axis === undefined || axis === null;
    const axes = all ? [] : normAxes('squeeze', axis, t.ndim);
    for (const a of axes) {
      if (t.shape[a] !== 1) {
        throw new RangeError(`squeeze: axis ${a} of shape ${fmt(t.shape)} has size ${t.shape[a]}, expected 1`);
      }
    }
    const shape = t.shape.filter((d, i) => (all ? d !== 1 : !axes.includes(i)));
    return Tensor.fromData(t.data, shape, t.dtype);
  },
  vjp: { x: ({ x }, dy): Tensor => reshapeLike(dy, x) },
  jvp: { x: ({ axis }, dx): Tensor => squeeze(dx, axis) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [1, 3, 1] }, { x: [2, 1, 3], axis: 1 }, { x: [1, 1], axis: [0, -1] }] },
});
