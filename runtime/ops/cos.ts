// Elementwise cosine; a float result (int32 and bool become float32).
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sin } from './sin.js';

/**
 * cos x, elementwise.
 *
 * @example
 * ops.cos(x)
 */
export const cos = definePrimitive({
  name: 'cos',
  math: 'out = cos(x);  dx = -dy·sin(x)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('cos', x, 'cos'),
  number: { fn: Math.cos, syntax: 'Math.cos($0)' },
  vjp: { x: ({ x }, dy): Tensor => neg(mul(dy, sin(x))) },
  jvp: { x: ({ x }, dx): Tensor => neg(mul(dx, sin(x))) },
  save: ['x'],
  domain: { ranges: { x: [-3, 3] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
