// The f32x4 elementwise kernels: float32 ulp accuracy of sin/cos/exp/tanh against Math,
// IEEE special values, ragged lengths across chunk edges, exact arithmetic, and adapters.
import { describe, expect, it } from 'vitest';
import { buildElementwiseModule } from '../../../runtime/kernels/wasm/elementwise-kernel.js';
import {
  binaryF32,
  unaryF32,
  unaryMathNames,
  wasmBinaryLoops,
  wasmUnaryLoops,
} from '../../../runtime/kernels/wasm/index.js';
import { plainKernels } from '../../../runtime/kernels/index.js';

const math = { sin: Math.sin, cos: Math.cos, exp: Math.exp, tanh: Math.tanh };

/** Error in float32 ulps of the correctly rounded value (denormal ulp at the bottom). */
function ulps(got: number, want: number): number {
  const w = Math.fround(want);
  if (Number.isNaN(w)) return Number.isNaN(got) ? 0 : Infinity;
  if (got === w) return 0;
  return Math.abs(got - w) / Math.max(Math.abs(w) * 2 ** -23, 2 ** -149);
}

describe('unaryF32', () => {
  it('builds a valid module', () => {
    expect(WebAssembly.validate(buildElementwiseModule())).toBe(true);
  });

  // A dense grid over the ranges that matter, plus tiny and large magnitudes.
  const grid = Float32Array.from({ length: 200_003 }, (_, i) => (i - 100_000) / 1000);
  const extra = Float32Array.from([1e-30, -1e-30, 1e-8, 0.625, -0.625, 1000.5, -31415.9, 88.7, -87.3, -103, 9.1]);
  for (const name of unaryMathNames) {
    it(`${name} is within 2 ulp of Math.${name} (and 1e-7 absolute near zeros of sin/cos)`, () => {
      for (const x of [grid, extra]) {
        const out = new Float32Array(x.length);
        unaryF32(name, x, out);
        for (let i = 0; i < x.length; i++) {
          const want = math[name](x[i]);
          const ok = ulps(out[i], want) <= 2 || ((name === 'sin' || name === 'cos') && Math.abs(out[i] - want) < 1e-7);
          if (!ok) expect({ x: x[i], got: out[i], want }).toBe('within 2 ulp');
        }
      }
    });
  }

  it('gives what Math gives on special values', () => {
    const x = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 100, -200, 1e10]);
    for (const name of unaryMathNames) {
      const out = new Float32Array(x.length);
      unaryF32(name, x, out);
      for (let i = 0; i < 5; i++) expect(out[i]).toBe(Math.fround(math[name](x[i])));
      if (name !== 'sin' && name !== 'cos') for (let i = 5; i < 8; i++) expect(out[i]).toBe(Math.fround(math[name](x[i])));
    }
  });

  it('writes exactly out.length values across chunk edges', () => {
    for (const n of [1, 3, 5, 16384, 16387, 40000]) {
      const x = Float32Array.from({ length: n }, (_, i) => i * 1e-3);
      const out = new Float32Array(n + 2).fill(7);
      unaryF32('exp', x, out.subarray(0, n));
      expect(ulps(out[n - 1], Math.exp(x[n - 1]))).toBeLessThanOrEqual(2);
      expect([out[n], out[n + 1]]).toEqual([7, 7]);
    }
  });
});

describe('binaryF32', () => {
  it('matches float32 arithmetic exactly', () => {
    const n = 20_001;
    const a = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e3);
    const b = Float32Array.from({ length: n }, (_, i) => Math.cos(i) + 2);
    const ops = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y };
    for (const [name, f] of Object.entries(ops) as [keyof typeof ops, (x: number, y: number) => number][]) {
      const out = new Float32Array(n);
      binaryF32(name, a, b, out);
      for (let i = 0; i < n; i++) if (out[i] !== Math.fround(f(a[i], b[i]))) expect({ name, i, got: out[i] }).toBe('exact');
    }
  });
});

