// Standard normal draws of `shape` from the seeded source (setSeed makes them repeatable).
// No tensor inputs: nothing to differentiate.
import { DType, float32 } from '../dtype.js';
import { normal } from '../random.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';
import { alloc } from './shaped.js';

/**
 * Standard normal draws of `shape` (repeatable with setSeed).
 *
 * @example
 * setSeed(0); ops.randn([2, 3])
 */
export const randn = definePrimitive({
  name: 'randn',
  math: 'out ~ N(0, 1) of the given shape, from the seeded source;  no tensor inputs',
  params: ['shape', 'dtype'],
  kernel: (shape: readonly number[], dtype: DType | string = float32): Tensor => {
    const { data, dt } = alloc('randn', shape, dtype);
    for (let i = 0; i < data.length; i++) data[i] = normal();
    return Tensor.fromData(data, [...shape], dt);
  },
  vjp: {},
  jvp: {},
  save: [],
});
