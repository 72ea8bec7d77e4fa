// Elementwise tangent; a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * tan x, elementwise.
 *
 * @example
 * ops.tan(x)
 */
export const tan = definePrimitive({
  name: 'tan',
  math: 'out = tan x;  dx = dy·(1 + out²)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('tan', x, 'tan'),
  number: { fn: Math.tan, syntax: 'Math.tan($0)' },
  vjp: { x: ({ out }, dy): Tensor => mul(dy, add(mul(out, out), 1)) },
  jvp: { x: ({ out }, dx): Tensor => mul(dx, add(mul(out, out), 1)) },
  save: ['out'],
  domain: { ranges: { x: [-1, 1] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
