// A tensor and a plain number (`x·2`, `1 - x`) take a direct scalar loop in binaryOp; the
// result must be what the number as a 0-d tensor of the tensor's dtype gives, in value,
// dtype and shape, and int32 or 0-d tensors keep the general path.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, int32, ops } from '../../../runtime/index.js';
import { broadcastShapes } from '../../../runtime/shape.js';

const binary = { add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div } as const;

describe('a tensor and a number', () => {
  for (const dtype of [float32, float64]) {
    for (const [name, op] of Object.entries(binary)) {
      it(`${name} on ${dtype}, number second and first`, () => {
        const t = new Tensor([[0.1, -2.5, 3], [7, 0.3, -1e-3]], dtype);
        const n = 0.1;
        const asTensor = new Tensor(n, dtype);
        for (const [got, want] of [[op(t, n), op(t, asTensor)], [op(n, t), op(asTensor, t)]]) {
          expect(got.dtype).toBe(want.dtype);
          expect(got.shape).toEqual([2, 3]);
          expect(Array.from(got.data)).toEqual(Array.from(want.data));
        }
      });
    }
  }
  it('int32 with a fraction promotes to float32; a 0-d tensor stays 0-d', () => {
    const i = ops.mul(new Tensor([1, 2], int32), 0.5);
    expect(i.dtype).toBe(float32);
    expect(Array.from(i.data)).toEqual([0.5, 1]);
    const s = ops.add(new Tensor(2, float32), 1);
    expect(s.shape).toEqual([]);
    expect(s.data[0]).toBe(3);
  });
});

describe('broadcastShapes', () => {
  it('pads the shorter shape with leading ones', () => {
    expect(broadcastShapes('t', [3, 1, 5], [4, 1])).toEqual([3, 4, 5]);
    expect(broadcastShapes('t', [], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes('t', [2, 3], [])).toEqual([2, 3]);
    expect(() => broadcastShapes('t', [2, 3], [4])).toThrow(/do not broadcast/);
  });
});
