// matmulNT and matmulTN against matmul of an explicit transpose: float32 products large
// enough for the WebAssembly kernel (with the transpose folded into its packing), a
// stack of rows on the left of matmulNT, float64 and batched operands (the fallback), and
// the shape errors. Their rules are checked by the registry-driven gradient tests.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, ops } from '../../../runtime/index.js';
import { kernels } from '../../../runtime/kernels/index.js';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

function random(shape: number[], seed: number, dtype = float32): Tensor {
  const rand = seeded(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Array.from({ length: size }, rand), { dtype, shape });
}

function expectClose(got: Tensor, want: Tensor, tol: number): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  let err = 0;
  got.data.forEach((v, i) => (err = Math.max(err, Math.abs(v - want.data[i]))));
  expect(err).toBeLessThan(tol);
}

describe('matmulNT: a·bᵀ', () => {
  it('float32 at 64×96·(48×96)ᵀ takes the transposed kernel', () => {
    const a = random([64, 96], 1);
    const b = random([48, 96], 2);
    const out = new Float32Array(64 * 48);
    expect(kernels.matmulTransposed(a.data, b.data, out, 64, 96, 48, false, true)).toBe(true);
    expectClose(ops.matmulNT(a, b), ops.matmul(a, ops.transpose(b, [1, 0])), 1e-4);
  });
  it('a stack of rows on the left: [2, 40, 96]·(48×96)ᵀ', () => {
    const a = random([2, 40, 96], 3);
    const b = random([48, 96], 4);
    expectClose(ops.matmulNT(a, b), ops.matmul(a, ops.transpose(b, [1, 0])), 1e-4);
  });
  it('a vector on the left', () => {
    const a = random([96], 5);
    const b = random([48, 96], 6);
    expectClose(ops.matmulNT(a, b), ops.matmul(a, ops.transpose(b, [1, 0])), 1e-4);
  });
  it('float64 and a batched right operand fall back to matmul of the transpose', () => {
    expectClose(ops.matmulNT(random([5, 7], 7, float64), random([3, 7], 8, float64)), ops.matmul(random([5, 7], 7, float64), ops.transpose(random([3, 7], 8, float64), [1, 0])), 1e-12);
    const a = random([2, 5, 7], 9);
    const b = random([2, 3, 7], 10);
    expectClose(ops.matmulNT(a, b), ops.matmul(a, ops.transpose(b, [0, 2, 1])), 1e-5);
  });
  it('says when the inner dimensions differ', () => {
    expect(() => ops.matmulNT(random([2, 3], 11), random([4, 5], 12))).toThrow(/inner dimensions differ/);
  });
});

describe('matmulTN: aᵀ·b', () => {
  it('float32 at (96×64)ᵀ·96×48 takes the transposed kernel', () => {
    const a = random([96, 64], 13);
    const b = random([96, 48], 14);
    const out = new Float32Array(64 * 48);
    expect(kernels.matmulTransposed(a.data, b.data, out, 64, 96, 48, true, false)).toBe(true);
    expectClose(ops.matmulTN(a, b), ops.matmul(ops.transpose(a, [1, 0]), b), 1e-4);
  });
  it('float64, batches and a vector on the right fall back to matmul of the transpose', () => {
    const a = random([7, 5], 15, float64);
    const b = random([7, 3], 16, float64);
    expectClose(ops.matmulTN(a, b), ops.matmul(ops.transpose(a, [1, 0]), b), 1e-12);
    const a3 = random([2, 7, 5], 17);
    const b3 = random([2, 7, 3], 18);
    expectClose(ops.matmulTN(a3, b3), ops.matmul(ops.transpose(a3, [0, 2, 1]), b3), 1e-5);
    const v = random([7], 19);
    expectClose(ops.matmulTN(random([7, 5], 20), v), ops.matmul(ops.transpose(random([7, 5], 20), [1, 0]), v), 1e-5);
  });
});

describe('transpose of the last two axes', () => {
  it('matches the element-by-element definition, batched and for every dtype', () => {
    for (const dtype of [float32, float64]) {
      const x = random([3, 37, 41], 21, dtype);
      const t = ops.transpose(x, [0, 2, 1]);
      expect(t.shape).toEqual([3, 41, 37]);
      for (let b = 0; b < 3; b++) for (let i = 0; i < 37; i++) for (let j = 0; j < 41; j++) expect(t.data[(b * 41 + j) * 37 + i]).toBe(x.data[(b * 37 + i) * 41 + j]);
    }
  });
});
