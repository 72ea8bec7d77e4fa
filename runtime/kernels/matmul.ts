// Matrix multiply over row-major typed arrays: out[m×n] += a[m×k] · b[k×n], at offsets so
// that batched products share one loop. i-k-j order with four k steps per pass over two
// output rows: B and out stream with unit stride, out is read/written a quarter as often
// as in the plain i-k-j loop, and each element of B loaded serves two rows.

import { TypedArray } from '../dtype.js';

/**
 * out[oOff…] += a[aOff…] · b[bOff…] for one m×k by k×n product (out starts zeroed). Two
 * rows of a at a time, so each loaded element of B serves two output rows.
 */
export function gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number, m: number, k: number, n: number): void {
  const k4 = k - (k % 4);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const ai = aOff + i * k;
    const aj = ai + k;
    const r0 = oOff + i * n;
    const r1 = r0 + n;
    for (let p = 0; p < k4; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      const c0 = a[aj + p], c1 = a[aj + p + 1], c2 = a[aj + p + 2], c3 = a[aj + p + 3];
      const b0 = bOff + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const x0 = b[b0 + j], x1 = b[b1 + j], x2 = b[b2 + j], x3 = b[b3 + j];
        out[r0 + j] += a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
        out[r1 + j] += c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
      }
    }
    for (let p = k4; p < k; p++) {
      const av = a[ai + p];
      const cv = a[aj + p];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const x = b[bp + j];
        out[r0 + j] += av * x;
        out[r1 + j] += cv * x;
      }
    }
  }
  if (i < m) gemmRow(a, aOff + i * k, b, bOff, out, oOff + i * n, k, n);
}

/** One row of the product: out[row…] += a[ai…] · B, four k steps per pass. */
function gemmRow(a: TypedArray, ai: number, b: TypedArray, bOff: number, out: TypedArray, row: number, k: number, n: number): void {
  const k4 = k - (k % 4);
  for (let p = 0; p < k4; p += 4) {
    const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
    const b0 = bOff + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < n; j++) out[row + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
  }
  for (let p = k4; p < k; p++) {
    const av = a[ai + p];
    const bp = bOff + p * n;
    for (let j = 0; j < n; j++) out[row + j] += av * b[bp + j];
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
