// The kernel interface: ops reach kernels only through kernels/index.ts, so an installed
// replacement (a WebAssembly matmul, say) takes effect at once for every op and rule.
import { afterEach, describe, expect, it } from 'vitest';
import { Tensor, ops } from '../../../runtime/index.js';
import { MatmulKernel, installKernels, kernels, plainKernels } from '../../../runtime/kernels/index.js';

afterEach(() => installKernels({ matmul: plainKernels.matmul, unary: { sin: plainKernels.unary.sin } }));

describe('kernels', () => {
  it('lets a replacement matmul serve every matmul, batched or not', () => {
    const calls: number[] = [];
    const spy: MatmulKernel = (a, ao, b, bo, out, m, k, n) => {
      calls.push(ao.length);
      plainKernels.matmul(a, ao, b, bo, out, m, k, n);
    };
    installKernels({ matmul: spy });
    expect(kernels.matmul).toBe(spy);
    expect(ops.matmul(new Tensor([[1, 2]]), new Tensor([[3], [4]])).toArray()).toEqual([[11]]);
    expect(ops.matmul(ops.ones([3, 2, 2]), ops.ones([2, 2])).shape).toEqual([3, 2, 2]);
    expect(calls).toEqual([1, 3]);
  });
  it('lets a replacement elementwise loop serve its op', () => {
    installKernels({ unary: { sin: (x, out) => out.fill(7) } });
    expect(ops.sin(new Tensor([0, 1])).toArray()).toEqual([7, 7]);
  });
  it('matmul kernel matches a float64 reference on odd sizes', () => {
    const m = 5, k = 7, n = 3;
    const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const out = new Float64Array(m * n);
    plainKernels.matmul(a, [0], b, [0], out, m, k, n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        expect(out[i * n + j]).toBeCloseTo(s, 12);
      }
    }
  });
});
