// The wasm float32 matmul against a float64 reference: ragged sizes, vectors, k = 1, sizes
// past the cache blocks, every transpose combination, batched use and the kernel adapter.
import { describe, expect, it } from 'vitest';
import { Arena } from '../../../runtime/kernels/wasm/arena.js';
import { WasmMatmul } from '../../../runtime/kernels/wasm/matmul.js';
import { matmulBatchedF32, matmulF32, wasmMatmulKernel } from '../../../runtime/kernels/wasm/index.js';

/** Deterministic values in [-1, 1). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

function randomMatrix(size: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: size }, rand);
}

/** op(A)·op(B) in float64, plus Σ|a||b| per entry for the float32 error bound. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean) {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        const y = transB ? b[j * k + p] : b[p * n + j];
        s += x * y;
        mag += Math.abs(x * y);
      }
      value[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { value, magnitude };
}

/** Largest error in units of the float32 bound k·ε·Σ|a||b| (must stay below 1). */
function worstError(got: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA = false, transB = false): number {
  const { value, magnitude } = reference(a, b, m, k, n, transA, transB);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    const bound = k * 2 ** -23 * magnitude[i] + 1e-30;
    worst = Math.max(worst, Math.abs(got[i] - value[i]) / bound);
  }
  return worst;
}

const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 7, 1], [1, 33, 9], [9, 33, 1], [5, 1, 6], [3, 5, 7], [4, 8, 8],
  [13, 17, 19], [31, 1, 33], [64, 64, 64], [1, 300, 40], [40, 300, 1],
  [133, 270, 21], // past one mc block of rows and one kc slice of k
  [7, 600, 130], // three kc slices
];

describe('matmulF32', () => {
  const rand = seeded(7);
  for (const [m, k, n] of shapes) {
    for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
      it(`${m}×${k}·${k}×${n}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''}`, () => {
        const a = randomMatrix(m * k, rand);
        const b = randomMatrix(k * n, rand);
        const out = new Float32Array(m * n).fill(NaN); // overwritten, never read
        matmulF32(a, b, out, m, k, n, { transA, transB });
        expect(worstError(out, a, b, m, k, n, transA, transB)).toBeLessThan(1);
      });
    }
  }

  it('writes only the m×n result and leaves the rest of out alone', () => {
    const out = new Float32Array(6).fill(-1);
    matmulF32(new Float32Array([1, 2]), new Float32Array([3, 4]), out, 1, 2, 1);
    expect([...out]).toEqual([11, -1, -1, -1, -1, -1]);
  });

  it('gives zeros for k = 0 and does nothing for m = 0', () => {
    const out = new Float32Array(4).fill(5);
    matmulF32(new Float32Array(0), new Float32Array(0), out, 2, 0, 2);
    expect([...out]).toEqual([0, 0, 0, 0]);
    matmulF32(new Float32Array(0), new Float32Array(6), out, 0, 3, 2);
    expect([...out]).toEqual([0, 0, 0, 0]);
  });

  it('rejects buffers that are too small', () => {
    expect(() => matmulF32(new Float32Array(3), new Float32Array(4), new Float32Array(4), 2, 2, 2)).toThrow(RangeError);
  });

  it('reuses its memory: a small product after a large one is still right', () => {
    const a = randomMatrix(200 * 200, rand);
    const big = new Float32Array(200 * 200);
    matmulF32(a, a, big, 200, 200, 200);
    const out = new Float32Array(4);
    matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), out, 2, 2, 2);
    expect([...out]).toEqual([19, 22, 43, 50]);
  });
});

describe('other register-block shapes', () => {
  // Exercises the generator's parameters: gather-only A packing (mr 3), k padding (ku 4),
  // narrow and wide blocks, and tiny cache blocks so every loop runs several trips.
  const rand = seeded(11);
  for (const shape of [{ mr: 3, nr: 4, ku: 4 }, { mr: 6, nr: 8, ku: 2 }, { mr: 2, nr: 16, ku: 1 }]) {
    it(`${shape.mr}×${shape.nr} ku ${shape.ku}`, () => {
      const kernel = new WasmMatmul(new Arena(), shape, { kc: 16, mc: 12 });
      for (const [m, k, n] of [[1, 1, 1], [17, 37, 23], [40, 5, 3]]) {
        for (const [transA, transB] of [[false, false], [true, true]]) {
          const a = randomMatrix(m * k, rand);
          const b = randomMatrix(k * n, rand);
          const out = new Float32Array(m * n);
          kernel.run(a, b, out, m, k, n, { transA, transB });
          expect(worstError(out, a, b, m, k, n, transA, transB)).toBeLessThan(1);
        }
      }
    });
  }
});

describe('batched', () => {
  const rand = seeded(3);
  it('multiplies each batch entry, sharing a single-matrix operand', () => {
    const [batch, m, k, n] = [3, 5, 6, 7];
    const a = randomMatrix(batch * m * k, rand);
    const b = randomMatrix(k * n, rand); // shared
    const out = new Float32Array(batch * m * n);
    matmulBatchedF32(a, b, out, batch, m, k, n);
    for (let i = 0; i < batch; i++) {
      const ai = a.subarray(i * m * k, (i + 1) * m * k);
      expect(worstError(out.subarray(i * m * n, (i + 1) * m * n), ai, b, m, k, n)).toBeLessThan(1);
    }
  });

  it('transposes each entry', () => {
    const [batch, m, k, n] = [2, 9, 4, 10];
    const a = randomMatrix(batch * m * k, rand);
    const b = randomMatrix(batch * k * n, rand);
    const out = new Float32Array(batch * m * n);
    matmulBatchedF32(a, b, out, batch, m, k, n, { transA: true, transB: true });
    for (let i = 0; i < batch; i++) {
      const ai = a.subarray(i * m * k, (i + 1) * m * k);
      const bi = b.subarray(i * k * n, (i + 1) * k * n);
      expect(worstError(out.subarray(i * m * n, (i + 1) * m * n), ai, bi, m, k, n, true, true)).toBeLessThan(1);
    }
  });
});

describe('wasmMatmulKernel (the KernelSet adapter)', () => {
  const rand = seeded(5);
  const calls: string[] = [];
  const fallback = (..._args: unknown[]) => void calls.push('fallback');
  const kernel = wasmMatmulKernel(fallback);

  it('runs float32 products on wasm at the given offsets', () => {
    const [m, k, n] = [16, 16, 16];
    const a = randomMatrix(3 * m * k, rand);
    const b = randomMatrix(2 * k * n, rand);
    const out = new Float32Array(2 * m * n);
    kernel(a, [m * k, 2 * m * k], b, [0, k * n], out, m, k, n);
    expect(calls).toEqual([]);
    expect(worstError(out.subarray(0, m * n), a.subarray(m * k, 2 * m * k), b.subarray(0, k * n), m, k, n)).toBeLessThan(1);
    expect(worstError(out.subarray(m * n), a.subarray(2 * m * k), b.subarray(k * n), m, k, n)).toBeLessThan(1);
  });

  it('leaves tiny products and other dtypes to the fallback', () => {
    kernel(new Float32Array(4), [0], new Float32Array(4), [0], new Float32Array(4), 2, 2, 2);
    kernel(new Float64Array(32 * 32), [0], new Float64Array(32 * 32), [0], new Float64Array(32 * 32), 32, 32, 32);
    expect(calls).toEqual(['fallback', 'fallback']);
  });
});
