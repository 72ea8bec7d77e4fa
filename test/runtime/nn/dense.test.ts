// Dense computes x·weightᵀ + bias (then its activation), initialises as MindSpore 2.x
// (U(±1/√in) for weight and bias) from the seeded generator, and validates its arguments.
import { describe, expect, it } from 'vitest';
import { float32, float64 } from '../../../runtime/dtype.js';
import * as nn from '../../../runtime/nn/index.js';
import { Parameter } from '../../../runtime/parameter.js';
import { setSeed } from '../../../runtime/random.js';
import { Tensor } from '../../../runtime/tensor.js';

const weight = new Tensor([[1, 2, 3], [4, 5, 6]]);
const bias = new Tensor([0.5, -1]);
const x = new Tensor([[1, 0, -1], [2, 1, 0]]);

describe('Dense forward', () => {
  it('computes x·weightᵀ + bias (hand-computed)', () => {
    const dense = new nn.Dense(3, 2, true, null, { weightInit: weight, biasInit: bias });
    const y = dense(x);
    expect(y.shape).toEqual([2, 2]);
    expect(y.toArray()).toEqual([[-1.5, -3], [4.5, 12]]);
  });

  it('without bias', () => {
    const dense = new nn.Dense(3, 2, false, null, { weightInit: weight });
    expect(dense.bias).toBeNull();
    expect(dense.trainableParams()).toEqual([dense.weight]);
    expect(dense(x).toArray()).toEqual([[-2, -2], [4, 13]]);
  });

  it('applies an activation given by name or as a Cell', () => {
    const relu = new nn.Dense(3, 2, true, 'relu', { weightInit: weight, biasInit: bias });
    expect(relu(x).toArray()).toEqual([[0, 0], [4.5, 12]]);
    const tanh = new nn.Dense(3, 2, true, new nn.Tanh(), { weightInit: weight, biasInit: bias });
    expect(tanh.activation).toBe('tanh');
    const sigmoid = new nn.Dense(3, 2, true, 'sigmoid', { weightInit: weight, biasInit: bias });
    expect((sigmoid(x).toArray() as number[][])[0][0]).toBeCloseTo(1 / (1 + Math.exp(1.5)), 6);
    const got = tanh(x).toArray() as number[][];
    [[-1.5, -3], [4.5, 12]].forEach((row, i) => row.forEach((v, j) => expect(got[i][j]).toBeCloseTo(Math.tanh(v), 6)));
  });

  it('holds Parameters weight [out, in] and bias [out]', () => {
    const dense = new nn.Dense(10, 1);
    expect(dense.weight).toBeInstanceOf(Parameter);
    expect(dense.weight.shape).toEqual([1, 10]);
    expect(dense.bias?.shape).toEqual([1]);
    expect(dense.weight.dtype).toBe(float32);
    expect(dense.namedParameters().map(([path]) => path)).toEqual(['weight', 'bias']);
    expect(new nn.Dense(2, 3, true, null, { dtype: float64 }).weight.dtype).toBe(float64);
  });
});

describe('Dense initialisation', () => {
  it('draws weight and bias from U(±1/√in)', () => {
    const dense = new nn.Dense(100, 50);
    const bound = 1 / Math.sqrt(100);
    const w = Array.from(dense.weight.data);
    const b = Array.from(dense.bias!.data);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(Math.fround(bound));
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(Math.abs(w.reduce((s, v) => s + v, 0) / w.length)).toBeLessThan(0.01);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(Math.fround(bound));
  });

  it('is repeatable under a seed', () => {
    setSeed(7);
    const a = new nn.Dense(4, 3);
    setSeed(7);
    const b = new nn.Dense(4, 3);
    const c = new nn.Dense(4, 3);
    expect(b.weight.toArray()).toEqual(a.weight.toArray());
    expect(b.bias!.toArray()).toEqual(a.bias!.toArray());
    expect(c.weight.toArray()).not.toEqual(a.weight.toArray());
  });
});

describe('Dense arguments', () => {
  it('rejects bad sizes, flags, activations and initial values', () => {
    expect(() => new nn.Dense(0, 1)).toThrow(/Dense: inChannels must be a positive integer, got 0/);
    expect(() => new nn.Dense(2, 1.5)).toThrow(/Dense: outChannels must be a positive integer, got 1.5/);
    expect(() => new nn.Dense(2, 1, 'yes' as unknown as boolean)).toThrow(/Dense: hasBias must be one of true, false, got "yes"/);
    expect(() => new nn.Dense(2, 1, true, 'gelu' as 'relu')).toThrow(/Dense: activation must be one of 'relu', 'sigmoid', 'tanh' \(or an nn.ReLU, nn.Sigmoid, nn.Tanh\), got "gelu"/);
    class Custom extends nn.ReLU {}
    expect(() => new nn.Dense(2, 1, true, new Custom())).toThrow(/got Custom; for any other activation/);
    expect(() => new nn.Dense(3, 2, true, null, { weightInit: new Tensor([[1, 2]]) })).toThrow(/Dense: weightInit must have shape \[2, 3\], got \[1, 2\]/);
    expect(() => new nn.Dense(3, 2, true, null, { biasInit: new Tensor([1, 2], float64) })).toThrow(/Dense: biasInit must be Float32, got Float64/);
  });
});
