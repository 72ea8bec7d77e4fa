// A tensor of zeros of `shape` (float32 unless `dtype` says). No tensor inputs: nothing to differentiate.
import { DType, float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';
import { alloc } from './shaped.js';

/**
 * Zeros of `shape`.
 *
 * @example
 * ops.zeros([2], int32)
 */
export const zeros = definePrimitive({
  name: 'zeros',
  math: 'out = 0 of the given shape;  no tensor inputs',
  params: ['shape', 'dtype'],
  kernel: (shape: readonly number[], dtype: DType | string = float32): Tensor => {
    const { data, dt } = alloc('zeros', shape, dtype);
    return Tensor.fromData(data, [...shape], dt);
  },
  vjp: {},
  jvp: {},
  save: [],
});
