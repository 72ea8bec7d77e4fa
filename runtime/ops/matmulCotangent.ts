// A matmul output (or its cotangent) with the axes a vector operand dropped put back as
// size 1, so that it multiplies the operands seen as matrices. Used by matmul's rules.
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';

export const matmulCotangent = definePrimitive({
  name: 'matmulCotangent',
  math: 'out = g with the vector axes of matmul(a, b) restored as size 1;  dg = reshapeLike(dy, g)',
  params: ['g', 'a', 'b'],
  kernel: (g: TensorLike, a: TensorLike, b: TensorLike): Tensor => {
    const tg = asTensor('matmulCotangent', g);
    const aRank = asTensor('matmulCotangent', a).ndim;
    const bRank = asTensor('matmulCotangent', b).ndim;
    const shape = [...tg.shape];
    if (aRank === 1) shape.splice(bRank === 1 ? shape.length : shape.length - 1, 0, 1);
    if (bRank === 1) shape.push(1);
    return Tensor.fromData(tg.data, shape, tg.dtype);
  },
  vjp: { g: ({ g }, dy): Tensor => reshapeLike(dy, g) },
  jvp: { g: ({ a, b }, dg): Tensor => matmulCotangent(dg, a, b) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], a: [0, 1], b: [0, 1] }, cases: [{ g: [2], a: [3], b: [3, 2] }, { g: [2, 4], a: [2, 3], b: [3, 4] }] },
});
