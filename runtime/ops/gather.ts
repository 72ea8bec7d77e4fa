// Rows of `x` picked by `indices` along `axis` (MindSpore's Gather): the result has shape
// x[:axis] ++ indices.shape ++ x[axis+1:], so a lone number index drops the axis.
// Indices are integers in [-n, n) (negative counts from the end, as NumPy).
import { fmt, normAxis } from '../shape.js';
import { gatherRows } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { scatterAdd } from './scatterAdd.js';

export type Indices = Tensor | number | readonly number[];

/** Indices as integers in [0, n), with their shape, or an error naming the bad one. */
export function resolveIndices(op: string, indices: Indices, n: number): { list: Int32Array; shape: number[] } {
  const t = typeof indices === 'number' ? new Tensor(indices) : indices instanceof Tensor ? indices : new Tensor(indices as number[]);
  const list = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isInteger(v) || v < -n || v >= n) {
      throw new RangeError(`${op}: index ${v} is out of range for an axis of size ${n} (expected an integer in ${-n}..${n - 1})`);
    }
    list[i] = v < 0 ? v + n : v;
  }
  return { list, shape: [...t.shape] };
}

/**
 * Entries picked by `indices` along `axis`.
 *
 * @example
 * ops.gather(new Tensor([10, 20, 30]), [2, 0], 0)   // [30. 10.]
 */
export const gather = definePrimitive({
  name: 'gather',
  math: 'out = x[…, indices, …] along axis;  dx = dy scatter-added back at indices',
  params: ['x', 'indices', 'axis'],
  kernel: (x: TensorLike, indices: Indices, axis = 0): Tensor => {
    const t = asTensor('gather', x);
    if (t.ndim === 0) throw new RangeError(`gather: expected a tensor of rank ≥ 1, got shape ${fmt(t.shape)}`);
    const ax = normAxis('gather', axis, t.ndim);
    const { list, shape } = resolveIndices('gather', indices, t.shape[ax]);
    const out = gatherRows(t.data, t.shape, list, ax, t.dtype);
    return Tensor.fromData(out, [...t.shape.slice(0, ax), ...shape, ...t.shape.slice(ax + 1)], t.dtype);
  },
  vjp: { x: ({ x, indices, axis }, dy): Tensor => scatterAdd(dy, x, indices, axis) },
  jvp: { x: ({ indices, axis }, dx): Tensor => gather(dx, indices, axis) },
  save: ['x'],
  domain: {
    ranges: { x: [-2, 2] },
    cases: [{ x: [5], indices: [0, 3, 3], axis: 0 }, { x: [3, 4], indices: [[2, 0], [1, 1]], axis: 1 }, { x: [3, 2], indices: 1, axis: 0 }, { x: [4], indices: [-1], axis: 0 }],
  },
});
