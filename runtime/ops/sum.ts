// Sum over `axis` (every axis by default; negative axes count from the end), as MindSpore's
// ReduceSum. The dtype is kept (bool sums count in int32); accumulation is in float64.
import { Tensor, TensorLike } from '../tensor.js';
import { sumAll, sumAxes } from '../kernels/reduce.js';
import { DType } from '../dtype.js';
import { normAxes } from '../shape.js';
import { broadcastLike } from './broadcastLike.js';
import { arithmetic, asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { restoreReduced } from './restoreReduced.js';

export type Axis = number | readonly number[] | undefined | null;

/**
 * Sum over `axis` (all axes by default).
 *
 * @example
 * ops.sum(new Tensor([[1, 2], [3, 4]]), 1)   // [3. 7.]
 */
export const sum = definePrimitive({
  name: 'sum',
  math: 'out = Σ_axis x;  dx = dy broadcast back over the summed axes',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: Axis, keepDims = false): Tensor => {
    const t = asTensor('sum', x);
    const dtype = arithmetic(t.dtype);
    if (axis === undefined || axis === null) return sumEveryAxis(t, keepDims, dtype);
    const axes = normAxes('sum', axis, t.ndim);
    const { data, shape } = sumAxes(t.data, t.shape, axes, dtype);
    return Tensor.fromData(data, keepDims ? shape : t.shape.filter((_, i) => !axes.includes(i)), dtype);
  },
  vjp: { x: ({ x, axis, keepDims }, dy): Tensor => broadcastLike(restoreReduced(dy, x, axis, keepDims), x) },
  jvp: { x: ({ axis, keepDims }, dx): Tensor => sum(dx, axis, keepDims) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3] }, { x: [2, 3], axis: 1 }, { x: [2, 3, 4], axis: [0, 2], keepDims: true }, { x: [3], axis: -1 }] },
});

/** The sum of every element (`axis` left out): one run over the data, the value sumAxes gives. */
function sumEveryAxis(t: Tensor, keepDims: boolean, dtype: DType): Tensor {
  const out = dtype.alloc(1);
  out[0] = sumAll(t.data);
  return Tensor.fromData(out, keepDims ? t.shape.map(() => 1) : [], dtype);
}
