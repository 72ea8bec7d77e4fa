// Generates the packing kernels that lay an operand out as the gemm micro-kernel reads it:
// panels of `w` rows, each kcPad steps of w consecutive floats, steps past kc zeroed. Both
// share the signature `(src, dst, panels, kc, kcPad, rs, ps)` (i32; pointers and strides in
// bytes) where element (i, p) of the source sits at src + i*rs + p*ps, and both pack only
// whole panels (the caller packs a ragged last panel).

import { Code, I32, V128 } from './emit.js';

const [src, dst, panels, kc, kcPad, rs, ps] = [0, 1, 2, 3, 4, 5, 6];
export const packParamCount = 7;

/** For rs = 4 (the w values of a step are adjacent): w/4 vector copies per step. */
export function emitPackContiguous(c: Code, w: number): void {
  const tmp = Array.from({ length: w / 4 }, () => c.local(V128));
  packLoops(c, w, (s) => {
    tmp.forEach((t, q) => c.localGet(s).v128Load(q * 16).localSet(t));
    tmp.forEach((t, q) => c.localGet(dst).localGet(t).v128Store(q * 16));
  });
}

/** Any strides: w scalar loads per step at offsets r*rs fixed for the whole call. */
export function emitPackGather(c: Code, w: number): void {
  const offsets = Array.from({ length: w }, () => c.local(I32));
  offsets.forEach((o, r) => c.localGet(rs).i32Const(r).i32Mul().localSet(o));
  packLoops(c, w, (s) => {
    offsets.forEach((o, r) => c.localGet(dst).localGet(s).localGet(o).i32Add().f32Load().f32Store(r * 4));
  });
}

/**
 * The loops both packers share: per panel, `step(s)` copies step p from source pointer `s`
 * to `dst`; then the kcPad - kc padding steps are zeroed.
 */
function packLoops(c: Code, w: number, step: (s: number) => void): void {
  const panel = c.local(I32);
  const p = c.local(I32);
  const s = c.local(I32);
  c.forRange(panel, () => c.i32Const(0), panels, 1, () => {
    c.localGet(src).localGet(panel).localGet(rs).i32Mul().i32Const(w).i32Mul().i32Add().localSet(s);
    c.forRange(p, () => c.i32Const(0), kc, 1, () => {
      step(s);
      c.localGet(dst).i32Const(w * 4).i32Add().localSet(dst);
      c.localGet(s).localGet(ps).i32Add().localSet(s);
    });
    c.forRange(p, () => c.localGet(kc), kcPad, 1, () => {
      for (let q = 0; q < w / 4; q++) c.localGet(dst).f32x4Const(0).v128Store(q * 16);
      c.localGet(dst).i32Const(w * 4).i32Add().localSet(dst);
    });
  });
}
