// Matrix multiply over row-major typed arrays: out[m×n] += a[m×k] · b[k×n], at offsets so
// that batched products share one loop. i-k-j order with four k steps per pass over the
// output row: B and out stream with unit stride and out is read/written a quarter as
// often as in the plain i-k-j loop.

import { TypedArray } from '../dtype.js';

/** out[oOff…] += a[aOff…] · b[bOff…] for one m×k by k×n product (out starts zeroed). */
export function gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number, m: number, k: number, n: number): void {
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * k;
    const row = oOff + i * n;
    for (let p = 0; p < k4; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      const b0 = bOff + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        out[row + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (let p = k4; p < k; p++) {
      const av = a[ai + p];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) out[row + j] += av * b[bp + j];
    }
  }
}

/**
 * `count` products out[i] = a[aOffsets[i]] · b[bOffsets[i]], each m×k by k×n, written
 * to consecutive m×n blocks of `out` (which starts zeroed).
 */
export function gemmBatched(
  a: TypedArray,
  aOffsets: readonly number[],
  b: TypedArray,
  bOffsets: readonly number[],
  out: TypedArray,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < aOffsets.length; i++) gemm(a, aOffsets[i], b, bOffsets[i], out, i * m * n, m, k, n);
}
