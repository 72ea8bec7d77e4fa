// print, str and repr as MindSpore and NumPy print: the seed document's lines byte for
// byte, NumPy's float rules (unique digits, scientific switch, padding, wrapping,
// summarising), MindSpore's C++ repr inside tuples, and Python's numbers and tuples.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Tensor, bool_, float32, float64, int32, print } from '../../runtime/index.js';
import { formatTensor, pythonNumber, repr } from '../../runtime/print.js';

function printed(...values: unknown[]): string {
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    print(...values);
    return spy.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('the seed document', () => {
  it('prints a pair of gradients as a tuple of MindSpore reprs', () => {
    const out = printed([new Tensor([30], float32), new Tensor([9], float32)]);
    expect(out).toBe('(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))\n');
  });
  it('prints a one-element array as a one-tuple', () => {
    expect(printed([new Tensor([45], float32)])).toBe('(Tensor(shape=[1], dtype=Float32, value= [ 4.50000000e+01]),)\n');
  });
  it('prints lone tensors NumPy-style', () => {
    expect(printed(new Tensor([5], float32))).toBe('[5.]\n');
    expect(printed(new Tensor([10], float32))).toBe('[10.]\n');
    expect(printed(new Tensor([-0], float32))).toBe('[-0.]\n');
    expect(printed(new Tensor([1], float32))).toBe('[1.]\n');
    expect(printed(new Tensor([-1], float32))).toBe('[-1.]\n');
  });
  it('prints a number and a shape as Python does', () => {
    expect(printed(16, [16, 1])).toBe('16 (16, 1)\n');
  });
});

describe('NumPy str of a tensor', () => {
  const cases: [string, Tensor, string][] = [
    ['matrix', new Tensor([[1, 2], [3, 4]]), '[[1. 2.]\n [3. 4.]]'],
    ['float64 matrix', new Tensor([[1, 2, 3], [4, 5, 6]], float64), '[[1. 2. 3.]\n [4. 5. 6.]]'],
    ['signs pad the integer part', new Tensor([1.5, -2]), '[ 1.5 -2. ]'],
    ['float32 shortest digits', new Tensor([0.1, 0.2, 1 / 3]), '[0.1        0.2        0.33333334]'],
    ['float64 rounds to 8 digits', new Tensor([0.1, 1 / 3], float64), '[0.1        0.33333333]'],
    ['mixed widths', new Tensor([100, 0.5]), '[100.    0.5]'],
    ['scientific when small', new Tensor([1e-5, 1]), '[1.e-05 1.e+00]'],
    ['scientific keeps common digits', new Tensor([1.5e-5, 1]), '[1.5e-05 1.0e+00]'],
    ['scientific with a sign', new Tensor([1e-5, -1]), '[ 1.e-05 -1.e+00]'],
    ['scientific when large', new Tensor([1e8, 1]), '[1.e+08 1.e+00]'],
    ['nan pads', new Tensor([1, NaN]), '[ 1. nan]'],
    ['-inf pads', new Tensor([1, -Infinity]), '[  1. -inf]'],
    ['lone nan', new Tensor([NaN]), '[nan]'],
    ['0-d', new Tensor(5), '5.'],
    ['int32', new Tensor([1, 2, 3], int32), '[1 2 3]'],
    ['int32 padded', new Tensor([-1, 10], int32), '[-1 10]'],
    ['bool', new Tensor([true, false]), '[ True False]'],
    ['bool 0-d', new Tensor(true), 'True'],
    ['eight digits at most', new Tensor([123456.789]), '[123456.79]'],
  ];
  it.each(cases)('%s', (_name, t, want) => {
    expect(formatTensor(t)).toBe(want);
    expect(t.toString()).toBe(want);
  });

  it('wraps rows at 75 columns', () => {
    const t = new Tensor(Array.from({ length: 30 }, (_, i) => i * 1.5));
    expect(formatTensor(t)).toBe(
      '[ 0.   1.5  3.   4.5  6.   7.5  9.  10.5 12.  13.5 15.  16.5 18.  19.5\n' +
        ' 21.  22.5 24.  25.5 27.  28.5 30.  31.5 33.  34.5 36.  37.5 39.  40.5\n' +
        ' 42.  43.5]',
    );
  });

  it('summarises past 1000 elements', () => {
    const t = new Tensor(Float32Array.from({ length: 2000 }, (_, i) => i));
    expect(formatTensor(t)).toBe('[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]');
  });

  it('separates 3-d blocks with a blank line', () => {
    const t = new Tensor(Int32Array.from({ length: 8 }, (_, i) => i), int32, { shape: [2, 2, 2] });
    expect(formatTensor(t)).toBe('[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]');
  });
});

describe('MindSpore repr', () => {
  it('formats floats as width-15 scientific, comma separated', () => {
    expect(repr(new Tensor([1.5, -2]))).toBe('Tensor(shape=[2], dtype=Float32, value= [ 1.50000000e+00, -2.00000000e+00])');
    expect(repr(new Tensor([0.1]))).toBe('Tensor(shape=[1], dtype=Float32, value= [ 1.00000001e-01])');
    expect(repr(new Tensor([0.1], float64))).toBe('Tensor(shape=[1], dtype=Float64, value= [ 1.00000000e-01])');
  });
  it('puts a matrix on the next line', () => {
    expect(repr(new Tensor([[1, 2], [3, 4]]))).toBe(
      'Tensor(shape=[2, 2], dtype=Float32, value=\n[[ 1.00000000e+00,  2.00000000e+00],\n [ 3.00000000e+00,  4.00000000e+00]])',
    );
  });
  it('formats ints, bools, 0-d and nan', () => {
    expect(repr(new Tensor([1, 22, 3], int32))).toBe('Tensor(shape=[3], dtype=Int32, value= [ 1, 22,  3])');
    expect(repr(new Tensor([true, false], bool_))).toBe('Tensor(shape=[2], dtype=Bool, value= [ True, False])');
    expect(repr(new Tensor(5))).toBe('Tensor(shape=[], dtype=Float32, value= 5)');
    expect(repr(new Tensor(0.1, float64))).toBe('Tensor(shape=[], dtype=Float64, value= 0.1)');
    expect(repr(new Tensor([NaN]))).toBe('Tensor(shape=[1], dtype=Float32, value= [            nan])');
  });
  it('breaks 1-D rows every 12 floats and summarises wide matrices', () => {
    const row = repr(new Tensor(Array.from({ length: 13 }, (_, i) => i)));
    expect(row.split('\n')).toHaveLength(2);
    expect(row).toContain('1.10000000e+01, \n  1.20000000e+01])');
    const m = repr(new Tensor(Int32Array.from({ length: 64 }, (_, i) => i), int32, { shape: [8, 8] }));
    expect(m).toBe(
      'Tensor(shape=[8, 8], dtype=Int32, value=\n[[ 0,  1,  2 ...  5,  6,  7],\n [ 8,  9, 10 ... 13, 14, 15],\n [16, 17, 18 ... 21, 22, 23],\n ...\n [40, 41, 42 ... 45, 46, 47],\n [48, 49, 50 ... 53, 54, 55],\n [56, 57, 58 ... 61, 62, 63]])',
    );
  });
});

describe('Python values', () => {
  it('prints numbers as Python repr', () => {
    expect([16, 0.1, 1e-5, 1e16, 2.5e-7, 1.5, -3, NaN, Infinity, -Infinity, 123456789.5].map(pythonNumber)).toEqual([
      '16', '0.1', '1e-05', '1e+16', '2.5e-07', '1.5', '-3', 'nan', 'inf', '-inf', '123456789.5',
    ]);
  });
  it('prints tuples, strings, booleans and None', () => {
    expect(repr([1, 'a', true, null, [2]])).toBe("(1, 'a', True, None, (2,))");
    expect(printed('loss:', 0.25, [])).toBe('loss: 0.25 ()\n');
  });
});

describe('Parameters', () => {
  it('print as MindSpore shows them', async () => {
    const { Parameter } = await import('../../runtime/index.js');
    const z = new Parameter(new Tensor([1], float32), 'z');
    expect(repr(z)).toBe('Parameter (name=z, shape=(1,), dtype=Float32, requires_grad=True)');
    expect(printed(z)).toBe('Parameter (name=z, shape=(1,), dtype=Float32, requires_grad=True)\n');
  });
});
