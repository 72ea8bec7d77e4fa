// Elementwise hyperbolic sine; a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { cosh } from './cosh.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const sinh = definePrimitive({
  name: 'sinh',
  math: 'out = sinh x;  dx = dy·cosh x',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('sinh', x, 'sinh'),
  number: { fn: Math.sinh, syntax: 'Math.sinh($0)' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, cosh(x)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, cosh(x)) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
