// A tensor of ones of `shape` (float32 unless `dtype` says). No tensor inputs: nothing to differentiate.
import { DType, float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';
import { alloc } from './shaped.js';

/**
 * Ones of `shape`.
 *
 * @example
 * ops.ones([2, 3])
 */
export const ones = definePrimitive({
  name: 'ones',
  math: 'out = 1 of the given shape;  no tensor inputs',
  params: ['shape', 'dtype'],
  kernel: (shape: readonly number[], dtype: DType | string = float32): Tensor => {
    const { data, dt } = alloc('ones', shape, dtype);
    data.fill(1);
    return Tensor.fromData(data, [...shape], dt);
  },
  vjp: {},
  jvp: {},
  save: [],
});
