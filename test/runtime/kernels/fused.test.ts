// The fused elementwise loops (runtime/kernels/fused.ts): each op a loop computes gives
// exactly the op's own float32 kernel result, across chunk edges and ragged tails; scalars,
// constants, sums (in the sum kernel's order) and copied outputs; malformed programs are
// refused; the guard takes only float32 tensors of one shape and at least 32 elements. Slices around loops: views where the box is contiguous, copies
// otherwise, and a sum of padSlices written into one array, equal to the ops.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, fused, ops } from '../../../runtime/index.js';
import { loopOps } from '../../../runtime/kernels/wasm/fused-kernel.js';
import { buildLoopModule } from '../../../runtime/kernels/wasm/fused-kernel.js';
import { Rng } from '../../helpers/rng.js';

const rng = new Rng(17);
const f32 = (n: number, low = -3, high = 3) => new Tensor(Array.from(rng.array(n, low, high)), float32);

/** The message `f` throws, or 'no error'. */
function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

/** Largest difference in float32 ulps of the reference (absolute 1e-7 near zero). */
function worstUlps(got: Tensor, want: Tensor): number {
  let worst = 0;
  for (let i = 0; i < want.size; i++) {
    const [g, w] = [got.data[i], want.data[i]];
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    const d = Math.abs(g - w);
    worst = Math.max(worst, d < 1e-7 ? 0 : d / Math.max(Math.abs(w) * 2 ** -23, 2 ** -149));
  }
  return worst;
}

const opsByName = ops as unknown as Record<string, (...args: Tensor[]) => Tensor>;

describe('fused loops', () => {
  for (const [name, spec] of Object.entries(loopOps)) {
    if (name === 'copy') continue;
    it(`${name} gives exactly what ops.${name} gives`, () => {
      for (const n of [32, 35, 8192, 8195, 20000]) {
        const args = Array.from({ length: spec.arity }, () => (name === 'sqrt' ? f32(n, 0, 4) : f32(n)));
        const names = args.map((_, k) => `a${k}`);
        const loop = fused.loop({ inputs: names, scalars: [], steps: [['out', name, ...names]], outputs: ['out'], sums: [] });
        expect(fused.accepts(...args)).toBe(true);
        const [got] = loop.run(args, []);
        const want = opsByName[name](...args);
        expect(got.shape).toEqual(want.shape);
        expect(got.dtype).toBe(float32);
        expect(worstUlps(got, want)).toBe(0);
      }
    });
  }

  it('maximum and minimum give the bits of the ops for signed zeros and NaN, as the WebAssembly loop', () => {
    // Every pair of −0, +0, 1, NaN, repeated past one f32x4 chunk (the loop runs from 32 elements).
    const values = [-0, 0, 1, NaN];
    const pairs = values.flatMap((a) => values.map((b) => [a, b]));
    const n = 64;
    const a = new Tensor(Float32Array.from({ length: n }, (_, i) => pairs[i % pairs.length][0]), float32);
    const b = new Tensor(Float32Array.from({ length: n }, (_, i) => pairs[i % pairs.length][1]), float32);
    const bits = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.data).buffer));
    for (const name of ['maximum', 'minimum']) {
      const loop = fused.loop({ inputs: ['a', 'b'], scalars: [], steps: [['out', name, 'a', 'b']], outputs: ['out'], sums: [] });
      expect(fused.accepts(a, b)).toBe(true);
      const [got] = loop.run([a, b], []);
      expect(bits(got)).toEqual(bits(opsByName[name](a, b)));
    }
  });

  it('runs a chain with scalars, constants, sums and copied outputs', () => {
    const x = f32(10001);
    const y = f32(10001);
    const loop = fused.loop({
      inputs: ['x', 'y'],
      scalars: ['k'],
      steps: [
        ['s', 'sin', 'x'],
        ['p', 'mul', 's', 'k'],
        ['q', 'add', 'p', 0.5],
        ['r', 'mul', 'q', 'y'],
        ['one', 'copy', 1],
      ],
      outputs: ['r', 'x', 'one'],
      sums: ['r', 'y'],
    });
    const [r, xCopy, one, sumR, sumY] = loop.run([x, y], [2.5]);
    const want = ops.mul(ops.add(ops.mul(ops.sin(x), 2.5), 0.5), y);
    expect(worstUlps(r, want)).toBe(0);
    expect(Array.from(xCopy.data)).toEqual(Array.from(x.data));
    expect(Array.from(one.data).every((v) => v === 1)).toBe(true);
    expect(sumR.shape).toEqual([]);
    expect(sumR.item()).toBe(ops.sum(want).item());
    expect(sumY.item()).toBe(ops.sum(y).item());
  });

  it('keeps the shape of its inputs', () => {
    const x = new Tensor([[1, 2, 3], [4, 5, 6]], float32);
    const loop = fused.loop({ inputs: ['x'], scalars: [], steps: [['y', 'square', 'x']], outputs: ['y'], sums: [] });
    const [y] = loop.run([x], []);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data)).toEqual([1, 4, 9, 16, 25, 36]);
  });

  it('refuses malformed programs', () => {
    const bad = (steps: [string, string, ...(string | number)[]][], outputs = ['y']) => () =>
      buildLoopModule({ inputs: ['x'], scalars: [], steps, outputs, sums: [] });
    expect(bad([['y', 'log', 'x']])).toThrow(/unknown op log/);
    expect(bad([['y', 'mul', 'x']])).toThrow(/takes 2/);
    expect(bad([['y', 'mul', 'x', 'z']])).toThrow(/reads z before/);
    expect(bad([['y', 'neg', 'x']], ['w'])).toThrow(/output w/);
  });

  it('accepts only float32 tensors of one shape, of at least 32 elements', () => {
    const a = f32(40);
    expect(fused.accepts(a, f32(40))).toBe(true);
    expect(fused.accepts(a, f32(39))).toBe(false);
    expect(fused.accepts(a, new Tensor(Array.from(a.data), float64))).toBe(false);
    expect(fused.accepts(a, new Tensor([Array.from(a.data)], float32))).toBe(false);
    expect(fused.accepts(a, 2)).toBe(false);
    expect(fused.accepts(f32(31))).toBe(false);
  });
});

