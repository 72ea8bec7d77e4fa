// Uniform draws on [low, high) of `shape` from the seeded source (setSeed makes them
// repeatable). No tensor inputs: nothing to differentiate.
import { DType, float32 } from '../dtype.js';
import { random } from '../random.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';
import { alloc } from './shaped.js';

/**
 * Uniform draws on [low, high) of `shape` (repeatable with setSeed).
 *
 * @example
 * ops.uniform([3], -1, 1)
 */
export const uniform = definePrimitive({
  name: 'uniform',
  math: 'out ~ U[low, high) of the given shape, from the seeded source;  no tensor inputs',
  params: ['shape', 'low', 'high', 'dtype'],
  kernel: (shape: readonly number[], low = 0, high = 1, dtype: DType | string = float32): Tensor => {
    const { data, dt } = alloc('uniform', shape, dtype);
    for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * random();
    return Tensor.fromData(data, [...shape], dt);
  },
  vjp: {},
  jvp: {},
  save: [],
});
