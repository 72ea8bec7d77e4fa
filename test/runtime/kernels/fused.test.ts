// The fused elementwise loops (runtime/kernels/fused.ts): each op a loop computes gives the
// op's own float32 kernel result, across chunk edges and ragged tails; scalars, constants,
// sums and copied outputs; malformed programs are refused; the guard takes only float32
// tensors of one shape.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, fused, ops } from '../../../runtime/index.js';
import { loopOps } from '../../../runtime/kernels/wasm/fused-kernel.js';
import { buildLoopModule } from '../../../runtime/kernels/wasm/fused-kernel.js';
import { Rng } from '../../helpers/rng.js';

const rng = new Rng(17);
const f32 = (n: number, low = -3, high = 3) => new Tensor(Array.from(rng.array(n, low, high)), float32);

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
    it(`${name} gives what ops.${name} gives`, () => {
      for (const n of [1, 3, 8192, 8195, 20000]) {
        const args = Array.from({ length: spec.arity }, () => (name === 'sqrt' ? f32(n, 0, 4) : f32(n)));
        const names = args.map((_, k) => `a${k}`);
        const loop = fused.loop({ inputs: names, scalars: [], steps: [['out', name, ...names]], outputs: ['out'], sums: [] });
        expect(fused.accepts(...args)).toBe(true);
        const [got] = loop.run(args, []);
        const want = opsByName[name](...args);
        expect(got.shape).toEqual(want.shape);
        expect(got.dtype).toBe(float32);
        expect(worstUlps(got, want)).toBeLessThanOrEqual(2);
      }
    });
  }

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
    expect(sumR.item()).toBeCloseTo(ops.sum(want).item(), 2);
    expect(sumY.item()).toBeCloseTo(ops.sum(y).item(), 3);
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

  it('accepts only float32 tensors of one shape', () => {
    const a = f32(4);
    expect(fused.accepts(a, f32(4))).toBe(true);
    expect(fused.accepts(a, f32(3))).toBe(false);
    expect(fused.accepts(a, new Tensor([1, 2, 3, 4], float64))).toBe(false);
    expect(fused.accepts(a, new Tensor([[1, 2, 3, 4]], float32))).toBe(false);
    expect(fused.accepts(a, 2)).toBe(false);
  });
});
