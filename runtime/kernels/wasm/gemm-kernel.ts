// Generates the WebAssembly SIMD matrix-multiply micro-kernel: C += Apack · Bpack over
// packed panels, with an MR×NR register block of f32x4 accumulators. It guarantees exact
// float32 sums in k order (no reassociation across k), so results match a float32 loop
// that accumulates in the same order up to the final addition into C.

import { Code, I32, V128 } from './emit.js';

/** Register-block shape of the micro-kernel; `nr` is a multiple of 4 (one f32x4 per 4 columns). */
export interface GemmShape {
  /** Rows of C per block; each is one broadcast of A per k step. */
  mr: number;
  /** Columns of C per block. */
  nr: number;
  /** k steps per loop trip; packed panels are zero-padded to a multiple of this. */
  ku: number;
}

/**
 * Chosen by measurement on this x64 (Zen 2, AVX; bench/matmul.ts): 4×8 keeps 8 accumulators,
 * 2 B vectors, the broadcast and a product temp in registers (V8 leaves ~15 xmm free), and
 * 8 independent add chains hide the add latency. Unrolling k made V8's code slower
 * (ku 1: 28, 2: 22.6, 4: 19, 8: 16 GFLOP/s at 512), as did 6×8, 8×8 and 4×12 blocks.
 */
export const defaultGemmShape: GemmShape = { mr: 4, nr: 8, ku: 1 };

/**
 * Body of `gemm(aPack, bPack, c, mPanels, nPanels, kc, ldc)` (all i32, pointers and `ldc`
 * in bytes). For each of `nPanels` B panels (kc×nr floats, row per k) and each of `mPanels`
 * A panels (kc×mr floats, column of A per k), it adds the product block into C at rows
 * `ir*mr`, columns `jr*nr`. `kc` must be a positive multiple of `ku`.
 */
export function emitGemm(c: Code, { mr, nr, ku }: GemmShape): void {
  if (nr % 4 !== 0) throw new Error('gemm: nr must be a multiple of 4');
  const [aPack, bPack, cPtr, mPanels, nPanels, kc, ldc] = [0, 1, 2, 3, 4, 5, 6];
  const nv = nr / 4;
  const jr = c.local(I32);
  const ir = c.local(I32);
  const ap = c.local(I32);
  const bp = c.local(I32);
  const bPanel = c.local(I32);
  const bEnd = c.local(I32);
  const cRow = c.local(I32);
  const acc = Array.from({ length: mr }, () => Array.from({ length: nv }, () => c.local(V128)));
  const bv = Array.from({ length: nv }, () => c.local(V128));
  const av = c.local(V128);

  // B panel jr starts at bPack + jr*kc*nr*4; walking jr outermost keeps that panel in L1
  // while every A panel of the block streams past it from L2.
  c.forRange(jr, () => c.i32Const(0), nPanels, 1, () => {
    c.localGet(bPack).localGet(jr).localGet(kc).i32Mul().i32Const(nr * 4).i32Mul().i32Add().localSet(bPanel);
    c.forRange(ir, () => c.i32Const(0), mPanels, 1, () => {
      c.localGet(aPack).localGet(ir).localGet(kc).i32Mul().i32Const(mr * 4).i32Mul().i32Add().localSet(ap);
      c.localGet(bPanel).localTee(bp).localGet(kc).i32Const(nr * 4).i32Mul().i32Add().localSet(bEnd);
      for (const row of acc) for (const a of row) c.f32x4Const(0).localSet(a);
      c.loop(() => {
        for (let u = 0; u < ku; u++) kStep(c, u, { mr, nr, ku }, ap, bp, acc, bv, av);
        c.localGet(ap).i32Const(ku * mr * 4).i32Add().localSet(ap);
        c.localGet(bp).i32Const(ku * nr * 4).i32Add().localTee(bp);
        c.localGet(bEnd).i32LtS().brIf(0);
      });
      // C tile at c + ir*mr*ldc + jr*nr*4; one row pointer stepped by ldc.
      c.localGet(cPtr).localGet(ir).i32Const(mr).i32Mul().localGet(ldc).i32Mul().i32Add();
      c.localGet(jr).i32Const(nr * 4).i32Mul().i32Add().localSet(cRow);
      acc.forEach((row, r) => {
        if (r > 0) c.localGet(cRow).localGet(ldc).i32Add().localSet(cRow);
        row.forEach((a, q) => {
          c.localGet(cRow).localGet(cRow).v128Load(q * 16).localGet(a).f32x4Add().v128Store(q * 16);
        });
      });
    });
  });
}

/** One k step: load nr/4 B vectors, then per row broadcast A and multiply-add into the row. */
function kStep(
  c: Code,
  u: number,
  { mr, nr }: GemmShape,
  ap: number,
  bp: number,
  acc: number[][],
  bv: number[],
  av: number,
): void {
  bv.forEach((b, q) => c.localGet(bp).v128Load((u * nr + q * 4) * 4).localSet(b));
  for (let r = 0; r < mr; r++) {
    c.localGet(ap).v128Load32Splat((u * mr + r) * 4).localSet(av);
    bv.forEach((b, q) => {
      c.localGet(acc[r][q]).localGet(av).localGet(b).f32x4Mul().f32x4Add().localSet(acc[r][q]);
    });
  }
}
