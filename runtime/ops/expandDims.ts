// `x` with a new axis of size 1 at `axis` (-ndim-1 … ndim; negative counts from the end
// of the result), as MindSpore's ExpandDims. Shares the data.
import { fmt } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';

/**
 * A size-1 axis inserted at `axis`.
 *
 * @example
 * ops.expandDims(ops.ones([3]), 0).shape   // [1, 3]
 */
export const expandDims = definePrimitive({
  name: 'expandDims',
  math: 'out = x with a size-1 axis inserted at axis;  dx = reshapeLike(dy, x)',
  params: ['x', 'axis'],
  kernel: (x: TensorLike, axis: number): Tensor => {
    const t = asTensor('expandDims', x);
    const rank = t.ndim + 1;
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
      throw new RangeError(`expandDims: axis ${axis} is out of range for a tensor of shape ${fmt(t.shape)} (expected -${rank} to ${rank - 1})`);
    }
    const at = axis < 0 ? axis + rank : axis;
    const shape = [...t.shape];
    shape.splice(at, 0, 1);
    return Tensor.fromData(t.data, shape, t.dtype);
  },
  vjp: { x: ({ x }, dy): Tensor => reshapeLike(dy, x) },
  jvp: { x: ({ axis }, dx): Tensor => expandDims(dx, axis) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [3], axis: 0 }, { x: [2, 3], axis: -1 }, { x: [], axis: 0 }] },
});
