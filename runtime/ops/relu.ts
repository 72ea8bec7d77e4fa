// Elementwise max(x, 0), keeping the dtype; NaN stays NaN. The gradient at 0 is 0 (MindSpore's ReluGrad).
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { step } from './step.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * max(x, 0), elementwise.
 *
 * @example
 * ops.relu(new Tensor([-1, 2]))   // [0. 2.]
 */
export const relu = definePrimitive({
  name: 'relu',
  math: 'out = max(x, 0);  dx = dy·[x > 0]',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('relu', x, 'relu'),
  number: { fn: (v) => (v > 0 || v !== v ? v : 0), syntax: '($0 > 0 || $0 !== $0 ? $0 : 0)' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, step(x)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, step(x)) },
  save: ['x'],
  domain: { ranges: { x: [0.2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
