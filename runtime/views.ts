// Transposed views: `transpose(w, [1, 0])` of a float32 matrix gives a Tensor whose data
// is made when something first reads it. A matrix product reads the view's source
// instead, with the transpose folded into its kernel's packing, so `matmul(x,
// transpose(w, [1, 0]))` (nn.Dense's x·Wᵀ, written as the user wrote it and run op by op)
// makes no transposed copy of w: for a 128×784 weight that copy cost as much as the
// product itself (about 0.3 ms of W2's 0.9 ms forward).
//
// A view is a value like any tensor: reading `data` (any op, print, toArray) makes and
// keeps the transposed array, and the view then behaves as any other tensor. Its source
// must not change under it: tensors are immutable for every op, and the two things that
// write into a Parameter in place, `assign` and the optimisers' `step`, first call
// `freezeViews`, which hands the views made since the last write a copy of the data as
// it was. (Writing into a tensor's `data` array by hand is outside that contract; an
// unread view of it then sees the write, as a NumPy view would.)

import { TypedArray, float32 } from './dtype.js';
import { permute } from './kernels/transpose.js';
import { Tensor } from './tensor.js';

/** Views smaller than this are not worth it: their copy costs about what a view costs. */
export const VIEW_MIN_SIZE = 1024;

/**
 * The data the views of one source read: the source's own until its next in-place write,
 * and from then on the copy `freezeViews` took before it.
 */
interface Generation {
  frozen: TypedArray | null;
}

/**
 * The generation of views of each source array that no in-place write has frozen yet.
 * Keyed by the array, not the tensor: reshape, squeeze and expandDims share their
 * operand's array, so a view of `reshape(p, ...)` is frozen by a write into p.
 */
const generations = new WeakMap<TypedArray, Generation>();

interface ViewFields {
  shape: number[];
  dtype: typeof float32;
  source: Tensor | null;
  generation: Generation | null;
}

/** Instances are Tensors (the prototype chain below) whose `data` is an accessor until read. */
function TransposeView(this: ViewFields, source: Tensor, generation: Generation): void {
  this.shape = [source.shape[1], source.shape[0]];
  this.dtype = float32;
  this.source = source;
  this.generation = generation;
}

TransposeView.prototype = Object.create(Tensor.prototype, {
  data: {
    get(this: ViewFields): TypedArray {
      return materialize(this);
    },
    configurable: true,
  },
  // Without reading data: shape is known.
  size: {
    get(this: ViewFields): number {
      return this.shape[0] * this.shape[1];
    },
    configurable: true,
  },
});

/** The source's data as the view sees it. */
function sourceData(view: ViewFields): TypedArray {
  return view.generation!.frozen ?? view.source!.data;
}

/** Makes the view's data, stores it as an own property (shadowing the accessor), and drops the source. */
function materialize(view: ViewFields): TypedArray {
  const source = view.source!;
  const { data } = permute(sourceData(view), source.shape, [1, 0], float32);
  Object.defineProperty(view, 'data', { value: data, writable: true, enumerable: true, configurable: true });
  view.source = null;
  view.generation = null;
  return data;
}

/**
 * The transpose of a 2-D float32 tensor as a view (see the file's comment), or undefined
 * when `x` is not one that pays: other dtypes and ranks, small matrices.
 */
export function transposeView(x: Tensor): Tensor | undefined {
  if (x.dtype !== float32 || x.shape.length !== 2 || x.shape[0] * x.shape[1] < VIEW_MIN_SIZE) return undefined;
  const data = x.data;
  let generation = generations.get(data);
  if (generation === undefined) {
    generation = { frozen: null };
    generations.set(data, generation);
  }
  return new (TransposeView as unknown as new (source: Tensor, generation: Generation) => Tensor)(x, generation);
}

/**
 * When `t` is a transposed view whose data nobody has read yet: its source's data (a
 * rows×cols matrix, so `t` is its cols×rows transpose). Undefined for any other tensor.
 */
export function unreadTransposeSource(t: Tensor): TypedArray | undefined {
  if (!(t instanceof TransposeView) || (t as unknown as ViewFields).source === null) return undefined;
  return sourceData(t as unknown as ViewFields);
}

/**
 * Call before writing into `source.data` in place: views of `source` made since its last
 * write keep reading the data as it is now (a copy, taken only when there are such views).
 */
export function freezeViews(source: Tensor): void {
  const data = source.data;
  const generation = generations.get(data);
  if (generation === undefined) return;
  generation.frozen = data.slice();
  generations.delete(data);
}
