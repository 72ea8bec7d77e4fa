// Elementwise eˣ − 1, accurate near 0 (Math.expm1); a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const expm1 = definePrimitive({
  name: 'expm1',
  math: 'out = eˣ − 1;  dx = dy·(out + 1)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('expm1', x, 'expm1'),
  number: { fn: Math.expm1, syntax: 'Math.expm1($0)' },
  vjp: { x: ({ out }, dy): Tensor => mul(dy, add(out, 1)) },
  jvp: { x: ({ out }, dx): Tensor => mul(dx, add(out, 1)) },
  save: ['out'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
