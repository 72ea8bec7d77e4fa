// Index of the smallest element along `axis` (of the flattened tensor when axis is
// undefined), int32, first occurrence on ties; a NaN counts as the smallest (NumPy).
import { Tensor, TensorLike } from '../tensor.js';
import { argExtremeOp } from './argmax.js';
import { definePrimitive } from './primitive.js';

export const argmin = definePrimitive({
  name: 'argmin',
  math: 'out = index of min along axis;  integer output: not differentiable',
  params: ['x', 'axis', 'keepDims'],
  kernel: (x: TensorLike, axis?: number | null, keepDims = false): Tensor => argExtremeOp('argmin', x, axis, keepDims, false),
  save: [],
});
