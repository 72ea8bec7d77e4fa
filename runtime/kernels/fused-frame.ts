// The run-time side of a fused run computed as a plain JavaScript loop (compiler/5-emit/fuse.ts
// writes the loop into the generated module): a Frame checks that every operand is float32
// with the loop's shape and says where each operand's elements start in its array, so a
// slice of an input is read in place (an offset) and a padSlice of a result, or the sum of
// two, is written in place into one new array. Anything else (broadcasting, other dtypes,
// a box that is not one contiguous block, a value that is not a Tensor) makes `ready()`
// false, and the generated code runs the same statements as ops instead.
//
// Written in place, a sum of padSlices must give the bits `ops.add(ops.padSlice(…), …)`
// gives. Each piece is added into the array (`+=`, float32 rounding on store), which starts
// as +0 outside the elements every piece covers (there +0 + g normalises −0 as the op's
// +0 padding does) and as −0 inside them (where −0 + g is exactly g, so the sum is exactly
// the op's sum of the pieces; two pieces add commutatively, so their order does not matter).
// When the loop reaches every element of one piece before the other's (its offset is not
// smaller, and the loop goes up), that piece is stored instead (`firstPiece`, `=`), with no
// −0 to fill in first; `finish()` then adds the +0 padding to the elements it alone covers.

import { float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { allocFloat32, float32Of } from '../storage.js';
import { sliceExtent } from '../ops/slice.js';
import { sumAll } from './reduce.js';

const NONE = new Float32Array(0);

/**
 * Where the box at `begin` of `size` (-1: to the end) starts in `shape`'s row-major data,
 * or -1 when it is not one contiguous block. Checks the box as ops.slice does, without
 * making its extent: a bad box is handed to sliceExtent, which throws ops.slice's error.
 */
function boxOffset(op: string, shape: readonly number[], begin: readonly number[], size: readonly number[]): number {
  const rank = shape.length;
  if (!Array.isArray(begin) || !Array.isArray(size) || begin.length !== rank || size.length !== rank) return sliceExtent(op, shape, begin, size), -1;
  let inner = 1;
  let contiguous = true;
  for (let d = rank - 1; d >= 0; d--) {
    const b = begin[d];
    const e = size[d] === -1 ? shape[d] - b : size[d];
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e < 0 || b + e > shape[d]) return sliceExtent(op, shape, begin, size), -1;
    if (d === 0) break;
    if (b !== 0 || e !== shape[d]) contiguous = false;
    inner *= shape[d];
  }
  return !contiguous ? -1 : rank === 0 ? 0 : begin[0] * inner;
}

/** The start and length in `shape`'s row-major data of a box, when it is one contiguous block. */
export function contiguousBlock(shape: readonly number[], begin: readonly number[], extent: readonly number[]): [number, number] | undefined {
  let inner = 1;
  for (let d = shape.length - 1; d >= 1; d--) {
    if (begin[d] !== 0 || extent[d] !== shape[d]) return undefined;
    inner *= shape[d];
  }
  return shape.length === 0 ? [0, 1] : [begin[0] * inner, extent[0] * inner];
}

const isF32 = (x: unknown): x is Tensor => x instanceof Tensor && x.dtype === float32;

/** A non-negative integer that can index an array. */
const isIndex = (v: unknown): v is number => typeof v === 'number' && v >= 0 && (v | 0) === v;

/** A padded output and where its (at most two) pieces start, -1 for none yet. */
class Target {
  first = -1;
  second = -1;
  /** The first piece is stored (`=`), not added. */
  stored = false;
  /** The tensor's length when it is a vector, else -1. */
  readonly vector: number;
  constructor(readonly tensor: Tensor) {
    this.vector = tensor.shape.length === 1 ? tensor.shape[0] : -1;
  }

  /** Before a loop of `count` elements: false if it cannot write these pieces as the ops would. */
  prepare(count: number): boolean {
    // A stored piece must not start before the other, or the loop would store over its sums.
    return this.stored ? this.second <= this.first : this.fillInside(count);
  }

  /** −0 in the elements every piece covers (see the top). */
  private fillInside(count: number): boolean {
    const { first, second } = this;
    if (first < 0) return true;
    const from = second < 0 ? first : Math.max(first, second);
    const to = (second < 0 ? first : Math.min(first, second)) + count;
    // A loop, not fill(): for the few elements of small loops fill's call costs more.
    const data = this.tensor.data as Float32Array;
    for (let i = from; i < to; i++) data[i] = -0;
    return true;
  }

  /** After a loop of `count` elements: the +0 padding of the elements a stored piece alone covers. */
  finish(count: number): void {
    if (this.stored) this.padAlone(count);
  }

