// Elementwise arctangent; a float result (int32 and bool become float32).
import { Tensor, TensorLike } from '../tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const atan = definePrimitive({
  name: 'atan',
  math: 'out = atan x;  dx = dy / (1 + x²)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('atan', x, 'atan'),
  number: { fn: Math.atan, syntax: 'Math.atan($0)' },
  vjp: { x: ({ x }, dy): Tensor => div(dy, add(mul(x, x), 1)) },
  jvp: { x: ({ x }, dx): Tensor => div(dx, add(mul(x, x), 1)) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
