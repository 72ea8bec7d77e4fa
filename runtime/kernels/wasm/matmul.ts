// float32 matrix multiply on the WebAssembly SIMD micro-kernel. It guarantees
// out = op(A)·op(B) for row-major operands, where op is the identity or the transpose, with
// the transpose folded into packing (so A·Bᵀ and Aᵀ·B run at the speed of A·B and nothing is
// materialised). Sums run in float32 in k order; `out` is overwritten, never read.

import { Arena, roundUp } from './arena.js';
import { instantiate } from './engine.js';
import { GemmShape, buildGemmModule, defaultGemmShape } from './gemm-module.js';

export interface MatmulOptions {
  /** A is stored k×m and used transposed. */
  transA?: boolean;
  /** B is stored n×k and used transposed. */
  transB?: boolean;
}

/** Cache blocking: a kc×nr B panel (8 KB) stays in L1, an mc×kc A block (128 KB) in L2. */
export interface Blocking {
  kc: number;
  mc: number;
}
export const defaultBlocking: Blocking = { kc: 256, mc: 128 };

type GemmFn = (aPack: number, bPack: number, c: number, mPanels: number, nPanels: number, kc: number, ldc: number) => void;

/** A compiled kernel bound to an arena; reuse one instance across calls. */
export class WasmMatmul {
  private readonly gemm: GemmFn;
  private readonly kcBlock: number;
  private readonly mcBlock: number;

  constructor(
    private readonly arena: Arena,
    readonly shape: GemmShape = defaultGemmShape,
    blocking: Blocking = defaultBlocking,
  ) {
    this.gemm = instantiate(buildGemmModule(shape), arena.memory).gemm as GemmFn;
    this.kcBlock = roundUp(blocking.kc, shape.ku);
    this.mcBlock = roundUp(blocking.mc, shape.mr);
  }

  /** out (m×n) = op(A) (m×k) · op(B) (k×n). */
  run(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, opts: MatmulOptions = {}): void {
    checkSizes(a, b, out, m, k, n);
    if (m === 0 || n === 0) return;
    if (k === 0) return void out.fill(0, 0, m * n);
    const { mr, nr, ku } = this.shape;
    const mPad = roundUp(m, mr);
    const nPad = roundUp(n, nr);
    const kPad = paddedK(k, this.kcBlock, ku);
    // Layout in floats: packed A, packed B, then C; each start 64-byte aligned.
    const aBase = 0;
    const bBase = roundUp(aBase + mPad * kPad, 16);
    const cBase = roundUp(bBase + kPad * nPad, 16);
    this.arena.reserve((cBase + mPad * nPad) * 4);
    const heap = this.arena.f32;
    // A(i, p) = a[i*ars + p*acs]; B(p, j) = b[p*brs + j*bcs].
    const [ars, acs] = opts.transA ? [1, m] : [k, 1];
    const [brs, bcs] = opts.transB ? [1, k] : [n, 1];
    packPanels(heap, aBase, a, ars, acs, m, k, mr, this.kcBlock, ku);
    packPanels(heap, bBase, b, bcs, brs, n, k, nr, this.kcBlock, ku);
    heap.fill(0, cBase, cBase + mPad * nPad);
    this.multiplyPacked(aBase, bBase, cBase, mPad, nPad, k);
    copyOut(heap, cBase, nPad, out, m, n);
  }

  /** Drives the kernel over kc slices of k and mc blocks of rows. */
  private multiplyPacked(aBase: number, bBase: number, cBase: number, mPad: number, nPad: number, k: number): void {
    const { mr, nr, ku } = this.shape;
    for (let p0 = 0; p0 < k; p0 += this.kcBlock) {
      const kc = roundUp(Math.min(this.kcBlock, k - p0), ku);
      // Slices before this one are all kcBlock long, so slice p0 starts at p0*mPad (p0*nPad).
      const aSlice = aBase + p0 * mPad;
      const bSlice = bBase + p0 * nPad;
      for (let i0 = 0; i0 < mPad; i0 += this.mcBlock) {
        const rows = Math.min(this.mcBlock, mPad - i0);
        this.gemm((aSlice + i0 * kc) * 4, bSlice * 4, (cBase + i0 * nPad) * 4, rows / mr, nPad / nr, kc, nPad * 4);
      }
    }
  }
}

function checkSizes(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  if (a.length < m * k || b.length < k * n || out.length < m * n) {
    throw new RangeError(`matmulF32: buffers too small for ${m}×${k} · ${k}×${n}`);
  }
}

/** Total padded k: every kc slice rounded up to a multiple of ku. */
function paddedK(k: number, kcBlock: number, ku: number): number {
  const full = Math.floor(k / kcBlock) * kcBlock;
  return full + roundUp(k - full, ku);
}

/**
 * Packs the `rows`×k operand X(i, p) = x[i*rs + p*ps] into panels of `w` rows: for each kc
 * slice, for each panel, kc steps of `w` consecutive values (zero beyond the edges). The
 * same routine packs A (rows of C) and Bᵀ (columns of C), so B is passed with its strides
 * swapped.
 */
function packPanels(
  heap: Float32Array,
  base: number,
  x: Float32Array,
  rs: number,
  ps: number,
  rows: number,
  k: number,
  w: number,
  kcBlock: number,
  ku: number,
): void {
  let d = base;
  for (let p0 = 0; p0 < k; p0 += kcBlock) {
    const kcValid = Math.min(kcBlock, k - p0);
    const kc = roundUp(kcValid, ku);
    for (let i0 = 0; i0 < rows; i0 += w) {
      const live = Math.min(w, rows - i0);
      d = packPanel(heap, d, x, i0 * rs + p0 * ps, rs, ps, kcValid, w, live);
      heap.fill(0, d, d + (kc - kcValid) * w);
      d += (kc - kcValid) * w;
    }
  }
}

/** One panel: per k step, `live` of the w values read with stride rs, the rest zero. */
function packPanel(
  heap: Float32Array,
  d: number,
  x: Float32Array,
  s: number,
  rs: number,
  ps: number,
  kc: number,
  w: number,
  live: number,
): number {
  for (let p = 0; p < kc; p++, s += ps) {
    let src = s;
    for (let r = 0; r < live; r++, src += rs) heap[d++] = x[src];
    for (let r = live; r < w; r++) heap[d++] = 0;
  }
  return d;
}

/** Copies the m×n corner of the padded C (row stride ldc) into `out`. */
function copyOut(heap: Float32Array, cBase: number, ldc: number, out: Float32Array, m: number, n: number): void {
  if (ldc === n) return void out.set(heap.subarray(cBase, cBase + m * n));
  for (let i = 0; i < m; i++) out.set(heap.subarray(cBase + i * ldc, cBase + i * ldc + n), i * n);
}
