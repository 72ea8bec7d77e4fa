// Elementwise −x, keeping the dtype (bool counts as int32).
import { Tensor, TensorLike } from '../tensor.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * −x, elementwise.
 *
 * @example
 * ops.neg(x)
 */
export const neg = definePrimitive({
  name: 'neg',
  math: 'out = -x;  dx = -dy',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('neg', x, 'neg'),
  number: { fn: (v) => -v, syntax: '-$0' },
  vjp: { x: (_p, dy): Tensor => neg(dy) },
  jvp: { x: (_p, dx): Tensor => neg(dx) },
  save: [],
  domain: { ranges: { x: [-3, 3] }, cases: [{ x: [4] }, { x: [] }] },
});
