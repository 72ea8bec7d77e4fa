// Elementwise square root; a float result. √ of a negative is NaN; the gradient at 0 is Infinity.
import { Tensor, TensorLike } from '../tensor.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * √x, elementwise.
 *
 * @example
 * ops.sqrt(new Tensor([4, 9]))   // [2. 3.]
 */
export const sqrt = definePrimitive({
  name: 'sqrt',
  math: 'out = √x;  dx = dy / (2·out)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('sqrt', x, 'sqrt'),
  number: { fn: Math.sqrt, syntax: 'Math.sqrt($0)' },
  vjp: { x: ({ out }, dy): Tensor => div(dy, mul(out, 2)) },
  jvp: { x: ({ out }, dx): Tensor => div(dx, mul(out, 2)) },
  save: ['out'],
  domain: { ranges: { x: [0.5, 3] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
