// Elementwise sine; a float result (int32 and bool become float32).
import { Tensor, TensorLike } from '../tensor.js';
import { cos } from './cos.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * sin x, elementwise.
 *
 * @example
 * ops.sin(new Tensor([0]))   // [0.]
 */
export const sin = definePrimitive({
  name: 'sin',
  math: 'out = sin(x);  dx = dy·cos(x)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('sin', x, 'sin'),
  number: { fn: Math.sin, syntax: 'Math.sin($0)' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, cos(x)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, cos(x)) },
  save: ['x'],
  domain: { ranges: { x: [-3, 3] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
