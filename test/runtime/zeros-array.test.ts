// zerosArray (runtime/zeros-array.ts): the starting value of a number[] gradient. Each
// call gives a new array of +0s of the length asked, whichever lengths came before, so
// that a gradient written into one never shows up in the next.
import { describe, expect, it } from 'vitest';
import { zerosArray } from '../../runtime/zeros-array.js';

describe('zerosArray', () => {
  it('gives n zeros, +0 each', () => {
    for (const n of [0, 1, 2, 10, 1000]) {
      const z = zerosArray(n);
      expect(Array.isArray(z)).toBe(true);
      expect(z.length).toBe(n);
      for (const v of z) expect(Object.is(v, 0)).toBe(true);
    }
  });

  it('gives a new array each call: writing into one leaves the next at zero', () => {
    const a = zerosArray(5);
    a[2] += 1.5;
    a.push(7);
    const b = zerosArray(5);
    expect(b).toEqual([0, 0, 0, 0, 0]);
    expect(b).not.toBe(a);
  });

  it('stays right past the lengths it keeps and for long arrays', () => {
    for (let n = 3; n < 40; n++) {
      const z = zerosArray(n);
      z.fill(n);
      expect(zerosArray(n)).toEqual(new Array(n).fill(0));
    }
    const long = zerosArray(70_000);
    long[69_999] = 1;
    const again = zerosArray(70_000);
    expect(again.length).toBe(70_000);
    expect(again.every((v) => v === 0)).toBe(true);
  });
});
