// Elementwise 1 / (1 + e⁻ˣ), computed without overflow for large |x|; a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * 1 / (1 + e⁻ˣ), elementwise.
 *
 * @example
 * ops.sigmoid(new Tensor([0]))   // [0.5]
 */
export const sigmoid = definePrimitive({
  name: 'sigmoid',
  math: 'out = 1/(1+e⁻ˣ);  dx = dy·out·(1 − out)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('sigmoid', x, 'sigmoid'),
  number: { fn: (v) => 1 / (1 + Math.exp(-v)), syntax: '1 / (1 + Math.exp(-$0))' },
  vjp: { x: ({ out }, dy): Tensor => mul(dy, mul(out, sub(1, out))) },
  jvp: { x: ({ out }, dx): Tensor => mul(dx, mul(out, sub(1, out))) },
  save: ['out'],
  domain: { ranges: { x: [-3, 3] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
