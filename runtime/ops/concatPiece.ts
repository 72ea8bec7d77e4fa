// Piece `index` of a concat's output (or cotangent) `g`: the slab where tensors[index]
// sits along `axis`. The adjoint of concat for one operand.
import { sliceBox } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { concatLayout } from './concat.js';
import { concatPad } from './concatPad.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/** Where piece `index` starts in the concat's output, and its extent. */
export function pieceBox(op: string, tensors: readonly TensorLike[], axis: number, index: number): { begin: number[]; size: number[]; shape: number[] } {
  const { parts, ax, shape } = concatLayout(op, tensors, axis);
  if (!Number.isInteger(index) || index < 0 || index >= parts.length) {
    throw new RangeError(`${op}: piece ${index} is out of range for ${parts.length} tensors`);
  }
  const begin = shape.map(() => 0);
  for (let i = 0; i < index; i++) begin[ax] += parts[i].shape[ax];
  return { begin, size: [...parts[index].shape], shape };
}

export const concatPiece = definePrimitive({
  name: 'concatPiece',
  math: 'out = the slab of g where tensors[index] sits along axis;  dg = that slab placed into zeros',
  params: ['g', 'tensors', 'axis', 'index'],
  kernel: (g: TensorLike, tensors: readonly TensorLike[], axis: number, index: number): Tensor => {
    const tg = asTensor('concatPiece', g);
    const { begin, size } = pieceBox('concatPiece', tensors, axis, index);
    return Tensor.fromData(sliceBox(tg.data, tg.shape, begin, size, tg.dtype), size, tg.dtype);
  },
  vjp: { g: ({ tensors, axis, index }, dy): Tensor => concatPad(dy, tensors, axis, index) },
  jvp: { g: ({ tensors, axis, index }, dg): Tensor => concatPiece(dg, tensors, axis, index) },
  save: [],
  domain: { ranges: { g: [-2, 2], tensors: [0, 1] }, cases: [{ g: [5], tensors: [[2], [3]], axis: 0, index: 1 }, { g: [2, 4], tensors: [[2, 3], [2, 1]], axis: 1, index: 0 }] },
});
