// `x` repeated to `shape` by NumPy broadcasting; a -1 in `shape` keeps x's size there
// (MindSpore's BroadcastTo).
import { expandTo } from '../kernels/index.js';
import { fmt } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

/**
 * `x` broadcast to `shape`.
 *
 * @example
 * ops.broadcastTo(new Tensor([1, 2]), [3, 2])
 */
export const broadcastTo = definePrimitive({
  name: 'broadcastTo',
  math: 'out = x broadcast to shape;  dx = sumToLike(dy, x)',
  params: ['x', 'shape'],
  kernel: (x: TensorLike, shape: readonly number[]): Tensor => {
    const t = asTensor('broadcastTo', x);
    if (!Array.isArray(shape) || shape.length < t.ndim) {
      throw new RangeError(`broadcastTo: cannot broadcast shape ${fmt(t.shape)} to ${Array.isArray(shape) ? fmt(shape) : String(shape)}`);
    }
    const offset = shape.length - t.ndim;
    const target = shape.map((d, i) => (d === -1 && i >= offset ? t.shape[i - offset] : d));
    return Tensor.fromData(expandTo('broadcastTo', t.data, t.shape, target, t.dtype), target, t.dtype);
  },
  vjp: { x: ({ x }, dy): Tensor => sumToLike(dy, x) },
  jvp: { x: ({ shape }, dx): Tensor => broadcastTo(dx, shape) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [3], shape: [2, 3] }, { x: [2, 1], shape: [2, 4] }, { x: [], shape: [3] }, { x: [2, 1], shape: [3, -1, 2] }] },
});
