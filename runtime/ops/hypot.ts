// hypot(a, b) = √(a² + b²) without overflow, as Math.hypot of two numbers; a float result.
// Its gradient is undefined at a = b = 0 (0/0 there, as the math says).
import { floatOf } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { broadcastLike } from './broadcastLike.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

export const hypot = definePrimitive({
  name: 'hypot',
  math: 'out = √(a² + b²);  da = dy·a / out, db = dy·b / out',
  params: ['a', 'b'],
  shape: ['a', 'b'],
  elementwise: true,
  kernel: (a: TensorLike, b: TensorLike): Tensor => binaryOp('hypot', a, b, 'hypot', floatOf),
  number: { fn: (a, b) => Math.hypot(a, b), syntax: 'Math.hypot($0, $1)' },
  vjp: {
    a: ({ a, out }, dy): Tensor => sumToLike(div(mul(dy, a), out), a),
    b: ({ b, out }, dy): Tensor => sumToLike(div(mul(dy, b), out), b),
  },
  jvp: {
    a: ({ a, out }, da): Tensor => broadcastLike(div(mul(da, a), out), out),
    b: ({ b, out }, db): Tensor => broadcastLike(div(mul(db, b), out), out),
  },
  save: ['a', 'b', 'out'],
  domain: { ranges: { a: [0.5, 2], b: [-2, -0.5] }, cases: [{ a: [3], b: [3] }, { a: [2, 3], b: [3] }, { a: [], b: [] }] },
});
