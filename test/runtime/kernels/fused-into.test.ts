// Loop.runInto (runtime/kernels/wasm/fused.ts) writes a loop's results straight into
// padSlice targets: the first sink stored, the second added by the elementwise add kernel
// in a scratch slot of the shared arena. This file runs in a worker of its own, so its
// first runInto is also the one that makes the add kernel (and may grow the arena): the
// sums must still be ops.add's, across chunk edges (8192) and ragged tails. A sum sink adds
// a loop's output up as it leaves the arena: ops.sum's bits, the four partial sums carried
// across chunks and the ragged tail added into the first.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, fused, ops } from '../../../runtime/index.js';
import { Rng } from '../../helpers/rng.js';

const rng = new Rng(29);

/** out[1 + i] = x[i]·y[i] (stored), then out[i] += x[i] − y[i] (added): two overlapping pieces. */
const program = fused.loop({
  inputs: ['x', 'y'],
  scalars: [],
  steps: [
    ['p', 'mul', 'x', 'y'],
    ['d', 'sub', 'x', 'y'],
  ],
  outputs: ['p', 'd'],
  sums: [],
});

function byOps(x: Tensor, y: Tensor): Float32Array {
  const n = x.size;
  const like = ops.zeros([n + 1], float32);
  const stored = ops.padSlice(ops.mul(x, y), like, [1]);
  const added = ops.padSlice(ops.sub(x, y), like, [0]);
  return ops.add(stored, added).data as Float32Array;
}

describe('runInto with an added sink', () => {
  for (const n of [128, 131, 300, 8191, 8192, 8193, 20000]) {
    it(`${n} elements: the ops' bits, the first run making the add kernel`, () => {
      const x = new Tensor(Array.from(rng.array(n, -3, 3)), float32);
      const y = new Tensor(Array.from(rng.array(n, -3, 3)), float32);
      const out = new Float32Array(n + 1);
      program.runInto([x.data as Float32Array, y.data as Float32Array], [0, 0], n, [], [
        [out, 1, true],
        [out, 0, false],
      ]);
      const want = byOps(x, y);
      expect(Buffer.from(out.buffer, out.byteOffset, out.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
    });
  }

  it('adds into a target at an offset of a larger array and leaves the rest alone', () => {
    const n = 500;
    const x = new Tensor(Array.from(rng.array(n, -3, 3)), float32);
    const y = new Tensor(Array.from(rng.array(n, -3, 3)), float32);
    const big = new Float32Array(n + 11).fill(7);
    program.runInto([x.data as Float32Array, y.data as Float32Array], [0, 0], n, [], [
      [big, 6, true],
      [big, 5, false],
    ]);
    const want = byOps(x, y);
    expect(Array.from(big.subarray(0, 5))).toEqual([7, 7, 7, 7, 7]);
    expect(Array.from(big.subarray(5 + n + 1))).toEqual([7, 7, 7, 7, 7]);
    // big[5] started at 7: the added piece lands on it, the stored one starts after it.
    const got = big.subarray(5, 5 + n + 1);
    expect(got[0]).toBe(Math.fround(7 + want[0]));
    expect(Array.from(got.subarray(1))).toEqual(Array.from(want.subarray(1)));
  });
});

describe('runInto with a sum sink', () => {
  for (const n of [128, 131, 999, 8191, 8192, 8193, 20003]) {
    it(`${n} elements: ops.sum's bits of the loop's output, with a stored sink beside it`, () => {
      // Values of mixed sign and size, where adding in another order changes the float64 sum.
      const x = new Tensor(Array.from(rng.array(n, -3, 3), (v, i) => (i % 7 === 0 ? v * 1e6 : v)), float32);
      const y = new Tensor(Array.from(rng.array(n, -3, 3)), float32);
      const sink = fused.sumSink();
      const products = new Float32Array(n);
      program.runInto([x.data as Float32Array, y.data as Float32Array], [0, 0], n, [], [[products, 0, true], sink]);
      const want = ops.sum(ops.sub(x, y)).data[0];
      expect(Math.fround(sink.total())).toBe(want);
      expect(Array.from(products)).toEqual(Array.from(ops.mul(x, y).data));
    });
  }

  it('adds element i into partial sum i mod 4, as ops.sum does (a sum in one chain loses the small ones)', () => {
    // Elements 4q are ±2^60 in turn and cancel; the others are small. ops.sum keeps the small
    // ones in partials of their own; added into the same partial as the large ones they vanish.
    const n = 19999; // 5000 elements 4q (the last in the ragged tail): they cancel exactly.
    const x = new Tensor(Array.from({ length: n }, (_, i) => (i % 4 === 0 ? (i % 8 === 0 ? 2 ** 60 : -(2 ** 60)) : 1 + i / n)), float32);
    const y = ops.zerosLike(x);
    const sink = fused.sumSink();
    program.runInto([x.data as Float32Array, y.data as Float32Array], [0, 0], n, [], [[new Float32Array(n), 0, true], sink]);
    const want = ops.sum(x).data[0];
    expect(want).toBeGreaterThan(10000);
    expect(Math.fround(sink.total())).toBe(want);
  });

  it('reads its inputs at their offsets', () => {
    const n = 300;
    const x = new Tensor(Array.from(rng.array(n + 1, -3, 3)), float32);
    const sink = fused.sumSink();
    const data = x.data as Float32Array;
    program.runInto([data, data], [1, 0], n, [], [[new Float32Array(n), 0, true], sink]);
    const want = ops.sum(ops.sub(ops.slice(x, [1], [n]), ops.slice(x, [0], [n]))).data[0];
    expect(Math.fround(sink.total())).toBe(want);
  });
});
