// Generates f32x4 elementwise kernels: add/sub/mul/div and polynomial sin, cos, exp, tanh
// (Cephes single-precision coefficients). Each export maps `count` whole vectors:
// unary `(src, dst, count)`, binary `(a, b, dst, count)`, pointers in bytes. Accuracy: a few
// float32 ulp; sin/cos reduce by a three-part π/2, exact while |x| < 2^16·π/2 ≈ 1e5 and
// degrading beyond; NaN and ±Infinity give what Math gives (NaN for sin/cos of ±Infinity).

import { Code, F32, I32, ModuleBuilder, V128 } from './emit.js';

export const unaryMathNames = ['sin', 'cos', 'exp', 'tanh'] as const;
export type UnaryMathName = (typeof unaryMathNames)[number];
export const binaryArithNames = ['add', 'sub', 'mul', 'div'] as const;
export type BinaryArithName = (typeof binaryArithNames)[number];
/**
 * Unary maps that are one exact IEEE step, so f32x4 gives the plain loop's bits: x·x (a
 * float64 product of float32s rounded once is the float32 product), -x, |x|, and relu as
 * max(x, +0) (+0 for -0, NaN stays NaN, as the plain loop's `v > 0 ? v : (v !== v ? v : 0)`).
 */
export const unaryExactNames = ['square', 'neg', 'abs', 'relu'] as const;
export type UnaryExactName = (typeof unaryExactNames)[number];

export function buildElementwiseModule(): Uint8Array {
  const module = new ModuleBuilder();
  for (const name of unaryMathNames) {
    module.func(name, [I32, I32, I32], [], (c) => mapVectors(c, [0], 1, 2, (x) => unaryMath[name](c, x[0])));
  }
  for (const name of binaryArithNames) {
    module.func(name, [I32, I32, I32, I32], [], (c) => mapVectors(c, [0, 1], 2, 3, (x) => binaryArith(c, name, x[0], x[1])));
  }
  for (const name of unaryExactNames) {
    module.func(name, [I32, I32, I32], [], (c) => mapVectors(c, [0], 1, 2, (x) => unaryExact(c, name, x[0])));
  }
  // A number operand: `(a, y, dst, count)` is a ∘ y, `(x, b, dst, count)`… x ∘ b; y and x are f32.
  for (const name of binaryArithNames) {
    module.func(`${name}ScalarB`, [I32, F32, I32, I32], [], (c) => {
      const y = splat(c, 1);
      mapVectors(c, [0], 2, 3, (x) => binaryArith(c, name, x[0], y));
    });
    module.func(`${name}ScalarA`, [F32, I32, I32, I32], [], (c) => {
      const x = splat(c, 0);
      mapVectors(c, [1], 2, 3, (b) => binaryArith(c, name, x, b[0]));
    });
  }
  return module.toBytes();
}

/** The f32 parameter `param` in all four lanes of a fresh v128 local. */
function splat(c: Code, param: number): number {
  c.localGet(param).f32x4Splat();
  return keep(c);
}

function unaryExact(c: Code, name: UnaryExactName, x: number): void {
  c.localGet(x);
  if (name === 'square') c.localGet(x).f32x4Mul();
  else if (name === 'neg') c.f32x4Neg();
  else if (name === 'abs') c.f32x4Abs();
  else c.f32x4Const(0).f32x4Max();
}

/**
 * `for each of count vectors: dst[i] = body(src_0[i], …)`; `body` receives locals holding
 * the loaded vectors and leaves the result on the stack.
 */
function mapVectors(c: Code, srcs: number[], dst: number, count: number, body: (x: number[]) => void): void {
  const i = c.local(I32);
  const x = srcs.map(() => c.local(V128));
  c.forRange(i, () => c.i32Const(0), count, 1, () => {
    srcs.forEach((s, q) => c.localGet(s).v128Load().localSet(x[q]));
    c.localGet(dst);
    body(x);
    c.v128Store();
    for (const p of [...srcs, dst]) c.localGet(p).i32Const(16).i32Add().localSet(p);
  });
}

function binaryArith(c: Code, name: BinaryArithName, a: number, b: number): void {
  c.localGet(a).localGet(b);
  if (name === 'add') c.f32x4Add();
  else if (name === 'sub') c.f32x4Sub();
  else if (name === 'mul') c.f32x4Mul();
  else c.f32x4Div();
}

/** Each function leaves f(x) on the stack for the v128 local x (used by the fused loops too). */
export const unaryMath: Record<UnaryMathName, (c: Code, x: number) => void> = {
  sin: (c, x) => oddFromAbs(c, x, (ax) => sinCos(c, ax, 0)),
  cos: (c, x) => {
    c.localGet(x).f32x4Abs();
    sinCos(c, keep(c), 1);
  },
  exp: (c, x) => exp(c, x),
  tanh: (c, x) => oddFromAbs(c, x, (ax) => tanhOfAbs(c, ax)),
};

/**
 * f(x) = sign(x)·f(|x|) for odd f, with the sign applied as a bit flip so that f(-0) = -0
 * (evaluating at -0 directly loses the sign in sums like -0 + 0).
 */
function oddFromAbs(c: Code, x: number, ofAbs: (ax: number) => void): void {
  c.localGet(x).f32x4Abs();
  ofAbs(keep(c));
  c.localGet(x).i32x4Const(-0x80000000).v128And().v128Xor();
}

/** acc = ((c_0·z + c_1)·z + …) + c_last, left on the stack. */
function horner(c: Code, z: number, coeffs: number[]): void {
  c.f32x4Const(coeffs[0]);
  for (const k of coeffs.slice(1)) c.localGet(z).f32x4Mul().f32x4Const(k).f32x4Add();
}

