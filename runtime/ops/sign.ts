// Elementwise sign (−1, 0, 1; NaN stays NaN). Piecewise constant: zero gradient.
import { Tensor, TensorLike } from '../tensor.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const sign = definePrimitive({
  name: 'sign',
  math: 'out = sign(x);  piecewise constant: no gradient',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('sign', x, 'sign'),
  number: { fn: Math.sign, syntax: 'Math.sign($0)' },
  vjp: {},
  jvp: {},
  save: [],
});
