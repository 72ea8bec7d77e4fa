// Zeros shaped like concat(tensors, axis) with `g` at piece `index`: concatPiece's adjoint.
import { padBox } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { concatPiece, pieceBox } from './concatPiece.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

export const concatPad = definePrimitive({
  name: 'concatPad',
  math: 'out = zeros like concat(tensors) with g at piece index;  dg = concatPiece(dy, tensors, axis, index)',
  params: ['g', 'tensors', 'axis', 'index'],
  kernel: (g: TensorLike, tensors: readonly TensorLike[], axis: number, index: number): Tensor => {
    const tg = asTensor('concatPad', g);
    const { begin, size, shape } = pieceBox('concatPad', tensors, axis, index);
    return Tensor.fromData(padBox(tg.data, shape, begin, size, tg.dtype), shape, tg.dtype);
  },
  vjp: { g: ({ tensors, axis, index }, dy): Tensor => concatPiece(dy, tensors, axis, index) },
  jvp: { g: ({ tensors, axis, index }, dg): Tensor => concatPad(dg, tensors, axis, index) },
  save: [],
  domain: { ranges: { g: [-2, 2], tensors: [0, 1] }, cases: [{ g: [3], tensors: [[2], [3]], axis: 0, index: 1 }, { g: [2, 3], tensors: [[2, 3], [2, 1]], axis: 1, index: 0 }] },
});
