// Elementwise hyperbolic cosine; a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { sinh } from './sinh.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const cosh = definePrimitive({
  name: 'cosh',
  math: 'out = cosh x;  dx = dy·sinh x',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('cosh', x, 'cosh'),
  number: { fn: Math.cosh, syntax: 'Math.cosh($0)' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, sinh(x)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, sinh(x)) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
