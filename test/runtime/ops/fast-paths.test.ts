// The op-level fast paths of the forward pass: two tensors of one dtype and shape (no
// promotion, no broadcast), a slice that is one contiguous run of its operand, a sum over
// every axis, and op results cut from shared blocks (runtime/storage.ts). Each must give
// what the general path gives, bit for bit, with the same dtype and shape, and stay out of
// the cases it does not cover (broadcasting, mixed dtypes, boxes that are not contiguous).
import { describe, expect, it } from 'vitest';
import { Tensor, bool_, float32, float64, int32, ops } from '../../../runtime/index.js';
import { DType } from '../../../runtime/dtype.js';
import { BLOCK_BYTES, POOLED_MAX_BYTES, POOLED_MIN_BYTES, isPooled } from '../../../runtime/storage.js';
import { Rng } from '../../helpers/rng.js';

const rng = new Rng(7);

function random(shape: number[], dtype: DType, low = -3, high = 3): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from(rng.array(size, low, high), (v) => (dtype.isFloat ? v : Math.round(v)));
  return new Tensor(values, dtype, { shape });
}

const binary = { add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div, maximum: ops.maximum, greater: ops.greater } as const;

describe('two tensors of one dtype and shape', () => {
  // 5 elements run the plain loops, 300 the WebAssembly ones (float32, at least 128).
  for (const size of [5, 300]) {
    for (const dtype of [float32, float64, int32]) {
      for (const [name, op] of Object.entries(binary)) {
        it(`${name} on ${size} ${dtype} equals the broadcast path`, () => {
          const a = random([size], dtype);
          const b = random([size], dtype, 0.5, 3);
          const got = op(a, b);
          // [size] against [1, size] takes the broadcasting loops; same math, same rounding.
          const want = op(a, ops.reshape(b, [1, size]));
          expect(got.dtype).toBe(want.dtype);
          expect(got.shape).toEqual([size]);
          expect(Array.from(got.data)).toEqual(Array.from(want.data));
        });
      }
    }
  }

  it('int32 products wrap as int32 (imul), bool sums count in int32', () => {
    const big = new Tensor([65536, -3], int32);
    expect(Array.from(ops.mul(big, big).data)).toEqual([0, 9]);
    const t = new Tensor([true, true, false]);
    const s = ops.add(t, t);
    expect(s.dtype).toBe(int32);
    expect(Array.from(s.data)).toEqual([2, 2, 0]);
    expect(ops.greater(t, t).dtype).toBe(bool_);
  });

  it('mixed dtypes of one shape still promote', () => {
    const s = ops.add(new Tensor([0.1, 0.2], float32), new Tensor([0.1, 0.2], float64));
    expect(s.dtype).toBe(float64);
    expect(Array.from(s.data)).toEqual([Math.fround(0.1) + 0.1, Math.fround(0.2) + 0.2]);
    expect(ops.mul(new Tensor([3, 4], int32), new Tensor([0.5, 0.25], float32)).dtype).toBe(float32);
  });

  it('the result has a shape of its own, and bad shapes are still errors', () => {
    const a = random([2, 3], float32);
    const r = ops.mul(a, a);
    expect(r.shape).toEqual([2, 3]);
    expect(r.shape).not.toBe(a.shape);
    expect(() => ops.mul(a, random([3, 2], float32))).toThrow(/shapes \[2, 3\] and \[3, 2\] do not broadcast/);
    expect(() => ops.mul(a, 'x' as unknown as Tensor)).toThrow(/expected a Tensor or a number, got string/);
  });
});

