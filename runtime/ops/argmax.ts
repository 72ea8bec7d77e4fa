// Index of the largest element along `axis` (of the flattened tensor when axis is
// undefined), int32, first occurrence on ties; a NaN counts as the largest (NumPy).
import { argExtreme } from '../kernels/reduce.js';
import { normAxis } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { int32 } from '../dtype.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/** The kernel shared by argmax and argmin. */
export function argExtremeOp(op: string, x: TensorLike, axis: number | undefined | null, keepDims: boolean, largest: boolean): Tensor {
  const t = asTensor(op, x);
  if (axis === undefined || axis === null) {
    const { data } = argExtreme(op, t.data, [t.size], 0, largest);
    return Tensor.fromData(data, keepDims ? t.shape.map(() => 1) : [], int32);
  }
  const ax = normAxis(op, axis, t.ndim);
  const { data, shape } = argExtreme(op, t.data, t.shape, ax, largest);
  return Tensor.fromData(data, keepDims ? shape : t.shape.filter((_, i) => i !== ax), int32);
}

/**
 * Index of the largest element along `axis`.
 *
 * @example
 * ops.argmax(new Tensor([1, 5, 2]))   // 1
 */
export const argmax = definePrimitive({
  name: 'argmax',
  math: 'out = index of max along axis;  integer output: not differentiable',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: number | null, keepDims = false): Tensor => argExtremeOp('argmax', x, axis, keepDims, true),
  save: [],
});
