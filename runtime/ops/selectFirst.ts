import { promote } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/** 1 where `a cmp b` holds (cmp is '>=' or '<='), else 0: the mask maximum/minimum route gradients by. */
export const selectFirst = definePrimitive({
  name: 'selectFirst',
  math: 'out = [a cmp b];  piecewise constant: no gradient',
  params: ['a', 'b', 'cmp'],
  kernel: (a: TensorLike, b: TensorLike, cmp: '>=' | '<='): Tensor =>
    binaryOp('selectFirst', a, b, cmp === '>=' ? (x, y) => (x >= y ? 1 : 0) : (x, y) => (x <= y ? 1 : 0), (d) => promote(d, d)),
  vjp: {},
  jvp: {},
  save: [],
});
