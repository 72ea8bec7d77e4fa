// Turning op operands (Tensor or number) into kernel inputs, and the shapes of elementwise
// op every arithmetic primitive is built from. Elementwise ops name their kernel
// (`'sin'`, `'mul'`): the loops live behind kernels/index.ts.

import { DType, TypedArray, bool_, float32, floatOf, int32, promote } from '../dtype.js';
import { BinaryName, UnaryName, kernels, runBinary } from '../kernels/index.js';
import { mapBinary, mapUnary } from '../kernels/elementwise.js';
import { fmt, sameShape } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';

/** The dtype a plain number takes beside a tensor of dtype `other` (it is "weak"). */
function numberDType(value: number, other: DType | undefined): DType {
  if (other === undefined) return float32;
  if (other.isFloat) return other;
  return Number.isInteger(value) ? other : float32;
}

/** A Tensor for a Tensor-or-number operand, given the other operand's dtype. */
export function asTensor(op: string, x: TensorLike, other?: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    const dtype = numberDType(x, other);
    const data = dtype.alloc(1);
    data[0] = x;
    return Tensor.fromData(data, [], dtype);
  }
  if (typeof x === 'boolean') {
    return Tensor.fromData(new Uint8Array([x ? 1 : 0]), [], bool_);
  }
  throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Tensor) return `a Tensor of shape ${fmt(x.shape)}`;
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}

/** Both operands as tensors, with the promoted result dtype. */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  const ta = asTensor(op, a, b instanceof Tensor ? b.dtype : undefined);
  const tb = asTensor(op, b, ta.dtype);
  return [ta, tb, promote(ta.dtype, tb.dtype)];
}

/** Arithmetic on bool operands counts in int32 (True + True = 2), as MindSpore's add. */
export function arithmetic(d: DType): DType {
  return d === bool_ ? int32 : d;
}

/**
 * An elementwise binary op with broadcasting: `kernel` names its loop (or, for rare ops,
 * is a closure); `resultDType` maps the promoted dtype to the result's.
 */
export function binaryOp(
  op: string,
  a: TensorLike,
  b: TensorLike,
  kernel: BinaryName | ((x: number, y: number) => number),
  resultDType: (promoted: DType) => DType = arithmetic,
): Tensor {
  if (typeof kernel === 'string') {
    // Two tensors of one dtype and shape (most calls): no promotion, no broadcast.
    if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && sameShape(a.shape, b.shape)) {
      return sameShapeOp(a, b, kernel, resultDType(a.dtype));
    }
    const fast = tensorAndNumber(a, b, kernel, resultDType);
    if (fast) return fast;
  }
  const [ta, tb, promoted] = binaryOperands(op, a, b);
  const dtype = resultDType(promoted);
  const name = kernel === 'mul' && dtype === int32 ? 'imul' : kernel;
  const { data, shape } =
    typeof name === 'string'
      ? runBinary(op, kernels.binary[name], ta.data, ta.shape, tb.data, tb.shape, dtype)
      : mapBinary(op, ta.data, ta.shape, tb.data, tb.shape, dtype, name);
  return Tensor.fromData(data, shape, dtype);
}

/**
 * `a ∘ b` for tensors of the same dtype and shape: the loop broadcasting would pick for
 * them (`same`), without building operands, promoting or looking at broadcast shapes.
 */
function sameShapeOp(a: Tensor, b: Tensor, kernel: BinaryName, dtype: DType): Tensor {
  const out = dtype.alloc(a.data.length);
  kernels.binary[kernel === 'mul' && dtype === int32 ? 'imul' : kernel].same(a.data, b.data, out);
  return Tensor.fromData(out, a.shape.slice(), dtype);
}

/**
 * `x·2`, `1 - x`: a float tensor of rank ≥ 1 and a plain number run the scalar loop
 * directly, without a 0-d tensor for the number; the number is rounded to the tensor's
 * dtype as a 0-d tensor of it would hold it, and the loop is the one the broadcast takes,
 * so the result is the same. Undefined for anything else.
 */
function tensorAndNumber(a: TensorLike, b: TensorLike, kernel: BinaryName, resultDType: (promoted: DType) => DType): Tensor | undefined {
  const numberFirst = typeof a === 'number';
  const t = numberFirst ? b : a;
  const n = numberFirst ? a : b;
  if (!(t instanceof Tensor) || typeof n !== 'number' || !t.dtype.isFloat || t.shape.length === 0) return undefined;
  if (resultDType(t.dtype) !== t.dtype) return undefined;
  const out = t.dtype.alloc(t.data.length);
  const value = t.dtype === float32 ? Math.fround(n) : n;
  const loops = kernels.binary[kernel];
  if (numberFirst) loops.scalarA(value, t.data, out);
  else loops.scalarB(t.data, value, out);
  return Tensor.fromData(out, t.shape.slice(), t.dtype);
}

function runUnary(t: Tensor, dtype: DType, kernel: UnaryName | ((v: number) => number)): Tensor {
  const out: TypedArray = dtype.alloc(t.data.length);
  if (typeof kernel === 'string') kernels.unary[kernel](t.data, out);
  else mapUnary(t.data, out, kernel);
  return Tensor.fromData(out, t.shape.slice(), dtype);
}

/** An elementwise unary op with a float result (sin, exp, ...): int32 and bool give float32. */
export function unaryFloatOp(op: string, x: TensorLike, kernel: UnaryName | ((v: number) => number)): Tensor {
  const t = asTensor(op, x);
  return runUnary(t, floatOf(t.dtype), kernel);
}

/** An elementwise unary op that keeps the operand's dtype (neg, abs, relu, ...; bool gives int32). */
export function unarySameOp(op: string, x: TensorLike, kernel: UnaryName | ((v: number) => number)): Tensor {
  const t = asTensor(op, x);
  return runUnary(t, arithmetic(t.dtype), kernel);
}

/** An elementwise unary op with a result of the given dtype (logicalNot → bool). */
export function unaryOpTo(op: string, x: TensorLike, kernel: UnaryName, dtype: DType): Tensor {
  return runUnary(asTensor(op, x), dtype, kernel);
}
