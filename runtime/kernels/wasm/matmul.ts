// float32 matrix multiply on the WebAssembly SIMD micro-kernel. It guarantees
// out = op(A)·op(B) for row-major operands, where op is the identity or the transpose, with
// the transpose folded into packing (so A·Bᵀ and Aᵀ·B run at the speed of A·B and nothing is
// materialised). Sums run in float32 in k order; `out` is overwritten, never read.

import { Arena, roundUp } from './arena.js';
import { instantiate } from './engine.js';
import { GemmShape, defaultGemmShape } from './gemm-kernel.js';
import { buildMatmulModule } from './matmul-module.js';

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
/** (src, dst, panels, kc, kcPad, rs, ps), pointers and strides in bytes: see pack-kernel.ts. */
type PackFn = (src: number, dst: number, panels: number, kc: number, kcPad: number, rs: number, ps: number) => void;

/** The packers for one operand: any strides, and unit row stride when the width allows. */
interface Packers {
  gather: PackFn;
  contiguous?: PackFn;
}

/** A compiled kernel bound to an arena; reuse one instance across calls. */
export class WasmMatmul {
  private readonly gemm: GemmFn;
  private readonly packA: Packers;
  private readonly packB: Packers;
  private readonly kcBlock: number;
  private readonly mcBlock: number;

  constructor(
    private readonly arena: Arena,
    readonly shape: GemmShape = defaultGemmShape,
    blocking: Blocking = defaultBlocking,
  ) {
    const fns = instantiate(buildMatmulModule(shape), arena.memory);
    this.gemm = fns.gemm as GemmFn;
    this.packA = { gather: fns.packA as PackFn, contiguous: fns.packAContiguous as PackFn | undefined };
    this.packB = { gather: fns.packB as PackFn, contiguous: fns.packBContiguous as PackFn | undefined };
    this.kcBlock = roundUp(blocking.kc, shape.ku);
    this.mcBlock = roundUp(blocking.mc, shape.mr);
  }

  /** out (m×n) = op(A) (m×k) · op(B) (k×n). */
  run(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, opts: MatmulOptions = {}): void {
    checkSizes(a, b, out, m, k, n);
    if (m === 0 || n === 0) return;
    if (k === 0) return void out.fill(0, 0, m * n);
    const { mr, nr } = this.shape;
    const mPad = roundUp(m, mr);
    const nPad = roundUp(n, nr);
    const kPad = paddedK(k, this.kcBlock, this.shape.ku);
    // Layout in floats, each start 64-byte aligned: raw A, raw B, packed A, packed B, C.
    const aRaw = 0;
    const bRaw = roundUp(m * k, 16);
    const aBase = roundUp(bRaw + k * n, 16);
    const bBase = roundUp(aBase + mPad * kPad, 16);
    const cBase = roundUp(bBase + kPad * nPad, 16);
    this.arena.reserve((cBase + mPad * nPad) * 4);
    const heap = this.arena.f32;
    heap.set(a.subarray(0, m * k), aRaw);
    heap.set(b.subarray(0, k * n), bRaw);
    // A(i, p) = a[i*ars + p*acs]; B(p, j) = b[p*brs + j*bcs]. B packs as Bᵀ: rows are j.
    const [ars, acs] = opts.transA ? [1, m] : [k, 1];
    const [brs, bcs] = opts.transB ? [1, k] : [n, 1];
    this.pack(this.packA, heap, aRaw, aBase, ars, acs, m, k, mr);
    this.pack(this.packB, heap, bRaw, bBase, bcs, brs, n, k, nr);
    heap.fill(0, cBase, cBase + mPad * nPad);
    this.multiplyPacked(aBase, bBase, cBase, mPad, nPad, k);
    copyOut(heap, cBase, nPad, out, m, n);
  }

  /**
   * Packs the `rows`×k operand X(i, p) = heap[raw + i*rs + p*ps] into panels of `w` rows:
   * for each kc slice, for each panel, kc steps of w consecutive values (zero beyond the
   * edges). Whole panels are packed in wasm, the ragged last one here.
   */
  private pack(packers: Packers, heap: Float32Array, raw: number, base: number, rs: number, ps: number, rows: number, k: number, w: number): void {
    const { ku } = this.shape;
    const full = Math.floor(rows / w);
    const fn = rs === 1 && packers.contiguous ? packers.contiguous : packers.gather;
    let d = base;
    for (let p0 = 0; p0 < k; p0 += this.kcBlock) {
      const kcValid = Math.min(this.kcBlock, k - p0);
      const kc = roundUp(kcValid, ku);
      if (full > 0) fn((raw + p0 * ps) * 4, d * 4, full, kcValid, kc, rs * 4, ps * 4);
      d += full * w * kc;
      if (full * w < rows) {
        packRaggedPanel(heap, d, raw + full * w * rs + p0 * ps, rs, ps, kcValid, kc, w, rows - full * w);
        d += w * kc;
      }
    }
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

/** The last panel when `live` < w rows remain: those rows read with stride rs, the rest zero. */
function packRaggedPanel(heap: Float32Array, d: number, s: number, rs: number, ps: number, kcValid: number, kc: number, w: number, live: number): void {
  for (let p = 0; p < kcValid; p++, s += ps) {
    let src = s;
    for (let r = 0; r < live; r++, src += rs) heap[d++] = heap[src];
    for (let r = live; r < w; r++) heap[d++] = 0;
  }
  heap.fill(0, d, d + (kc - kcValid) * w);
}

/** Copies the m×n corner of the padded C (row stride ldc) into `out`. */
function copyOut(heap: Float32Array, cBase: number, ldc: number, out: Float32Array, m: number, n: number): void {
  if (ldc === n) return void out.set(heap.subarray(cBase, cBase + m * n));
  for (let i = 0; i < m; i++) out.set(heap.subarray(cBase + i * ldc, cBase + i * ldc + n), i * n);
}
