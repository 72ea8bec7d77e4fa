// Elementwise choice: x where `cond` is true (non-zero), else y, with NumPy broadcasting of
// all three; dtypes of x and y promote. Gradients flow only to the chosen operand.
import { promote } from '../dtype.js';
import { expandTo } from '../kernels/index.js';
import { broadcastShapes } from '../shape.js';
import { NestedArray, Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';
import { zerosLike } from './zerosLike.js';

/**
 * x where cond holds, else y, with broadcasting.
 *
 * @example
 * ops.where(ops.greater(x, 0), x, 0)
 */
export const where = definePrimitive({
  name: 'where',
  math: 'out = cond ? x : y;  dx = dy where cond, dy = dy where ¬cond (each summed back to its shape)',
  shape: ['cond', 'x', 'y'],
  elementwise: true,
  params: ['cond', 'x', 'y'],
  kernel: (cond: TensorLike | boolean | NestedArray, x: TensorLike, y: TensorLike): Tensor => {
    const c = Array.isArray(cond) ? new Tensor(cond) : asTensor('where', cond as TensorLike);
    const tx = asTensor('where', x, y instanceof Tensor ? y.dtype : undefined);
    const ty = asTensor('where', y, tx.dtype);
    const shape = broadcastShapes('where', broadcastShapes('where', c.shape, tx.shape), ty.shape);
    const dtype = promote(tx.dtype, ty.dtype);
    const cs = expandTo('where', c.data, c.shape, shape, c.dtype);
    const xs = expandTo('where', tx.data, tx.shape, shape, dtype);
    const ys = expandTo('where', ty.data, ty.shape, shape, dtype);
    const out = dtype.alloc(cs.length);
    for (let i = 0; i < out.length; i++) out[i] = cs[i] !== 0 ? xs[i] : ys[i];
    return Tensor.fromData(out, shape, dtype);
  },
  number: { fn: (c, x, y) => (c ? x : y), syntax: '($0 ? $1 : $2)' },
  vjp: {
    x: ({ cond, x }, dy): Tensor => sumToLike(where(cond, dy, 0), x),
    y: ({ cond, y }, dy): Tensor => sumToLike(where(cond, 0, dy), y),
  },
  jvp: {
    x: ({ cond, y }, dx): Tensor => where(cond, dx, zerosLike(y)),
    y: ({ cond, x }, dy): Tensor => where(cond, zerosLike(x), dy),
  },
  save: ['cond', 'x', 'y'],
  domain: {
    ranges: { x: [-2, 2], y: [-2, 2] },
    cases: [
      { cond: [true, false, true], x: [3], y: [3] },
      { cond: [[true], [false]], x: [2, 3], y: [3] },
      { cond: false, x: [], y: [2] },
    ],
  },
});
