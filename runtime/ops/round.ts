// Rounding to `decimals` places, half to even, as NumPy's around; the sign of zero is kept.
import { Tensor, TensorLike } from '../tensor.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

function roundHalfEven(v: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = v * f;
  let r = Math.round(scaled);
  if (Math.abs(scaled % 1) === 0.5 && r % 2 !== 0) r -= 1;
  const out = r / f;
  return out === 0 ? (v < 0 || Object.is(v, -0) ? -0 : 0) : out;
}

export const round = definePrimitive({
  name: 'round',
  math: 'out = x rounded to `decimals` places;  piecewise constant: no gradient',
  params: ['x', 'decimals'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike, decimals = 0): Tensor => unarySameOp('round', x, (v) => roundHalfEven(v, decimals)),
  vjp: {},
  jvp: {},
  save: [],
});
