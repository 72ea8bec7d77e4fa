// float32 elementwise maps on the f32x4 kernels of elementwise-kernel.ts. Operands stream
// through the arena in chunks of 16K elements (64 KB each, so they stay in L2 and the arena
// stays small); a ragged tail is computed in a padded vector and only n results are written.

import { Arena, roundUp } from './arena.js';
import { instantiate } from './engine.js';
import { BinaryArithName, UnaryExactName, UnaryMathName, buildElementwiseModule } from './elementwise-kernel.js';

const CHUNK = 16384;

type UnaryFn = (src: number, dst: number, count: number) => void;
type BinaryFn = (a: number, b: number, dst: number, count: number) => void;

/** A compiled elementwise module bound to an arena. */
export class WasmElementwise {
  private readonly fns: Record<string, unknown>;

  constructor(private readonly arena: Arena) {
    this.fns = instantiate(buildElementwiseModule(), arena.memory);
    arena.reserve(3 * CHUNK * 4);
  }

  /** out[i] = f(x[i]) for i < out.length. */
  unary(name: UnaryMathName | UnaryExactName, x: Float32Array, out: Float32Array): void {
    const fn = this.fns[name] as UnaryFn;
    const heap = this.arena.f32;
    for (let i0 = 0; i0 < out.length; i0 += CHUNK) {
      const len = Math.min(CHUNK, out.length - i0);
      heap.set(x.subarray(i0, i0 + len), 0);
      fn(0, CHUNK * 4, roundUp(len, 4) / 4);
      out.set(heap.subarray(CHUNK, CHUNK + len), i0);
    }
  }

  /**
   * The add kernel on float32 slots of the arena, given by byte offset: dst[i] = a[i] + b[i]
   * for i < len, in whole vectors (each slot must have room for len rounded up to 4).
   */
  addAt(a: number, b: number, dst: number, len: number): void {
    (this.fns.add as BinaryFn)(a, b, dst, roundUp(len, 4) / 4);
  }

  /** out[i] = a[i] ∘ b[i] for i < out.length (same lengths; no broadcasting). */
  binary(name: BinaryArithName, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const fn = this.fns[name] as BinaryFn;
    const heap = this.arena.f32;
    for (let i0 = 0; i0 < out.length; i0 += CHUNK) {
      const len = Math.min(CHUNK, out.length - i0);
      heap.set(a.subarray(i0, i0 + len), 0);
      heap.set(b.subarray(i0, i0 + len), CHUNK);
      fn(0, CHUNK * 4, 2 * CHUNK * 4, roundUp(len, 4) / 4);
      out.set(heap.subarray(2 * CHUNK, 2 * CHUNK + len), i0);
    }
  }

  /** out[i] = a[i] ∘ y (`scalarFirst`: y ∘ a[i]) for i < out.length; y is rounded to float32. */
  scalar(name: BinaryArithName, a: Float32Array, y: number, out: Float32Array, scalarFirst: boolean): void {
    const fn = this.fns[`${name}${scalarFirst ? 'ScalarA' : 'ScalarB'}`] as BinaryFn;
    const heap = this.arena.f32;
    for (let i0 = 0; i0 < out.length; i0 += CHUNK) {
      const len = Math.min(CHUNK, out.length - i0);
      heap.set(a.subarray(i0, i0 + len), 0);
      if (scalarFirst) fn(y, 0, CHUNK * 4, roundUp(len, 4) / 4);
      else fn(0, y, CHUNK * 4, roundUp(len, 4) / 4);
      out.set(heap.subarray(CHUNK, CHUNK + len), i0);
    }
  }

  /**
   * out = a ∘ b with b (a row of m elements, m a multiple of 4, at most CHUNK) repeated
   * along a: whole rows per chunk, one vector call per row.
   */
  repeatB(name: BinaryArithName, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const fn = this.fns[name] as BinaryFn;
    const heap = this.arena.f32;
    const m = b.length;
    const rowsPerChunk = Math.floor(CHUNK / m);
    heap.set(b, CHUNK);
    for (let i0 = 0; i0 < out.length; i0 += rowsPerChunk * m) {
      const len = Math.min(rowsPerChunk * m, out.length - i0);
      heap.set(a.subarray(i0, i0 + len), 0);
      for (let r = 0; r < len; r += m) fn(r * 4, CHUNK * 4, (2 * CHUNK + r) * 4, m / 4);
      out.set(heap.subarray(2 * CHUNK, 2 * CHUNK + len), i0);
    }
  }
}
