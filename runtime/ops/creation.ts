// Tensors made from a shape (no tensor inputs, so nothing to differentiate): ones,
// zeros, randn, uniform. randn and uniform draw from the seeded source (setSeed).
import { DType, float32, dtypeOf } from '../dtype.js';
import { normal, random } from '../random.js';
import { fmt, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

function alloc(op: string, shape: readonly number[], dtype: DType | string = float32): { data: ReturnType<DType['alloc']>; dt: DType } {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${op}: expected a shape of non-negative integers, got ${Array.isArray(shape) ? fmt(shape) : String(shape)}`);
  }
  const dt = dtypeOf(dtype);
  return { data: dt.alloc(sizeOf(shape)), dt };
}

export function ones(shape: readonly number[], dtype: DType | string = float32): Tensor {
  const { data, dt } = alloc('ones', shape, dtype);
  data.fill(1);
  return Tensor.fromData(data, [...shape], dt);
}

export function zeros(shape: readonly number[], dtype: DType | string = float32): Tensor {
  const { data, dt } = alloc('zeros', shape, dtype);
  return Tensor.fromData(data, [...shape], dt);
}

export function randn(shape: readonly number[], dtype: DType | string = float32): Tensor {
  const { data, dt } = alloc('randn', shape, dtype);
  for (let i = 0; i < data.length; i++) data[i] = normal();
  return Tensor.fromData(data, [...shape], dt);
}

export function uniform(shape: readonly number[], low = 0, high = 1, dtype: DType | string = float32): Tensor {
  const { data, dt } = alloc('uniform', shape, dtype);
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * random();
  return Tensor.fromData(data, [...shape], dt);
}