  private padAlone(count: number): void {
    if (this.second < 0) return;
    const data = this.tensor.data as Float32Array;
    for (let i = Math.max(this.first, this.second + count); i < this.first + count; i++) data[i] += 0;
  }
}

/**
 * A frame's first target before it has one: no pieces, nothing to prepare or finish, and
 * no generated code's tensor is its tensor. Saves the methods the generated run calls an
 * `undefined` check each (they are kept small enough for V8 to inline).
 */
const NO_TARGET = new Target(Tensor.fromData(NONE, [0], float32));

/**
 * The operands of one call of a fused JavaScript loop. Declare the inputs (`whole`,
 * `source` and `window`), then the outputs (`output`, `target` and `piece`), then check
 * `ready()` before the loop.
 *
 * @example
 * const frame = fused.frame();
 * const xs = frame.source(x);
 * const head = frame.window(x, [0], [n - 1]);   // slice(x, [0], [n - 1]) is xs[head + i]
 * const g = frame.target(x);
 * const at = frame.piece(g, [1]);               // padSlice(·, x, [1]) is written at g.data[at + i]
 * if (frame.ready()) for (let i = 0; i < frame.count; i++) (g.data as Float32Array)[at + i] += xs[head + i];
 */
export class Frame {
  /** Elements per operand (the loop's trip count); 0 until an input sets the shape. */
  count = 0;
  private shape: number[] | undefined = undefined;
  /** The loop's length when its shape is a vector, else -1: what the vector checks read. */
  private vector = -1;
  private ok = true;
  /** The first padded output, in the frame itself (most runs have one), then any others. */
  private target0: Target = NO_TARGET;
  private targets: Target[] | undefined = undefined;

  /** Sets the loop's shape from the first operand (taking `shape` as it is), or checks an operand against it. */
  private fit(shape: number[]): void {
    const known = this.shape;
    if (known === undefined) {
      this.shape = shape;
      this.vector = shape.length === 1 ? shape[0] : -1;
      let count = 1;
      for (let d = 0; d < shape.length; d++) count *= shape[d];
      this.count = count;
    } else if (known.length !== shape.length) this.ok = false;
    else for (let d = 0; d < shape.length; d++) if (known[d] !== shape[d]) this.ok = false;
  }

  /** Like `fit` for the extent of the box `begin`, `size` (-1: to the end) of `shape`. */
  private fitBox(shape: readonly number[], begin: readonly number[], size: readonly number[]): void {
    const known = this.shape;
    if (known === undefined) {
      const extent = new Array<number>(shape.length);
      for (let d = 0; d < shape.length; d++) extent[d] = size[d] === -1 ? shape[d] - begin[d] : size[d];
      return this.fit(extent);
    }
    if (known.length !== shape.length) this.ok = false;
    else for (let d = 0; d < shape.length; d++) if (known[d] !== (size[d] === -1 ? shape[d] - begin[d] : size[d])) this.ok = false;
  }

  /** The elements of `x`, an input read whole: it must be float32 of the loop's shape. */
  whole(x: unknown): Float32Array {
    if (!isF32(x)) return this.fail();
    this.fit(this.shape === undefined ? x.shape.slice() : x.shape);
    return x.data as Float32Array;
  }

  /** The elements of `x`, an input read through windows: it must be float32. */
  source(x: unknown): Float32Array {
    return isF32(x) ? (x.data as Float32Array) : this.fail();
  }

  /**
   * Where `ops.slice(x, begin, size)`'s elements start in x's data, when they are one
   * contiguous block of the loop's shape (bad arguments throw as ops.slice throws).
   * A window of a vector inside it is checked here; anything else by `windowOf`.
   */
  window(x: unknown, begin: readonly number[], size: readonly number[]): number {
    // Small enough for V8 to inline into the generated run (its inlining budget is shared
    // by every frame call of the run, and a call that is not inlined costs its allocations).
    if (isF32(x) && x.shape.length === 1 && begin.length === 1 && size.length === 1) {
      const at = begin[0];
      const length = size[0];
      if (isIndex(at) && isIndex(length) && at + length <= x.shape[0]) return this.fitVector(length), at;
    }
    return this.windowOf(x, begin, size);
  }

  private windowOf(x: unknown, begin: readonly number[], size: readonly number[]): number {
    if (!isF32(x)) return this.fail(), 0;
    const at = boxOffset('slice', x.shape, begin, size);
    if (at < 0) return this.fail(), 0;
    this.fitBox(x.shape, begin, size);
    return at;
  }

  /** `fit([length])`, without the array when the shape is known. */
  private fitVector(length: number): void {
    if (this.shape === undefined) {
      this.shape = [length];
      this.count = this.vector = length;
    } else if (this.vector !== length) this.ok = false;
  }

