// The Tensor value: construction from numbers, nested arrays and typed arrays, dtypes,
// shapes, conversions back, and the errors for bad data.
import { describe, expect, it } from 'vitest';
import { Tensor, bool_, float32, float64, int32 } from '../../runtime/index.js';

describe('Tensor', () => {
  it('infers shape and dtype from nested arrays', () => {
    const x = new Tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe(float32);
    expect(x.size).toBe(6);
    expect(x.ndim).toBe(2);
    expect(x.data).toBeInstanceOf(Float32Array);
    expect(new Tensor([true, false]).dtype).toBe(bool_);
    expect(new Tensor(3).shape).toEqual([]);
  });
  it('takes a dtype as an argument, a name or an option', () => {
    expect(new Tensor([1], float64).dtype).toBe(float64);
    expect(new Tensor([1], 'int32').dtype).toBe(int32);
    expect(new Tensor([1.5], { dtype: int32 }).toArray()).toEqual([1]);
  });
  it('wraps typed arrays with a shape', () => {
    const x = new Tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(x.dtype).toBe(float64);
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
    const source = new Float32Array([1, 2]);
    const y = new Tensor(source);
    source[0] = 9;
    expect(y.toArray()).toEqual([1, 2]);
  });
  it('converts back to arrays and numbers', () => {
    expect(new Tensor(2.5).toArray()).toBe(2.5);
    expect(new Tensor([[true], [false]]).toArray()).toEqual([[true], [false]]);
    expect(new Tensor([7]).item()).toBe(7);
    expect(() => new Tensor([1, 2]).item()).toThrow(new RangeError('item(): expected a tensor with one element, got shape [2] (2 elements)'));
  });
  it('rejects ragged arrays, wrong sizes and unknown dtypes with clear messages', () => {
    expect(() => new Tensor([[1, 2], [3]])).toThrow(new RangeError('Tensor: ragged nested array: row [1] has length 1, expected 2'));
    expect(() => new Tensor([[1, 2], 3] as never)).toThrow(/ragged nested array: row \[1\] is a scalar/);
    expect(() => new Tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(new RangeError('Tensor: shape [2, 2] needs 4 elements, got 3'));
    expect(() => new Tensor([1], 'float16')).toThrow(new TypeError('unknown dtype: expected one of float32, float64, int32, bool, got "float16"'));
    expect(() => new Tensor(['a'] as never)).toThrow(/expected numbers or booleans, got string/);
  });
  it('prints NumPy-style', () => {
    expect(String(new Tensor([[1, 2], [3, 4]]))).toBe('[[1. 2.]\n [3. 4.]]');
    expect(`${new Tensor([1, 2, 3], int32)}`).toBe('[1 2 3]');
  });
});
