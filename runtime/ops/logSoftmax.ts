// log(softmax(x)) along `axis` (default -1), computed stably (max subtracted first); a float result.
import { floatOf } from '../dtype.js';
import { normAxis } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sub } from './sub.js';
import { sum } from './sum.js';

/**
 * log softmax along `axis` (default -1), computed stably.
 *
 * @example
 * ops.logSoftmax(logits, -1)
 */
export const logSoftmax = definePrimitive({
  name: 'logSoftmax',
  math: 'out = x − log Σ eˣ;  dx = dy − eᵒᵘᵗ·Σ dy',
  shape: 'x',
  params: ['x', 'axis'],
  kernel: (x: TensorLike, axis = -1): Tensor => {
    const t = asTensor('logSoftmax', x);
    const ax = normAxis('logSoftmax', axis, t.ndim);
    const dtype = floatOf(t.dtype);
    const out = dtype.alloc(t.size);
    const n = t.shape[ax];
    const inner = t.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    const outer = t.size / (n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let m = -Infinity;
        for (let j = 0; j < n; j++) m = Math.max(m, t.data[base + j * inner]);
        let s = 0;
        for (let j = 0; j < n; j++) s += Math.exp(t.data[base + j * inner] - m);
        const lse = m + Math.log(s);
        for (let j = 0; j < n; j++) out[base + j * inner] = t.data[base + j * inner] - lse;
      }
    }
    return Tensor.fromData(out, [...t.shape], dtype);
  },
  vjp: { x: ({ out, axis }, dy): Tensor => sub(dy, mul(exp(out), sum(dy, axis ?? -1, true))) },
  jvp: { x: ({ out, axis }, dx): Tensor => sub(dx, sum(mul(exp(out), dx), axis ?? -1, true)) },
  save: ['out'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3] }, { x: [4], axis: 0 }, { x: [2, 3], axis: 0 }] },
});
