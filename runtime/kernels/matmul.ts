// Float matrix multiply, row-major: out[m×n] = a[m×k] · b[k×n]. i-k-j order with the
// inner loop unrolled by four keeps both inputs streaming through the cache.
import { TypedArray } from '../dtype.js';

export function gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ao = aOff + i * k;
    const oo = oOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[ao + p];
      if (av === 0) continue;
      const bo = bOff + p * n;
      let j = 0;
      for (; j + 3 < n; j += 4) {
        out[oo + j] += av * b[bo + j];
        out[oo + j + 1] += av * b[bo + j + 1];
        out[oo + j + 2] += av * b[bo + j + 2];
        out[oo + j + 3] += av * b[bo + j + 3];
      }
      for (; j < n; j++) out[oo + j] += av * b[bo + j];
    }
  }
}
