// The scalar path's check (runtime/scalar.ts): a one-element float32 tensor of `like`'s
// shape, nothing else.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, int32 } from '../../runtime/index.js';
import { isScalarF32, scalarTensor } from '../../runtime/scalar.js';

const one = (shape: number[], dtype = float32) => new Tensor([2.5], dtype, { shape });

describe('isScalarF32', () => {
  it('takes one float32 element of the same shape, at every rank', () => {
    for (const shape of [[], [1], [1, 1], [1, 1, 1]]) expect(isScalarF32(one(shape), one(shape))).toBe(true);
  });
  it('refuses another rank, more elements, other dtypes and non-tensors', () => {
    expect(isScalarF32(one([1]), one([1, 1]))).toBe(false);
    expect(isScalarF32(one([]), one([1]))).toBe(false);
    expect(isScalarF32(one([1]), new Tensor([1, 2], float32))).toBe(false);
    expect(isScalarF32(new Tensor([1, 2], float32), new Tensor([1, 2], float32))).toBe(false);
    expect(isScalarF32(one([1], float64), one([1]))).toBe(false);
    expect(isScalarF32(new Tensor([3], int32), one([1]))).toBe(false);
    expect(isScalarF32(2.5, one([]))).toBe(false);
    expect(isScalarF32({ data: new Float32Array(1), shape: [1], dtype: float32 }, one([1]))).toBe(false);
  });
  it('scalarTensor wraps a number in the shape of its like', () => {
    const t = scalarTensor(1.25, one([1, 1]));
    expect(t.shape).toEqual([1, 1]);
    expect(t.dtype).toBe(float32);
    expect(Array.from(t.data)).toEqual([1.25]);
  });
});
