// A matmul operand as a matrix: a 1-D left operand becomes a row [1, k], a 1-D right
// operand a column [k, 1]; operands of rank ≥ 2 pass through. Used by matmul's rules.
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';

export const matmulOperand = definePrimitive({
  name: 'matmulOperand',
  math: 'out = x as a matrix (vector → row for side "left", column for "right");  dx = reshapeLike(dy, x)',
  params: ['x', 'side'],
  kernel: (x: TensorLike, side: 'left' | 'right'): Tensor => {
    const t = asTensor('matmulOperand', x);
    if (t.ndim !== 1) return t;
    return Tensor.fromData(t.data, side === 'left' ? [1, t.shape[0]] : [t.shape[0], 1], t.dtype);
  },
  vjp: { x: ({ x }, dy): Tensor => reshapeLike(dy, x) },
  jvp: { x: ({ side }, dx): Tensor => matmulOperand(dx, side) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [3], side: 'left' }, { x: [3], side: 'right' }, { x: [2, 3], side: 'left' }] },
});
