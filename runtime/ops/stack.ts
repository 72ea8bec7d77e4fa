// Tensors of one shape stacked along a new axis `axis` (default 0; -rank-1 … rank), as
// MindSpore's Stack. Variadic: the rules take the whole array (see PrimitiveSpec.variadic).
import { fmt } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { concatBlocks } from '../kernels/slice.js';
import { concatLayout, dataAs } from './concat.js';
import { gather } from './gather.js';
import { asTensor } from './operands.js';
import { definePrimitive, variadicJvp, variadicVjp } from './primitive.js';

/**
 * Tensors stacked along a new axis.
 *
 * @example
 * ops.stack([a, b], 0)
 */
export const stack = definePrimitive({
  name: 'stack',
  math: 'out[…, i, …] = tᵢ along a new axis;  dtᵢ = dy[…, i, …]',
  params: ['tensors', 'axis'],
  variadic: 'tensors',
  kernel: (tensors: readonly TensorLike[], axis = 0): Tensor => {
    if (!Array.isArray(tensors) || tensors.length === 0) {
      throw new TypeError(`stack: expected a non-empty array of tensors, got ${Array.isArray(tensors) ? 'an empty array' : typeof tensors}`);
    }
    const parts = tensors.map((t) => asTensor('stack', t));
    const rank = parts[0].ndim + 1;
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
      throw new RangeError(`stack: axis ${axis} is out of range for tensors of shape ${fmt(parts[0].shape)} (expected -${rank} to ${rank - 1})`);
    }
    const at = axis < 0 ? axis + rank : axis;
    for (const p of parts) {
      if (p.ndim !== parts[0].ndim || p.shape.some((d, i) => d !== parts[0].shape[i])) {
        throw new RangeError(`stack: expected tensors of one shape, got ${fmt(parts[0].shape)} and ${fmt(p.shape)}`);
      }
    }
    // Stacking is concatenation of the operands with a size-1 axis inserted at `at`.
    const expanded = parts.map((p) => {
      const shape = [...p.shape];
      shape.splice(at, 0, 1);
      return Tensor.fromData(p.data, shape, p.dtype);
    });
    const { ax, shape, dtype } = concatLayout('stack', expanded, at);
    const data = concatBlocks(expanded.map((p) => dataAs(p, dtype)), expanded.map((p) => p.shape), ax, dtype);
    return Tensor.fromData(data, shape, dtype);
  },
  vjp: {
    tensors: variadicVjp(({ tensors, axis }, dy): Tensor[] => tensors.map((_: unknown, i: number): Tensor => gather(dy, i, axis))),
  },
  jvp: { tensors: variadicJvp(({ axis }, dts): Tensor => stack(dts, axis)) },
  save: [],
  domain: {
    ranges: { tensors: [-2, 2] },
    cases: [{ tensors: [[3], [3]], axis: 0 }, { tensors: [[2, 3], [2, 3], [2, 3]], axis: -1 }, { tensors: [[], []], axis: 0 }],
  },
});
