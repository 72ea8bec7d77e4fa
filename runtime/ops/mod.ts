// Remainder with the sign of the dividend, as JavaScript's `%` (C's fmod, MindSpore's
// fmod), not Python's floored `%`: mod(-7, 3) = -1. int32 % int32 stays int32 (x % 0 is
// NaN, stored as 0). Where it is smooth, out = a − b·trunc(a / b), so
// ∂out/∂b = −trunc(a / b) = (out − a) / b.
import { Tensor, TensorLike } from '../tensor.js';
import { broadcastLike } from './broadcastLike.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sub } from './sub.js';
import { sumToLike } from './sumToLike.js';

export const mod = definePrimitive({
  name: 'mod',
  math: 'out = a % b (sign of a);  da = dy, db = dy·(out − a) / b',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('mod', a, b, 'mod'),
  number: { fn: (a, b) => a % b, syntax: '$0 % $1' },
  vjp: {
    a: ({ a }, dy): Tensor => sumToLike(dy, a),
    b: ({ a, b, out }, dy): Tensor => sumToLike(mul(dy, div(sub(out, a), b)), b),
  },
  jvp: {
    a: ({ out }, da): Tensor => broadcastLike(da, out),
    b: ({ a, b, out }, db): Tensor => broadcastLike(mul(db, div(sub(out, a), b)), out),
  },
  save: ['a', 'b', 'out'],
  domain: { ranges: { a: [2.2, 2.6], b: [0.9, 1.05] }, cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }] },
});
