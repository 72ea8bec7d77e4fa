// Elementwise kernels over typed arrays: one specialised loop per op. Each op's loop is
// built once, at load time, from a one-expression template (`Math.sin(v)`, `x * y`), so
// V8 sees a monomorphic loop body with the math inlined: no per-element closure call.
// The fast paths (same shapes, a scalar operand) have no index math; other broadcasts
// walk the output with an odometer that keeps both source offsets in step.

import { DType, TypedArray } from '../dtype.js';
import { broadcastShapes, sameShape, sizeOf, stridesOf } from '../shape.js';

/** out[i] = f(x[i]) */
export type UnaryLoop = (x: TypedArray, out: TypedArray) => void;

/** The loops of one broadcasting binary op. */
export interface BinaryLoops {
  /** Operands of the same shape. */
  same(a: TypedArray, b: TypedArray, out: TypedArray): void;
  /** `a` is one value. */
  scalarA(a: number, b: TypedArray, out: TypedArray): void;
  /** `b` is one value. */
  scalarB(a: TypedArray, b: number, out: TypedArray): void;
  /** `b` is a block of `b.length` elements repeated along a's leading axes (a bias row). */
  repeatB(a: TypedArray, b: TypedArray, out: TypedArray): void;
  /** `a` is a block repeated along b's leading axes. */
  repeatA(a: TypedArray, b: TypedArray, out: TypedArray): void;
  /** General broadcast: strides of a and b inside `shape` (0 along broadcast axes). */
  strided(a: TypedArray, as: readonly number[], b: TypedArray, bs: readonly number[], out: TypedArray, shape: readonly number[]): void;
}

/** Unary ops by name, as expressions of `v`. NaN and ±Infinity propagate as IEEE says. */
export const unaryExpressions = {
  neg: '-v',
  abs: 'Math.abs(v)',
  sign: 'Math.sign(v)',
  square: 'v * v',
  sqrt: 'Math.sqrt(v)',
  exp: 'Math.exp(v)',
  expm1: 'Math.expm1(v)',
  log: 'Math.log(v)',
  log1p: 'Math.log1p(v)',
  sin: 'Math.sin(v)',
  cos: 'Math.cos(v)',
  tan: 'Math.tan(v)',
  tanh: 'Math.tanh(v)',
  atan: 'Math.atan(v)',
  sinh: 'Math.sinh(v)',
  cosh: 'Math.cosh(v)',
  // Two forms so that exp never overflows to Infinity/Infinity = NaN.
  sigmoid: 'v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))',
  relu: 'v > 0 ? v : (v !== v ? v : 0)',
  step: 'v > 0 ? 1 : 0',
  logicalNot: 'v === 0 ? 1 : 0',
  copy: 'v',
} as const;

/** Binary ops by name, as expressions of `x` and `y`. */
export const binaryExpressions = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  // int32 products wrap exactly, as NumPy's int32 (a float64 product would round first).
  imul: 'Math.imul(x, y)',
  div: 'x / y',
  pow: 'x ** y',
  mod: 'x % y',
  atan2: 'Math.atan2(x, y)',
  hypot: 'Math.hypot(x, y)',
  // NaN in either operand gives NaN, as NumPy's maximum/minimum.
  maximum: 'x >= y || x !== x ? x : y',
  minimum: 'x <= y || x !== x ? x : y',
  equal: 'x === y ? 1 : 0',
  notEqual: 'x !== y ? 1 : 0',
  greater: 'x > y ? 1 : 0',
  greaterEqual: 'x >= y ? 1 : 0',
  less: 'x < y ? 1 : 0',
  lessEqual: 'x <= y ? 1 : 0',
  logicalAnd: 'x !== 0 && y !== 0 ? 1 : 0',
  logicalOr: 'x !== 0 || y !== 0 ? 1 : 0',
} as const;

export type UnaryName = keyof typeof unaryExpressions;
export type BinaryName = keyof typeof binaryExpressions;

/** Builds the loop for `out[i] = <expr of v = x[i]>`. */
export function compileUnary(expr: string): UnaryLoop {
  return new Function('x', 'out', `
    const n = out.length;
    for (let i = 0; i < n; i++) { const v = x[i]; out[i] = ${expr}; }
  `) as UnaryLoop;
}