/**
 * Whether two arrays overlap in memory. Not buffer identity: op results of middling size
 * are cut from shared blocks (runtime/storage.ts), so a copy may share a buffer with x.
 */
function sharesMemory(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

describe('slices around fused loops', () => {
  const x = new Tensor(Array.from({ length: 96 }, (_, i) => i * 0.125 - 6), float32, { shape: [4, 24] });

  it('slice is a view of a contiguous box and equals ops.slice', () => {
    const v = fused.slice(x, [1, 0], [2, -1]);
    const want = ops.slice(x, [1, 0], [2, -1]);
    expect(sharesMemory(fused.slice(x, [1, 0], [1, -1]).data, x.data)).toBe(false); // 24 elements: too few for a loop
    expect(v.shape).toEqual(want.shape);
    expect(Array.from(v.data)).toEqual(Array.from(want.data));
    expect(sharesMemory(v.data, x.data)).toBe(true);
  });

  it('slice copies a box that is not contiguous, and float64 data', () => {
    const c = fused.slice(x, [0, 1], [4, 2]);
    expect(Array.from(c.data)).toEqual(Array.from(ops.slice(x, [0, 1], [4, 2]).data));
    expect(sharesMemory(c.data, x.data)).toBe(false);
    const x64 = new Tensor([1, 2, 3, 4], float64);
    expect(sharesMemory(fused.slice(x64, [1], [2]).data, x64.data)).toBe(false);
  });

  it('owned copies a view and leaves other tensors as they are', () => {
    const v = fused.slice(x, [0, 0], [2, 24]);
    const o = fused.owned(v);
    expect(sharesMemory(o.data, x.data)).toBe(false);
    expect(Array.from(o.data)).toEqual(Array.from(v.data));
    expect(fused.owned(x)).toBe(x);
  });

  it('padSlices equals the sum of padSlices, contiguous or not', () => {
    const g1 = f32(48).data;
    const a = new Tensor(Array.from(g1), float32, { shape: [2, 24] });
    const b = new Tensor(Array.from(f32(72).data), float32, { shape: [3, 24] });
    const want = ops.add(ops.padSlice(a, x, [0, 0]), ops.padSlice(b, x, [1, 0]));
    const got = fused.padSlices(x, [a, [0, 0]], [b, [1, 0]]);
    expect(got.shape).toEqual([4, 24]);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    const c = new Tensor(Array.from(f32(8).data), float32, { shape: [4, 2] });
    const wantC = ops.add(ops.padSlice(c, x, [0, 1]), ops.padSlice(a, x, [2, 0]));
    expect(Array.from(fused.padSlices(x, [c, [0, 1]], [a, [2, 0]]).data)).toEqual(Array.from(wantC.data));
    const a64 = new Tensor(Array.from(g1), float64, { shape: [2, 24] });
    const got64 = fused.padSlices(x, [a64, [0, 0]], [b, [1, 0]]);
    expect(got64.dtype).toBe(ops.add(ops.padSlice(a64, x, [0, 0]), ops.padSlice(b, x, [1, 0])).dtype);
  });
});

// Frames (runtime/kernels/fused-frame.ts): what a fused JavaScript loop reads in place and
// writes in place, checked here against the ops it stands for, bit for bit.
describe('frames of fused JavaScript loops', () => {
  const bits = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.data).buffer));
  const x = new Tensor(Array.from({ length: 24 }, (_, i) => i * 0.25 - 3), float32, { shape: [6, 4] });

  it('reads a slice along axis 0 at its offset, of the slice shape', () => {
    const frame = fused.frame();
    const data = frame.source(x);
    const at = frame.window(x, [2, 0], [3, -1]);
    expect(frame.ready()).toBe(true);
    expect(at).toBe(8);
    expect(frame.count).toBe(12);
    expect(Array.from(data.subarray(at, at + frame.count))).toEqual(Array.from(ops.slice(x, [2, 0], [3, -1]).data));
    expect(frame.tensor(frame.output()).shape).toEqual([3, 4]);
  });

  it('is not ready for a box that is not contiguous, float64, or operands of two shapes', () => {
    const columns = fused.frame();
    columns.window(x, [0, 1], [6, 2]);
    expect(columns.ready()).toBe(false);
    const f64 = fused.frame();
    f64.whole(new Tensor([1, 2, 3], float64));
    expect(f64.ready()).toBe(false);
    const two = fused.frame();
    two.window(x, [0, 0], [2, 4]);
    two.window(x, [1, 0], [3, 4]);
    expect(two.ready()).toBe(false);
    const whole = fused.frame();
    whole.window(x, [0, 0], [2, 4]);
    whole.whole(new Tensor(new Array(8).fill(1), float32, { shape: [2, 4] }));
    expect(whole.ready()).toBe(true);
  });

  it('throws what ops.slice and ops.padSlice throw for a box out of bounds', () => {
    expect(message(() => fused.frame().window(x, [5, 0], [2, 4]))).toBe(message(() => ops.slice(x, [5, 0], [2, 4])));
    expect(message(() => fused.frame().window(x, [0], [2]))).toBe(message(() => ops.slice(x, [0], [2])));
    const frame = fused.frame();
    frame.window(x, [0, 0], [2, 4]);
    const g = new Tensor(new Array(8).fill(1), float32, { shape: [2, 4] });
    expect(message(() => frame.piece(frame.target(x), [5, 0]))).toBe(message(() => ops.padSlice(g, x, [5, 0])));
  });

  it('checks a window and a piece of a vector as ops.slice and ops.padSlice do (the frame checks vectors on its own)', () => {
    const v = new Tensor([1, 2, 3, 4, 5, 6], float32);
    for (const [begin, size] of [[[4], [3]], [[-1], [2]], [[1.5], [2]], [[0], [7]], [[0], [-2]], [[2], [2.5]]]) {
      expect(message(() => fused.frame().window(v, begin, size))).toBe(message(() => ops.slice(v, begin, size)));
      expect(message(() => fused.frame().window(v, begin, size))).not.toBe('no error');
    }
    const toEnd = fused.frame();
    expect(toEnd.window(v, [2], [-1])).toBe(2);
    expect(toEnd.count).toBe(4);
    const g = new Tensor([1, 1, 1, 1], float32);
    for (const begin of [[3], [-1], [0.5]]) {
      const frame = fused.frame();
      frame.window(v, [0], [4]);
      expect(message(() => frame.piece(frame.target(v), begin))).toBe(message(() => ops.padSlice(g, v, begin)));
      expect(message(() => frame.piece(frame.target(v), begin))).not.toBe('no error');
    }
    const vector = fused.frame();
    vector.window(v, [1], [4]);
    const out = vector.target(v);
    expect(vector.firstPiece(out, [2])).toBe(2);
    expect(vector.piece(out, [0])).toBe(0);
    expect(vector.ready()).toBe(true);
  });

  it('writes one or two overlapping padSlices with the bits of the ops, signed zeros included', () => {
    const line = new Tensor(new Array(9).fill(0), float32);
    // Values with −0 and +0 where the pieces overlap and where they do not.
    const g0 = new Tensor([-0, 1.5, -0, -0, 0, -2, -0], float32);
    const g1 = new Tensor([-0, -0, -0, 0.25, -0, 2, 0], float32);
    for (const [b0, b1] of [[0, 2], [2, 0], [1, 1], [0, 1], [2, 2]]) {
      const frame = fused.frame();
      frame.whole(g0);
      const out = frame.target(line);
      const at0 = frame.piece(out, [b0]);
      const at1 = frame.piece(out, [b1]);
      expect(frame.ready()).toBe(true);
      const data = out.data as Float32Array;
      for (let i = 0; i < frame.count; i++) {
        data[at0 + i] += g0.data[i];
        data[at1 + i] += g1.data[i];
      }
      expect(bits(out)).toEqual(bits(ops.add(ops.padSlice(g0, line, [b0]), ops.padSlice(g1, line, [b1]))));
    }
    const frame = fused.frame();
    frame.whole(g0);
    const out = frame.target(line);
    const at = frame.piece(out, [1]);
    expect(frame.ready()).toBe(true);
    for (let i = 0; i < frame.count; i++) (out.data as Float32Array)[at + i] += g0.data[i];
    expect(bits(out)).toEqual(bits(ops.padSlice(g0, line, [1])));
  });

  it('stores a first piece and adds the second with the bits of the ops, and refuses a first piece that starts before the other', () => {
    const line = new Tensor(new Array(9).fill(0), float32);
    const g0 = new Tensor([-0, 1.5, -0, -0, 0, -2, -0], float32);
    const g1 = new Tensor([-0, -0, -0, 0.25, -0, 2, -0], float32);
    for (const [b0, b1] of [[2, 0], [1, 1], [1, 0], [2, 2]]) {
      const frame = fused.frame();
      frame.whole(g0);
      const out = frame.target(line);
      const at0 = frame.firstPiece(out, [b0]);
      const at1 = frame.piece(out, [b1]);
      expect(frame.ready()).toBe(true);
      const data = out.data as Float32Array;
      for (let i = 0; i < frame.count; i++) {
        data[at0 + i] = g0.data[i];
        data[at1 + i] += g1.data[i];
      }
      frame.finish();
      expect(bits(out)).toEqual(bits(ops.add(ops.padSlice(g0, line, [b0]), ops.padSlice(g1, line, [b1]))));
    }
    const frame = fused.frame();
    frame.whole(g0);
    const out = frame.target(line);
    frame.firstPiece(out, [0]);
    frame.piece(out, [2]);
    expect(frame.ready()).toBe(false);
  });

  it('is not ready for a third piece of one target (three would add in another order)', () => {
    const frame = fused.frame();
    frame.whole(new Tensor([1, 2], float32));
    const out = frame.target(new Tensor([0, 0, 0, 0], float32));
    frame.piece(out, [0]);
    frame.piece(out, [1]);
    frame.piece(out, [2]);
    expect(frame.ready()).toBe(false);
  });

  it("sums in ops.sum's order", () => {
    for (let n = 1; n <= 13; n++) {
      const t = f32(n, -1e3, 1e3);
      expect(bits(fused.frame().sum(t.data as Float32Array))).toEqual(bits(ops.sum(t)));
    }
  });
});