describe('adapters', () => {
  it('wasmUnaryLoops falls back for float64 and short arrays', () => {
    const calls: string[] = [];
    const fallback = Object.fromEntries(unaryMathNames.map((n) => [n, () => void calls.push(n)])) as never;
    const loops = wasmUnaryLoops(fallback);
    loops.sin(new Float64Array(100), new Float64Array(100));
    loops.cos(new Float32Array(4), new Float32Array(4));
    const out = new Float32Array(100);
    loops.exp(new Float32Array(100), out);
    expect(calls).toEqual(['sin', 'cos']);
    expect(out[0]).toBe(1);
  });

  it('wasmBinaryLoops takes float32 arrays of 128 or more and falls back for the rest', () => {
    const calls: string[] = [];
    const plain = {
      same: () => void calls.push('same'),
      scalarA: () => void calls.push('scalarA'),
      scalarB: () => void calls.push('scalarB'),
      repeatB: () => void calls.push('repeatB'),
      strided: () => void calls.push('strided'),
    };
    const loops = wasmBinaryLoops({ add: plain, sub: plain, mul: plain, div: plain });
    const out = new Float32Array(200);
    loops.add.same(new Float32Array(200).fill(1), new Float32Array(200).fill(2), out);
    expect(out[199]).toBe(3);
    loops.sub.scalarA(10, new Float32Array(200).fill(4), out);
    expect(out[199]).toBe(6);
    loops.mul.scalarB(new Float32Array(200).fill(4), 0.5, out);
    expect(out[199]).toBe(2);
    loops.add.repeatB(new Float32Array(256).fill(1), new Float32Array(64).fill(2), new Float32Array(256));
    expect(calls).toEqual([]);
    loops.mul.same(new Float32Array(3), new Float32Array(3), new Float32Array(3));
    loops.sub.scalarA(1, new Float64Array(200), new Float64Array(200));
    loops.sub.scalarB(new Float32Array(3), 1, new Float32Array(3));
    loops.add.repeatB(new Float32Array(300), new Float32Array(30), new Float32Array(300)); // rows of 30
    expect(calls).toEqual(['same', 'scalarA', 'scalarB', 'repeatB']);
  });
});

describe('exact maps on wasm equal the plain loops bit for bit', () => {
  const specials = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1, 0.1];
  // Ragged lengths and more than one chunk (16384 elements).
  for (const n of [128, 1001, 40_003]) {
    const x = Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : Math.sin(i * 12.9898) * 10 ** ((i % 20) - 10)));
    const y = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 3.7) * 10 ** ((i % 14) - 7));
    const words = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (w, i) => (Number.isNaN(a[i]) ? 'NaN' : w));
    it(`square, neg, abs, relu on ${n}`, () => {
      const loops = wasmUnaryLoops(plainKernels.unary);
      for (const name of ['square', 'neg', 'abs', 'relu'] as const) {
        const got = new Float32Array(n);
        const want = new Float32Array(n);
        loops[name](x, got);
        plainKernels.unary[name](x, want);
        expect(words(got)).toEqual(words(want));
      }
    });
    it(`add, sub, mul, div with a number and with a repeated row on ${n}`, () => {
      const loops = wasmBinaryLoops(plainKernels.binary);
      for (const name of ['add', 'sub', 'mul', 'div'] as const) {
        for (const v of [100, Math.fround(0.1), -0, NaN]) {
          for (const first of [false, true]) {
            const got = new Float32Array(n);
            const want = new Float32Array(n);
            if (first) {
              loops[name].scalarA(v, x, got);
              plainKernels.binary[name].scalarA(v, x, want);
            } else {
              loops[name].scalarB(x, v, got);
              plainKernels.binary[name].scalarB(x, v, want);
            }
            expect(words(got)).toEqual(words(want));
          }
        }
        const row = y.subarray(0, 64);
        const m = n - (n % 64);
        const got = new Float32Array(m);
        const want = new Float32Array(m);
        loops[name].repeatB(x.subarray(0, m), row, got);
        plainKernels.binary[name].repeatB(x.subarray(0, m), row, want);
        expect(words(got)).toEqual(words(want));
      }
    });
  }
});
