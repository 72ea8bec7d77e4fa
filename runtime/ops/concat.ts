// Tensors joined along `axis` (default 0), as MindSpore's Concat. All must have the same
// rank and the same sizes on every other axis; dtypes promote. Variadic: the rules take
// the whole array (see PrimitiveSpec.variadic).
import { DType, promote } from '../dtype.js';
import { concatBlocks } from '../kernels/slice.js';
import { fmt, normAxis } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { concatPiece } from './concatPiece.js';
import { asTensor } from './operands.js';
import { definePrimitive, variadicJvp, variadicVjp } from './primitive.js';

/** The operands as tensors of one dtype, the normalised axis, and the result's shape. */
export function concatLayout(op: string, tensors: readonly TensorLike[], axis: number): { parts: Tensor[]; ax: number; shape: number[]; dtype: DType } {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new TypeError(`${op}: expected a non-empty array of tensors, got ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`);
  }
  const parts = tensors.map((t) => asTensor(op, t));
  const first = parts[0];
  if (first.ndim === 0) throw new RangeError(`${op}: cannot join 0-d tensors (shape [])`);
  const ax = normAxis(op, axis, first.ndim);
  for (const p of parts) {
    if (p.ndim !== first.ndim || p.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new RangeError(`${op}: shapes ${fmt(first.shape)} and ${fmt(p.shape)} differ off axis ${ax}`);
    }
  }
  const shape = [...first.shape];
  shape[ax] = parts.reduce((acc, p) => acc + p.shape[ax], 0);
  const dtype = parts.reduce((d, p) => promote(d, p.dtype), first.dtype);
  return { parts, ax, shape, dtype };
}

/** Data of `t` in `dtype` (a copy only when the dtype differs). */
export function dataAs(t: Tensor, dtype: DType): Tensor['data'] {
  if (t.dtype === dtype) return t.data;
  const out = dtype.alloc(t.size);
  out.set(t.data);
  return out;
}

/**
 * Tensors joined along `axis`.
 *
 * @example
 * ops.concat([a, b], 0)
 */
export const concat = definePrimitive({
  name: 'concat',
  math: 'out = [t₀ t₁ …] along axis;  dtᵢ = the piece of dy where tᵢ sits',
  params: ['tensors', 'axis'],
  variadic: 'tensors',
  kernel: (tensors: readonly TensorLike[], axis = 0): Tensor => {
    const { parts, ax, shape, dtype } = concatLayout('concat', tensors, axis);
    const data = concatBlocks(parts.map((p) => dataAs(p, dtype)), parts.map((p) => p.shape), ax, dtype);
    return Tensor.fromData(data, shape, dtype);
  },
  vjp: {
    tensors: variadicVjp(({ tensors, axis }, dy): Tensor[] => tensors.map((_: unknown, i: number): Tensor => concatPiece(dy, tensors, axis, i))),
  },
  jvp: { tensors: variadicJvp(({ axis }, dts): Tensor => concat(dts, axis)) },
  save: ['tensors'],
  domain: {
    ranges: { tensors: [-2, 2] },
    cases: [{ tensors: [[2], [3]], axis: 0 }, { tensors: [[2, 3], [2, 1], [2, 2]], axis: 1 }, { tensors: [[1, 2], [2, 2]], axis: -2 }],
  },
});