/** a ∘ b broadcast by index arithmetic, each element one float32 rounding: the reference. */
function broadcastReference(a: Tensor, b: Tensor, f: (x: number, y: number) => number): number[] {
  const nd = Math.max(a.ndim, b.ndim);
  const pad = (s: number[]) => [...new Array<number>(nd - s.length).fill(1), ...s];
  const [as, bs] = [pad(a.shape), pad(b.shape)];
  const shape = as.map((d, i) => Math.max(d, bs[i]));
  const index = (s: number[], at: number[]) => s.reduce((acc, d, i) => acc * d + (d === 1 ? 0 : at[i]), 0);
  const out: number[] = [];
  const total = shape.reduce((x, y) => x * y, 1);
  for (let flat = 0; flat < total; flat++) {
    const at: number[] = [];
    let rem = flat;
    for (let d = nd - 1; d >= 0; d--) {
      at[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    out.push(Math.fround(f(a.data[index(as, at)], b.data[index(bs, at)])));
  }
  return out;
}

describe('broadcasting: a repeated block and the general loop', () => {
  const fs = { add: (x: number, y: number) => x + y, sub: (x: number, y: number) => x - y, mul: (x: number, y: number) => x * y, div: (x: number, y: number) => x / y };
  const cases: [number[], number[]][] = [
    [[64, 128], [128]], // W2's bias: a row repeated (WebAssembly)
    [[128], [64, 128]], // the row first
    [[2, 3, 4], [3, 4]],
    [[2, 3, 4], [1, 3, 4]],
    [[5, 12], [12]], // rows too short for WebAssembly
    [[3, 65], [65]], // rows not a multiple of 4
    [[4, 1], [1, 3]], // both broadcast: the general loop
    [[2, 3, 4], [3, 1]], // not a trailing block
  ];
  for (const [sa, sb] of cases) {
    for (const [name, f] of Object.entries(fs)) {
      it(`${name} [${sa}] and [${sb}]`, () => {
        const a = random(sa, float32);
        const b = random(sb, float32, 0.5, 3);
        const got = ops[name as keyof typeof fs](a, b);
        expect(Array.from(got.data)).toEqual(broadcastReference(a, b, f));
      });
    }
  }
});

/** The box by index arithmetic, element by element: the reference for slice. */
function sliceReference(x: Tensor, begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const total = size.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let src = 0;
    for (let d = size.length - 1; d >= 0; d--) {
      src += (begin[d] + (rem % size[d])) * strides[d];
      rem = Math.floor(rem / size[d]);
    }
    out.push(x.data[src]);
  }
  return out;
}

describe('slice', () => {
  const cases: [number[], number[], number[]][] = [
    [[10], [1], [9]], // a range of a vector (W1's head and tail)
    [[1000], [0], [999]], // long enough to copy through a view
    [[4, 6], [1, 0], [2, 6]], // whole rows
    [[4, 6], [2, 3], [1, 2]], // part of one row
    [[2, 3, 4], [1, 1, 0], [1, 2, 4]], // rows of one matrix
    [[4, 6], [0, 1], [4, 2]], // columns: not contiguous
    [[2, 3, 4], [0, 1, 1], [2, 2, 3]], // not contiguous in two axes
    [[3, 4], [1, 0], [0, 4]], // empty
    [[], [], []], // 0-d
  ];
  for (const [shape, begin, size] of cases) {
    for (const dtype of [float32, float64, int32, bool_]) {
      it(`[${shape}] at [${begin}] of [${size}], ${dtype}`, () => {
        const x = dtype === bool_ ? new Tensor(Array.from(rng.array(shape.reduce((a, b) => a * b, 1)), (v) => v > 0), bool_, { shape }) : random(shape, dtype);
        const got = ops.slice(x, begin, size);
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual(size);
        expect(Array.from(got.data)).toEqual(sliceReference(x, begin, size));
        if (got.size > 0) {
          // A copy: writing into the result leaves x as it was.
          const before = x.data[0];
          got.data.fill(1);
          expect(x.data[0]).toBe(before);
        }
      });
    }
  }

  it('-1 extents and bad boxes', () => {
    const x = random([3, 4], float32);
    expect(Array.from(ops.slice(x, [1, 0], [-1, -1]).data)).toEqual(Array.from(x.data.subarray(4)));
    expect(() => ops.slice(x, [2, 0], [2, 4])).toThrow(/out of bounds for shape \[3, 4\] \(axis 0\)/);
    expect(() => ops.slice(x, [0], [1])).toThrow(/expected begin and size of length 2/);
  });
});

describe('sum over every axis', () => {
  for (const dtype of [float32, float64, int32, bool_]) {
    it(`equals the sum over the axes listed, ${dtype}`, () => {
      const x = dtype === bool_ ? new Tensor([[true, false, true], [true, true, false]]) : random([2, 3, 5], dtype);
      const all = x.shape.map((_, i) => i);
      for (const keepDims of [false, true]) {
        const got = ops.sum(x, undefined, keepDims);
        const want = ops.sum(x, all, keepDims);
        expect(got.dtype).toBe(want.dtype);
        expect(got.shape).toEqual(want.shape);
        expect(Array.from(got.data)).toEqual(Array.from(want.data));
      }
      expect(ops.sum(x, null).shape).toEqual([]);
    });
  }

  it('an empty tensor sums to 0 and a 0-d one to itself', () => {
    expect(ops.sum(ops.zeros([0, 3])).item()).toBe(0);
    expect(ops.sum(new Tensor(2.5)).item()).toBe(2.5);
    expect(ops.mean(new Tensor([1, 2, 3, 4])).item()).toBe(2.5);
  });
});

describe('op results cut from shared blocks', () => {
  it('arrays of 65 to 4096 bytes are pooled, zero-filled, aligned and apart', () => {
    for (const dtype of [float32, float64, int32, bool_]) {
      const width = dtype.ArrayType.BYTES_PER_ELEMENT;
      const arrays = [1, 8, 9, 100, 512, 513, 1024, 1025, 5000].map((n) => dtype.alloc(n));
      for (const a of arrays) {
        const bytes = a.byteLength;
        expect(isPooled(a)).toBe(bytes >= POOLED_MIN_BYTES && bytes <= POOLED_MAX_BYTES);
        expect(a.byteOffset % 8).toBe(0);
        expect(a.every((v) => v === 0)).toBe(true);
        expect(a.length * width).toBe(bytes);
      }
      // Filling one array leaves every other one zero.
      for (const a of arrays) a.fill(1);
      const next = dtype.alloc(600);
      expect(next.every((v) => v === 0)).toBe(true);
    }
  });

  it('a block is used until full, then a fresh one is taken', () => {
    const seen = new Set<ArrayBufferLike>();
    for (let i = 0; i < (2 * BLOCK_BYTES) / 1000 + 2; i++) seen.add(float32.alloc(250).buffer);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(seen.size).toBeLessThanOrEqual(4);
  });

  it('arrays never overlap, across many blocks and every dtype', () => {
    // Each array is zero when made and keeps the value written into it while others are made.
    const dtypes = [float32, float64, int32, bool_];
    const live: [ArrayLike<number> & { fill(v: number): unknown }, number][] = [];
    for (let i = 0; i < 4000; i++) {
      const a = dtypes[i % 4].alloc(1 + ((i * 7919) % 600));
      expect(Array.prototype.every.call(a, (v: number) => v === 0)).toBe(true);
      const mark = (i % 100) + 1;
      a.fill(mark);
      live.push([a, mark]);
      if (live.length > 50) live.splice((i * 31) % 50, 1);
      for (const [b, v] of live) {
        if (b[0] !== v || b[b.length - 1] !== v) expect.fail(`array ${i}: an earlier array was overwritten`);
      }
    }
  });

  it('sizes behave as the typed array constructors', () => {
    expect(float32.alloc(0).length).toBe(0);
    expect(() => float32.alloc(-1)).toThrow(RangeError);
    expect(float64.alloc(NaN).length).toBe(0);
  });
});

describe('op functions', () => {
  it('arguments left out reach the kernel as undefined', () => {
    const x = random([2, 3], float32);
    expect(Array.from(ops.sum(x).data)).toEqual(Array.from(ops.sum(x, undefined, undefined).data));
    expect(ops.transpose(x).shape).toEqual([3, 2]);
    expect(ops.mean(x, 1, true).shape).toEqual([2, 1]);
  });
});
