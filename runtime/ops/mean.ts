// Mean over `axis` (every axis by default; negative axes count from the end), as MindSpore's
// ReduceMean; always a float result (int32 and bool become float32).
import { Tensor, TensorLike } from '../tensor.js';
import { floatOf } from '../dtype.js';
import { normAxes } from '../shape.js';
import { broadcastLike } from './broadcastLike.js';
import { div } from './div.js';
import { restoreReduced } from './restoreReduced.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reducedCount } from './reducedCount.js';
import { sum, Axis } from './sum.js';

/**
 * Mean over `axis` (all axes by default).
 *
 * @example
 * ops.mean(x, -1, true)
 */
export const mean = definePrimitive({
  name: 'mean',
  math: 'out = Σ_axis x / n;  dx = dy / n broadcast back over the reduced axes',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: Axis, keepDims = false): Tensor => {
    const t = asTensor('mean', x);
    const n = normAxes('mean', axis, t.ndim).reduce((acc, a) => acc * t.shape[a], 1);
    const s = sum.spec.kernel(t, axis, keepDims) as Tensor;
    const dtype = floatOf(t.dtype);
    const data = dtype.alloc(s.size);
    for (let i = 0; i < data.length; i++) data[i] = s.data[i] / n;
    return Tensor.fromData(data, s.shape, dtype);
  },
  vjp: { x: ({ x, axis, keepDims }, dy): Tensor => div(broadcastLike(restoreReduced(dy, x, axis, keepDims), x), reducedCount(x, axis)) },
  jvp: { x: ({ x, axis, keepDims }, dx): Tensor => mean(dx, axis, keepDims) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3] }, { x: [2, 3], axis: 0 }, { x: [2, 3, 4], axis: [1, 2], keepDims: true }] },
});