/** Builds the four loops of a broadcasting binary op `out = <expr of x, y>`. */
export function compileBinary(expr: string): BinaryLoops {
  const same = new Function('a', 'b', 'out', `
    const n = out.length;
    for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${expr}; }
  `);
  const scalarA = new Function('x', 'b', 'out', `
    const n = out.length;
    for (let i = 0; i < n; i++) { const y = b[i]; out[i] = ${expr}; }
  `);
  const scalarB = new Function('a', 'y', 'out', `
    const n = out.length;
    for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; }
  `);
  // A repeated block: two plain loops, no strides (the odometer costs ~3x per element).
  const repeatB = new Function('a', 'b', 'out', `
    const n = out.length, m = b.length;
    for (let o = 0; o < n; o += m) {
      for (let j = 0; j < m; j++) { const x = a[o + j], y = b[j]; out[o + j] = ${expr}; }
    }
  `);
  const repeatA = new Function('a', 'b', 'out', `
    const n = out.length, m = a.length;
    for (let o = 0; o < n; o += m) {
      for (let j = 0; j < m; j++) { const x = a[j], y = b[o + j]; out[o + j] = ${expr}; }
    }
  `);
  // The innermost axis runs as a plain loop; the outer axes advance like an odometer.
  const strided = new Function('a', 'as', 'b', 'bs', 'out', 'shape', `
    const nd = shape.length;
    const inner = shape[nd - 1], sa = as[nd - 1], sb = bs[nd - 1];
    const index = new Array(nd).fill(0);
    let ia = 0, ib = 0;
    for (let o = 0; o < out.length; o += inner) {
      for (let j = 0, ja = ia, jb = ib; j < inner; j++, ja += sa, jb += sb) {
        const x = a[ja], y = b[jb]; out[o + j] = ${expr};
      }
      for (let d = nd - 2; d >= 0; d--) {
        index[d]++; ia += as[d]; ib += bs[d];
        if (index[d] < shape[d]) break;
        ia -= as[d] * shape[d]; ib -= bs[d] * shape[d]; index[d] = 0;
      }
    }
  `);
  return { same, scalarA, scalarB, repeatB, repeatA, strided } as BinaryLoops;
}

/** Runs a binary op with NumPy broadcasting; `op` names the caller in shape errors. */
export function runBinary(
  op: string,
  loops: BinaryLoops,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
): { data: TypedArray; shape: number[] } {
  if (sameShape(aShape, bShape)) {
    const out = dtype.alloc(a.length);
    loops.same(a, b, out);
    return { data: out, shape: [...aShape] };
  }
  const shape = broadcastShapes(op, aShape, bShape);
  const out = dtype.alloc(sizeOf(shape));
  if (out.length === 0) return { data: out, shape };
  if (b.length === 1 && a.length === out.length) loops.scalarB(a, b[0], out);
  else if (a.length === 1 && b.length === out.length) loops.scalarA(a[0], b, out);
  else if (a.length === out.length && trailingBlock(bShape, shape)) loops.repeatB(a, b, out);
  else if (b.length === out.length && trailingBlock(aShape, shape)) loops.repeatA(a, b, out);
  else loops.strided(a, broadcastStrides(aShape, shape), b, broadcastStrides(bShape, shape), out, shape);
  return { data: out, shape };
}

/**
 * Whether `shape` broadcast to `target` is its data repeated whole along target's leading
 * axes: leading 1s aside, `shape` equals the end of `target` ([128] in [64, 128]).
 */
function trailingBlock(shape: readonly number[], target: readonly number[]): boolean {
  let d = 0;
  while (d < shape.length && shape[d] === 1) d++;
  const offset = target.length - shape.length;
  for (let e = d; e < shape.length; e++) if (shape[e] !== target[offset + e]) return false;
  return true;
}

/** Strides of `shape` seen inside the broadcast `target`: 0 along broadcast dimensions. */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : own[i - offset]));
}

/** out[i] = f(x[i]), with a closure: for rare ops only (the named loops are faster). */
export function mapUnary(x: TypedArray, out: TypedArray, f: (v: number) => number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}

/** A broadcasting binary map with a closure: for rare ops only. */
export function mapBinary(
  op: string,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
  f: (x: number, y: number) => number,
): { data: TypedArray; shape: number[] } {
  return runBinary(op, closureLoops(f), a, aShape, b, bShape, dtype);
}

function closureLoops(f: (x: number, y: number) => number): BinaryLoops {
  return {
    same: (a, b, out) => {
      for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
    },
    scalarA: (x, b, out) => {
      for (let i = 0; i < out.length; i++) out[i] = f(x, b[i]);
    },
    scalarB: (a, y, out) => {
      for (let i = 0; i < out.length; i++) out[i] = f(a[i], y);
    },
    repeatB: (a, b, out) => {
      for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i % b.length]);
    },
    repeatA: (a, b, out) => {
      for (let i = 0; i < out.length; i++) out[i] = f(a[i % a.length], b[i]);
    },
    strided: (a, as, b, bs, out, shape) => {
      const nd = shape.length;
      const index = new Array<number>(nd).fill(0);
      let ia = 0;
      let ib = 0;
      for (let o = 0; o < out.length; o++) {
        out[o] = f(a[ia], b[ib]);
        for (let d = nd - 1; d >= 0; d--) {
          index[d]++;
          ia += as[d];
          ib += bs[d];
          if (index[d] < shape[d]) break;
          ia -= as[d] * shape[d];
          ib -= bs[d] * shape[d];
          index[d] = 0;
        }
      }
    },
  };
}
