// Elementwise ln(1 + x), accurate near 0 (Math.log1p); a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const log1p = definePrimitive({
  name: 'log1p',
  math: 'out = ln(1 + x);  dx = dy / (1 + x)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('log1p', x, 'log1p'),
  number: { fn: Math.log1p, syntax: 'Math.log1p($0)' },
  vjp: { x: ({ x }, dy): Tensor => div(dy, add(x, 1)) },
  jvp: { x: ({ x }, dx): Tensor => div(dx, add(x, 1)) },
  save: ['x'],
  domain: { ranges: { x: [0, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
