// Parameter owns a copy of its data and is assigned in place with checks; ParameterTuple is
// an immutable, indexable, iterable group of distinct Parameters.
import { describe, expect, it } from 'vitest';
import { float32, float64 } from '../../../runtime/dtype.js';
import { Parameter, ParameterTuple } from '../../../runtime/parameter.js';
import { Tensor } from '../../../runtime/tensor.js';

describe('Parameter', () => {
  it('is a Tensor with a name, requiresGrad and brands', () => {
    const p = new Parameter(new Tensor([[1, 2], [3, 4]]), 'w');
    expect(p).toBeInstanceOf(Tensor);
    expect(p.name).toBe('w');
    expect(p.requiresGrad).toBe(true);
    expect(p.shape).toEqual([2, 2]);
    expect(p.dtype).toBe(float32);
    expect(p.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(p.__tsgradParameter).toBe(true);
    expect(p.__tsgradTensor).toBe(true);
    expect(new Parameter(new Tensor([1]), 'b', false).requiresGrad).toBe(false);
  });

  it('copies the initial tensor', () => {
    const t = new Tensor([1, 2]);
    const p = new Parameter(t, 'w');
    t.data[0] = 9;
    expect(p.toArray()).toEqual([1, 2]);
  });

  it('assigns in place, keeping its storage', () => {
    const p = new Parameter(new Tensor([1, 2]), 'w');
    const storage = p.data;
    expect(p.assign(new Tensor([5, 6]))).toBe(p);
    expect(p.data).toBe(storage);
    expect(p.toArray()).toEqual([5, 6]);
  });

  it('rejects assignments of another shape or dtype, or a non-tensor', () => {
    const p = new Parameter(new Tensor([1, 2]), 'w');
    expect(() => p.assign(new Tensor([1, 2, 3]))).toThrow(/Parameter 'w'.assign: shape mismatch.*\[2\].*\[3\]/);
    expect(() => p.assign(new Tensor([1, 2], float64))).toThrow(/dtype mismatch: the Parameter is Float32, the value is Float64/);
    expect(() => p.assign([1, 2] as unknown as Tensor)).toThrow(/expected a Tensor, got an array/);
  });

  it('rejects a non-tensor initial value or a non-string name', () => {
    expect(() => new Parameter([1] as unknown as Tensor, 'w')).toThrow(/Parameter: expected a Tensor/);
    expect(() => new Parameter(new Tensor([1]), 3 as unknown as string)).toThrow(/expected a string name/);
  });
});

describe('ParameterTuple', () => {
  const a = new Parameter(new Tensor([1]), 'a');
  const b = new Parameter(new Tensor([2]), 'b');

  it('is ordered, indexable and iterable', () => {
    const t = new ParameterTuple([a, b]);
    expect(t.length).toBe(2);
    expect(t[0]).toBe(a);
    expect(t[1]).toBe(b);
    expect([...t]).toEqual([a, b]);
    expect(t.at(-1)).toBe(b);
    expect(t.indexOf(b)).toBe(1);
    expect(t.includes(a)).toBe(true);
    expect(t.map((p) => p.name)).toEqual(['a', 'b']);
    expect(t.toArray()).toEqual([a, b]);
    expect(new ParameterTuple(new ParameterTuple([b, a]))[0]).toBe(b);
  });

  it('is immutable', () => {
    const t = new ParameterTuple([a]);
    expect(() => {
      (t as unknown as Parameter[])[0] = b;
    }).toThrow(TypeError);
    expect(Object.isFrozen(t)).toBe(true);
  });

  it('rejects non-Parameters, duplicates and non-iterables', () => {
    expect(() => new ParameterTuple([a, new Tensor([1]) as Parameter])).toThrow(/element 1 is not a Parameter/);
    expect(() => new ParameterTuple([a, b, a])).toThrow(/Parameter 'a' appears twice \(elements 0 and 2\)/);
    expect(() => new ParameterTuple(a as unknown as Parameter[])).toThrow(/expected an iterable of Parameters/);
  });
});
