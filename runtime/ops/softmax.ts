// softmax(x) along `axis` (default -1), computed stably as exp(logSoftmax(x)); a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { exp } from './exp.js';
import { logSoftmax } from './logSoftmax.js';
import { mul } from './mul.js';
import { definePrimitive } from './primitive.js';
import { sub } from './sub.js';
import { sum } from './sum.js';

/**
 * softmax along `axis` (default -1).
 *
 * @example
 * ops.softmax(logits)
 */
export const softmax = definePrimitive({
  name: 'softmax',
  math: 'out = eˣ / Σ eˣ;  dx = out·(dy − Σ dy·out)',
  shape: 'x',
  params: ['x', 'axis'],
  kernel: (x: TensorLike, axis = -1): Tensor => exp.spec.kernel(logSoftmax.spec.kernel(x, axis)),
  vjp: { x: ({ out, axis }, dy): Tensor => mul(out, sub(dy, sum(mul(dy, out), axis ?? -1, true))) },
  jvp: { x: ({ out, axis }, dx): Tensor => mul(out, sub(dx, sum(mul(dx, out), axis ?? -1, true))) },
  save: ['out'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3] }, { x: [4], axis: 0 }] },
});
