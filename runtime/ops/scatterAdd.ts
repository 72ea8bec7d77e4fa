// Zeros shaped like `like` with the rows of `g` added at `indices` along `axis` (repeated
// indices add up): the adjoint of gather.
import { normAxis } from '../shape.js';
import { scatterAddRows } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { gather, Indices, resolveIndices } from './gather.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

export const scatterAdd = definePrimitive({
  name: 'scatterAdd',
  math: 'out = zeros like `like`, out[…, indices, …] += g along axis;  dg = gather(dy, indices, axis)',
  shape: 'like',
  params: ['g', 'like', 'indices', 'axis'],
  kernel: (g: TensorLike, like: TensorLike, indices: Indices, axis = 0): Tensor => {
    const tg = asTensor('scatterAdd', g);
    const shape = asTensor('scatterAdd', like).shape;
    const ax = normAxis('scatterAdd', axis, shape.length);
    const { list } = resolveIndices('scatterAdd', indices, shape[ax]);
    return Tensor.fromData(scatterAddRows(tg.data, shape, list, ax, tg.dtype), [...shape], tg.dtype);
  },
  vjp: { g: ({ indices, axis }, dy): Tensor => gather(dy, indices, axis) },
  jvp: { g: ({ like, indices, axis }, dg): Tensor => scatterAdd(dg, like, indices, axis) },
  save: [],
  domain: { ranges: { g: [-2, 2], like: [0, 1] }, cases: [{ g: [3], like: [5], indices: [0, 3, 3], axis: 0 }, { g: [3, 2, 2], like: [3, 4], indices: [[2, 0], [1, 1]], axis: 1 }] },
});
