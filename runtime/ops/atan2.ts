// atan2(a, b): the angle of the point (b, a), as Math.atan2(y, x); always a float result.
import { floatOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { add } from './add.js';
import { broadcastLike } from './broadcastLike.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

export const atan2 = definePrimitive({
  name: 'atan2',
  math: 'out = atan2(a, b);  da = dy·b / (a² + b²), db = −dy·a / (a² + b²)',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('atan2', a, b, 'atan2', floatOf),
  number: { fn: Math.atan2, syntax: 'Math.atan2($0, $1)' },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(div(mul(dy, b), add(mul(a, a), mul(b, b))), a),
    b: ({ a, b }, dy): Tensor => sumToLike(neg(div(mul(dy, a), add(mul(a, a), mul(b, b)))), b),
  },
  jvp: {
    a: ({ a, b, out }, da): Tensor => broadcastLike(div(mul(da, b), add(mul(a, a), mul(b, b))), out),
    b: ({ a, b, out }, db): Tensor => broadcastLike(neg(div(mul(db, a), add(mul(a, a), mul(b, b)))), out),
  },
  save: ['a', 'b', 'out'],
  domain: { ranges: { a: [-2, 2], b: [0.5, 2] }, cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }, { a: [], b: [2] }] },
});
