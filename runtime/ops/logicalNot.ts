// Elementwise logical not (zero is false); the result is bool_. Not differentiable.
import { bool_ } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { unaryOpTo } from './operands.js';
import { definePrimitive } from './primitive.js';

export const logicalNot = definePrimitive({
  name: 'logicalNot',
  math: 'out = ¬x (bool);  not differentiable',
  shape: 'x',
  params: ['x'],
  kernel: (x: TensorLike): Tensor => unaryOpTo('logicalNot', x, 'logicalNot', bool_),
  save: [],
});
