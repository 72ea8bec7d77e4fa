// The checks of framed runs over vectors (runtime/kernels/fused-vector.ts): each takes
// exactly the windows and pieces ops.slice and ops.padSlice give for float32 vectors, and
// answers -1 for everything else; the two ways of writing two pieces into one array give
// the bits of ops.add(ops.padSlice(…), ops.padSlice(…)), signed zeros included.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, fused, ops } from '../../../runtime/index.js';

const { vector } = fused;
const bits = (data: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(data).buffer));
const v = new Tensor([1, 2, 3, 4, 5, 6], float32);

/** The elements ops.slice gives, or undefined when it throws. */
function sliced(x: Tensor, begin: number[], size: number[]): number[] | undefined {
  try {
    return Array.from(ops.slice(x, begin, size).data);
  } catch {
    return undefined;
  }
}

describe('fused.vector checks', () => {
  it('length: float32 vectors only', () => {
    expect(vector.length(v)).toBe(6);
    expect(vector.length(new Tensor([], float32))).toBe(0);
    expect(vector.length(new Tensor([[1, 2]], float32))).toBe(-1);
    expect(vector.length(new Tensor([1, 2], float64))).toBe(-1);
    expect(vector.length(ops.sum(v))).toBe(-1);
    expect(vector.length([1, 2])).toBe(-1);
    expect(vector.length(undefined)).toBe(-1);
  });

  it('size and window: the elements ops.slice gives, at their offset, or -1 where it throws', () => {
    const boxes: [number[], number[]][] = [[[0], [6]], [[2], [3]], [[2], [-1]], [[6], [0]], [[6], [-1]], [[4], [3]], [[-1], [2]], [[1.5], [2]], [[0], [7]], [[0], [-2]], [[2], [2.5]], [[7], [-1]]];
    for (const [begin, size] of boxes) {
      const want = sliced(v, begin, size);
      // The generated code passes the vector's length and the box's one item.
      const length = vector.length(v);
      const count = vector.extent(length, begin[0], size[0]);
      if (want === undefined) {
        expect(count, `${begin} ${size}`).toBe(-1);
        expect(vector.window(length, begin[0], size[0], 0)).toBe(-1);
        continue;
      }
      expect(count).toBe(want.length);
      const at = vector.window(length, begin[0], size[0], count);
      expect(Array.from(v.data.subarray(at, at + count))).toEqual(want);
      // A window of another size than the loop's is not taken.
      expect(vector.window(length, begin[0], size[0], count + 1)).toBe(-1);
    }
  });

  it('extent: -1 for a matrix or float64 (length -1), an item that is not a number or a window after the loop refused its size', () => {
    expect(vector.extent(vector.length(new Tensor([[1, 2], [3, 4]], float32)), 0, 1)).toBe(-1);
    expect(vector.extent(vector.length(new Tensor([1, 2, 3], float64)), 0, 2)).toBe(-1);
    expect(vector.extent(6, NaN, 2)).toBe(-1);
    expect(vector.extent(6, 0, NaN)).toBe(-1);
    expect(vector.window(6, 0, 2, -1)).toBe(-1);
    expect(vector.window(-1, 0, 0, 0)).toBe(-1);
  });

  it('piece: where padSlice puts a loop value inside a vector of any dtype, or -1', () => {
    const g = new Tensor([7, 8], float32);
    for (const like of [v, new Tensor([0, 0, 0, 0, 0, 0], float64)]) {
      for (const begin of [0, 3, 4]) {
        const at = vector.piece(like, begin, 2);
        expect(at).toBe(begin);
        expect(vector.pieceIn(like.shape[0], begin, 2)).toBe(begin);
        const padded = ops.padSlice(g, like, [begin]);
        expect(Array.from(padded.data.subarray(at, at + 2))).toEqual([7, 8]);
      }
    }
    for (const begin of [5, -1, 0.5, NaN]) expect([vector.piece(v, begin, 2), vector.pieceIn(6, begin, 2)]).toEqual([-1, -1]);
    expect(vector.pieceIn(-1, 0, 0)).toBe(-1);
    expect(vector.piece(new Tensor([[1, 2]], float32), 0, 1)).toBe(-1);
    expect(vector.piece(v, 0, -1)).toBe(-1);
    expect(vector.piece([1, 2, 3], 0, 1)).toBe(-1);
  });

  it('target, tensor and sum: float32 tensors of the vector, the loop output and the sum', () => {
    const t = vector.target(new Tensor([1, 2, 3], float64));
    expect([t.dtype, t.shape, Array.from(t.data)]).toEqual([float32, [3], [0, 0, 0]]);
    const out = vector.tensor(Float32Array.of(1, 2));
    expect([out.dtype, out.shape]).toEqual([float32, [2]]);
    const summands = Float32Array.from({ length: 1000 }, (_, i) => Math.fround(Math.sin(i) * 3));
    expect(bits(vector.sum(summands).data)).toEqual(bits(ops.sum(new Tensor(Array.from(summands), float32)).data));
    expect(vector.sum(summands).shape).toEqual([]);
  });
});

describe('two pieces written into one array', () => {
  // Signed zeros where the pieces overlap and where each lies alone.
  const like = new Tensor(new Array(9).fill(0), float32);
  const g = new Tensor([-0, 1.5, -0, 0, -0, -2, -0], float32);
  const h = new Tensor([-0, -0, 0.25, -0, 0, -0, 3], float32);
  const count = 7;

  for (const [a, b] of [[2, 0], [1, 1], [2, 1], [0, 2]]) {
    const want = bits(ops.add(ops.padSlice(g, like, [a]), ops.padSlice(h, like, [b])).data);

    it(`added (order unknown), pieces at ${a} and ${b}: −0 where both lie, then +=`, () => {
      const data = vector.target(like).data as Float32Array;
      vector.fillInside(data, a, b, count);
      for (let i = 0; i < count; i++) data[a + i] += g.data[i];
      for (let i = 0; i < count; i++) data[b + i] += h.data[i];
      expect(bits(data)).toEqual(want);
    });

    if (a >= b) {
      it(`stored then added, pieces at ${a} and ${b}: = and +=, then the +0 padding where the stored one lies alone`, () => {
        const data = vector.target(like).data as Float32Array;
        // One loop over both pieces, as the generated code writes them.
        for (let i = 0; i < count; i++) {
          data[a + i] = g.data[i];
          data[b + i] += h.data[i];
        }
        vector.padAlone(data, a, b, count);
        expect(bits(data)).toEqual(want);
      });
    }
  }

  it('a lone stored piece is the padSlice as it is, −0 kept', () => {
    const data = vector.target(like).data as Float32Array;
    for (let i = 0; i < count; i++) data[1 + i] = g.data[i];
    expect(bits(data)).toEqual(bits(ops.padSlice(g, like, [1]).data));
  });
});
