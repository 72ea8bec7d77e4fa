// Turning op operands (Tensor or number) into kernel inputs, and the two shapes of
// elementwise op every arithmetic primitive is built from.

import { DType, TypedArray, float32, floatOf, promote } from '../dtype.js';
import { mapBinary, mapUnary } from '../kernels/elementwise.js';
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
  throw new TypeError(`${op}: expected a Tensor or a number, got ${describe(x)}`);
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Tensor) return `a Tensor of shape [${x.shape.join(', ')}]`;
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}

/** Both operands as tensors, with the promoted result dtype. */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  const ta = asTensor(op, a, b instanceof Tensor ? b.dtype : undefined);
  const tb = asTensor(op, b, ta.dtype);
  return [ta, tb, promote(ta.dtype, tb.dtype)];
}

/** An elementwise binary op with broadcasting; `float` forces a float result dtype. */
export function binaryOp(
  op: string,
  a: TensorLike,
  b: TensorLike,
  f: (x: number, y: number) => number,
  resultDType: (promoted: DType) => DType = (d) => d,
): Tensor {
  const [ta, tb, promoted] = binaryOperands(op, a, b);
  const dtype = resultDType(promoted);
  const { data, shape } = mapBinary(op, ta.data, ta.shape, tb.data, tb.shape, dtype, f);
  return Tensor.fromData(data, shape, dtype);
}

/** An elementwise unary op with a float result (sin, exp, ...). */
export function unaryFloatOp(op: string, x: TensorLike, f: (v: number) => number): Tensor {
  const t = asTensor(op, x);
  const dtype = floatOf(t.dtype);
  const out: TypedArray = dtype.alloc(t.size);
  mapUnary(t.data, out, f);
  return Tensor.fromData(out, [...t.shape], dtype);
}

/** An elementwise unary op that keeps the operand's dtype (neg, abs, relu, ...). */
export function unarySameOp(op: string, x: TensorLike, f: (v: number) => number): Tensor {
  const t = asTensor(op, x);
  const out: TypedArray = t.dtype.alloc(t.size);
  mapUnary(t.data, out, f);
  return Tensor.fromData(out, [...t.shape], t.dtype);
}