/** Stores the top of the stack in a fresh v128 local and returns it. */
function keep(c: Code): number {
  const t = c.local(V128);
  c.localSet(t);
  return t;
}

/**
 * sin(x) (quadrantShift 0) or cos(x) = sin(x + π/2) (shift 1) for x ≥ 0: reduce to r in [-π/4, π/4]
 * with quadrant q, evaluate both polynomials, pick cos r for odd q and negate for q & 2.
 */
function sinCos(c: Code, x: number, quadrantShift: number): void {
  pickQuadrant(c, reduceQuadrant(c, x), quadrantShift);
}

/** What sin and cos of one x ≥ 0 share: the quadrant j (i32 lanes) and sin r, cos r. */
export interface Quadrant {
  readonly j: number;
  readonly sinR: number;
  readonly cosR: number;
}

/** Reduces x ≥ 0 (a v128 local) to its quadrant and evaluates both polynomials of r. */
export function reduceQuadrant(c: Code, x: number): Quadrant {
  c.localGet(x).f32x4Const(2 / Math.PI).f32x4Mul().f32x4Nearest();
  const jf = keep(c);
  // r = x - j·π/2 in three parts; the first two are exact products for |j| < 2^16.
  c.localGet(x);
  for (const part of [1.5703125, 4.837512969970703125e-4, 7.54978995489188216e-8]) {
    c.localGet(jf).f32x4Const(part).f32x4Mul().f32x4Sub();
  }
  const r = keep(c);
  c.localGet(jf).i32x4TruncSatF32x4S();
  const j = keep(c);
  c.localGet(r).localGet(r).f32x4Mul();
  const z = keep(c);
  // sin r = r + r·z·(S0 + z·(S1 + z·S2))
  c.localGet(r).localGet(r).localGet(z).f32x4Mul();
  horner(c, z, [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1]);
  c.f32x4Mul().f32x4Add();
  const sinR = keep(c);
  // cos r = 1 - z/2 + z²·(C0 + z·(C1 + z·C2)), built from the top down
  c.f32x4Const(1).localGet(z).f32x4Const(0.5).f32x4Mul().f32x4Sub();
  c.localGet(z).localGet(z).f32x4Mul();
  horner(c, z, [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2]);
  c.f32x4Mul().f32x4Add();
  const cosR = keep(c);
  return { j, sinR, cosR };
}

/** sin(x + shift·π/2) from x's quadrant, left on the stack. */
export function pickQuadrant(c: Code, { j, sinR, cosR }: Quadrant, quadrantShift: number): void {
  c.localGet(j).i32x4Const(quadrantShift).i32x4Add();
  const q = keep(c);
  // odd quadrant -> cos r: mask of all ones from bit 0 of q
  c.localGet(cosR).localGet(sinR);
  c.localGet(q).i32Const(31).i32x4Shl().i32Const(31).i32x4ShrS();
  c.v128Bitselect();
  // quadrants 2 and 3 negate: bit 1 of q moved to the sign bit
  c.localGet(q).i32Const(30).i32x4Shl().i32x4Const(-0x80000000).v128And().v128Xor();
}

/**
 * exp(x) = 2^j · p(r), j = round(x·log2 e), r = x - j·ln 2 (two parts). x is clamped to
 * [-104, 88.73] (beyond, the result is 0 or ∞ anyway) and 2^j is applied as two factors so
 * that j from -150 to 128 stays within normal exponents.
 */
function exp(c: Code, x: number): void {
  c.localGet(x).f32x4Const(88.72283935546875).f32x4Min().f32x4Const(-104).f32x4Max();
  const xc = keep(c);
  c.localGet(xc).f32x4Const(Math.LOG2E).f32x4Mul().f32x4Nearest();
  const j = keep(c);
  c.localGet(xc).localGet(j).f32x4Const(0.693359375).f32x4Mul().f32x4Sub();
  c.localGet(j).f32x4Const(-2.12194440e-4).f32x4Mul().f32x4Sub();
  const r = keep(c);
  // p = P(r)·r² + r + 1
  horner(c, r, [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]);
  c.localGet(r).localGet(r).f32x4Mul().f32x4Mul().localGet(r).f32x4Add().f32x4Const(1).f32x4Add();
  // 2^h · 2^(j-h) with h = j >> 1, each as float bits (e + 127) << 23
  c.localGet(j).i32x4TruncSatF32x4S();
  const ji = keep(c);
  c.localGet(ji).i32Const(1).i32x4ShrS();
  const h = keep(c);
  c.localGet(h).i32x4Const(127).i32x4Add().i32Const(23).i32x4Shl().f32x4Mul();
  c.localGet(ji).localGet(h).i32x4Sub().i32x4Const(127).i32x4Add().i32Const(23).i32x4Shl().f32x4Mul();
}

/**
 * tanh of ax ≥ 0: below 0.625, ax + ax·z·P(z) with z = ax² (no cancellation); above,
 * 1 - 2/(exp(2·ax) + 1), which reaches exactly 1 once exp overflows.
 */
function tanhOfAbs(c: Code, ax: number): void {
  c.localGet(ax).f32x4Const(2).f32x4Mul();
  const twice = keep(c);
  c.f32x4Const(1).f32x4Const(2);
  exp(c, twice);
  c.f32x4Const(1).f32x4Add().f32x4Div().f32x4Sub();
  const large = keep(c);
  c.localGet(ax).localGet(ax).f32x4Mul();
  const z = keep(c);
  c.localGet(ax).localGet(ax).localGet(z).f32x4Mul();
  horner(c, z, [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1]);
  c.f32x4Mul().f32x4Add();
  c.localGet(large);
  c.localGet(ax).f32x4Const(0.625).f32x4Lt();
  c.v128Bitselect();
}
