// The box of `x` starting at `begin` with extent `size` (a -1 extent runs to the end of
// that axis), as MindSpore's Slice. Every bound is checked against x's shape.
import { sliceBox } from '../kernels/slice.js';
import { fmt } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { padSlice } from './padSlice.js';
import { definePrimitive } from './primitive.js';

/** The concrete extent of a slice, or an error naming the op, the shape and the box. */
export function sliceExtent(op: string, shape: readonly number[], begin: readonly number[], size: readonly number[]): number[] {
  if (!Array.isArray(begin) || !Array.isArray(size) || begin.length !== shape.length || size.length !== shape.length) {
    throw new RangeError(`${op}: expected begin and size of length ${shape.length} for shape ${fmt(shape)}, got begin ${fmt(begin ?? [])} and size ${fmt(size ?? [])}`);
  }
  const extents = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    const extent = size[i] === -1 ? d - begin[i] : size[i];
    if (!Number.isInteger(begin[i]) || !Number.isInteger(extent) || begin[i] < 0 || extent < 0 || begin[i] + extent > d) {
      throw new RangeError(`${op}: begin ${fmt(begin)} with size ${fmt(size)} is out of bounds for shape ${fmt(shape)} (axis ${i})`);
    }
    extents[i] = extent;
  }
  return extents;
}

/**
 * The box at `begin` of extent `size` (-1: to the end).
 *
 * @example
 * ops.slice(x, [0, 1], [2, -1])
 */
export const slice = definePrimitive({
  name: 'slice',
  math: 'out = x[begin : begin + size];  dx = dy written into zeros like x at begin',
  params: ['x', 'begin', 'size'],
  kernel: (x: TensorLike, begin: readonly number[], size: readonly number[]): Tensor => {
    const t = asTensor('slice', x);
    const extent = sliceExtent('slice', t.shape, begin, size);
    return Tensor.fromData(sliceBox(t.data, t.shape, begin, extent, t.dtype), extent, t.dtype);
  },
  vjp: { x: ({ x, begin }, dy): Tensor => padSlice(dy, x, begin) },
  jvp: { x: ({ begin, size }, dx): Tensor => slice(dx, begin, size) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5], begin: [1], size: [3] }, { x: [3, 4], begin: [1, 0], size: [2, -1] }, { x: [2, 3, 4], begin: [0, 1, 2], size: [2, 1, 2] }] },
});
