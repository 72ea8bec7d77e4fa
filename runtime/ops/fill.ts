// A tensor of `shape` filled with `value` (float32 unless `dtype` says). No tensor inputs.
import { DType, float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';
import { alloc } from './shaped.js';

export const fill = definePrimitive({
  name: 'fill',
  math: 'out = value of the given shape;  no tensor inputs',
  params: ['shape', 'value', 'dtype'],
  kernel: (shape: readonly number[], value: number, dtype: DType | string = float32): Tensor => {
    const { data, dt } = alloc('fill', shape, dtype);
    data.fill(value);
    return Tensor.fromData(data, [...shape], dt);
  },
  vjp: {},
  jvp: {},
  save: [],
});
