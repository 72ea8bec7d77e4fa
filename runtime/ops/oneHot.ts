// One-hot rows for integer labels (float32, shape [...labels.shape, depth]). Not differentiable.
import { float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { definePrimitive } from './primitive.js';

/** One-hot rows for integer labels: shape [...labels.shape, depth]. */
export const oneHot = definePrimitive({
  name: 'oneHot',
  math: 'out[…, k] = [labels[…] = k];  integer input: no gradient',
  params: ['labels', 'depth', 'onValue', 'offValue'],
  kernel: (labels: Tensor, depth: number, onValue = 1, offValue = 0): Tensor => {
    const out = float32.alloc(labels.size * depth);
    out.fill(offValue);
    for (let i = 0; i < labels.size; i++) {
      const k = labels.data[i];
      if (!Number.isInteger(k) || k < 0 || k >= depth) throw new RangeError(`oneHot: label ${k} at index ${i} is outside 0..${depth - 1}`);
      out[i * depth + k] = onValue;
    }
    return Tensor.fromData(out, [...labels.shape, depth], float32);
  },
  save: [],
});