  /** A new array for an output of the loop's shape (call after the inputs). */
  output(): Float32Array {
    return this.ok && this.shape !== undefined ? allocFloat32(this.count) : NONE;
  }

  /** The output `data` as a tensor of the loop's shape. */
  tensor(data: Float32Array): Tensor {
    return Tensor.fromData(data, this.shape!.slice(), float32);
  }

  /** A 0-d float32 tensor of the sum of `summands`, added in the order of ops.sum's kernel. */
  sum(summands: Float32Array): Tensor {
    return Tensor.fromData(float32Of(sumAll(summands)), [], float32);
  }

  /** A new float32 tensor like `like` for padSlices of the loop's outputs to be written into. */
  target(like: unknown): Tensor {
    if (!(like instanceof Tensor)) return this.notTarget();
    const target = new Target(Tensor.fromData(allocFloat32(like.data.length), like.shape.slice(), float32));
    if (this.target0 === NO_TARGET) this.target0 = target;
    else this.addTarget(target);
    return target.tensor;
  }

  private addTarget(target: Target): void {
    (this.targets ??= []).push(target);
  }

  private notTarget(): Tensor {
    this.fail();
    return Tensor.fromData(NONE, [0], float32);
  }

  /**
   * Where `ops.padSlice(g, like, begin)` of an output g starts in `target`'s data, when that
   * box is one contiguous block (bad arguments throw as ops.padSlice throws).
   */
  piece(target: Tensor, begin: readonly number[]): number {
    return this.place(this.targetOf(target), target, begin);
  }

  /**
   * Like `piece`, for the piece the loop stores (`=`) before the other is added: it must be
   * the target's first, and `ready()` checks that the loop reaches its elements first.
   */
  firstPiece(target: Tensor, begin: readonly number[]): number {
    const t = this.targetOf(target);
    if (t === undefined || t.first >= 0) return this.fail(), 0;
    t.stored = true;
    return this.place(t, target, begin);
  }

  private targetOf(target: Tensor): Target | undefined {
    return this.target0.tensor === target ? this.target0 : this.find(target);
  }

  /** Records where a piece of the loop's shape at `begin` starts in target `t` (of tensor `target`). */
  private place(t: Target | undefined, target: Tensor, begin: readonly number[]): number {
    // A piece of a vector in a vector, checked here; anything else by pieceOffset.
    const at = begin[0];
    // Two pieces add in either order to the same bits; three would not (see the top).
    if (t === undefined || t.second >= 0 || !this.ok || begin.length !== 1 || !isIndex(at) || !(at + this.vector <= t.vector) || this.vector < 0) {
      return this.otherPiece(t, target, begin);
    }
    if (t.first < 0) t.first = at;
    else t.second = at;
    return at;
  }

  /** `place` for a piece the vector check does not take. */
  private otherPiece(t: Target | undefined, target: Tensor, begin: readonly number[]): number {
    const at = this.pieceOffset(t, target, begin);
    if (at < 0 || !this.ok || t!.second >= 0) return this.fail(), 0;
    if (t!.first < 0) t!.first = at;
    else t!.second = at;
    return at;
  }

  /** Where the piece starts, or -1 when the frame cannot write it in place. */
  private pieceOffset(t: Target | undefined, target: Tensor, begin: readonly number[]): number {
    if (t === undefined || !this.ok || this.shape === undefined) return -1;
    return boxOffset('padSlice', target.shape, begin, this.shape);
  }

  private find(target: Tensor): Target | undefined {
    if (this.target0.tensor === target) return this.target0;
    const more = this.targets;
    if (more !== undefined) for (let k = 0; k < more.length; k++) if (more[k].tensor === target) return more[k];
    return undefined;
  }

  /** True when the loop may run: then each target is prepared for its pieces (see the top). */
  ready(): boolean {
    if (!this.ok || this.shape === undefined) return false;
    if (!this.target0.prepare(this.count)) return false;
    return this.targets === undefined || this.prepareMore();
  }

  private prepareMore(): boolean {
    const more = this.targets!;
    for (let k = 0; k < more.length; k++) if (!more[k].prepare(this.count)) return false;
    return true;
  }

  /** After the loop: the +0 padding added to the elements only a stored piece covers. */
  finish(): void {
    this.target0.finish(this.count);
    if (this.targets !== undefined) this.finishMore();
  }

  private finishMore(): void {
    const more = this.targets!;
    for (let k = 0; k < more.length; k++) more[k].finish(this.count);
  }

  private fail(): Float32Array {
    this.ok = false;
    return NONE;
  }
}

/** A new Frame for one call. */
export function frame(): Frame {
  return new Frame();
}
