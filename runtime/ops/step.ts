// Elementwise [x > 0] (1 or 0), the mask relu routes its gradient by. Piecewise constant: zero gradient.
import { Tensor, TensorLike } from '../tensor.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

export const step = definePrimitive({
  name: 'step',
  math: 'out = [x > 0];  piecewise constant: no gradient',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('step', x, 'step'),
  number: { fn: (v) => (v > 0 ? 1 : 0), syntax: '($0 > 0 ? 1 : 0)' },
  vjp: {},
  jvp: {},
  save: [],
});
