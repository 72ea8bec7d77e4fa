// Loop.runInto (runtime/kernels/wasm/fused.ts) writes a loop's results straight into
// padSlice targets: the first sink stored, the second added by the elementwise add kernel
// in a scratch slot of the shared arena. This file runs in a worker of its own, so its
// first runInto is also the one that makes the add kernel (and may grow the arena): the
// sums must still be ops.add's, across chunk edges (8192) and ragged tails.
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
