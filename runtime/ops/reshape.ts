// `x` with a new shape of the same size (one -1 is inferred), sharing the data.
import { Tensor, TensorLike } from '../tensor.js';
import { fmt } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';

/**
 * `x` with a new shape of the same size (one -1 inferred).
 *
 * @example
 * ops.reshape(ops.ones([2, 3]), [3, -1]).shape   // [3, 2]
 */
export const reshape = definePrimitive({
  name: 'reshape',
  math: 'out = x with shape s;  dx = reshapeLike(dy, x)',
  params: ['x', 'shape'],
  kernel: (x: TensorLike, shape: readonly number[]): Tensor => {
    const t = asTensor('reshape', x);
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const holes = shape.filter((d) => d === -1).length;
    if (holes > 1) throw new RangeError(`reshape: expected at most one -1 in the shape, got ${fmt(shape)}`);
    const target = shape.map((d) => (d === -1 ? t.size / known : d));
    if (holes > 1 || target.some((d) => !Number.isInteger(d) || d < 0) || target.reduce((a, b) => a * b, 1) !== t.size) {
      throw new RangeError(`reshape: cannot reshape ${fmt(t.shape)} (${t.size} elements) to ${fmt(shape)}`);
    }
    return Tensor.fromData(t.data, target, t.dtype);
  },
  vjp: { x: ({ x }, dy): Tensor => reshapeLike(dy, x) },
  jvp: { x: ({ shape }, dx): Tensor => reshape(dx, shape) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3], shape: [3, 2] }, { x: [6], shape: [2, -1] }] },
});
