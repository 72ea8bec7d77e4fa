// Op values against hand-computed (NumPy-known) numbers: broadcasting, dtypes (float32,
// float64, int32, bool), IEEE special values, and every bad-input message.
import { describe, expect, it } from 'vitest';
import { Tensor, bool_, float32, float64, int32, ops, setSeed } from '../../../runtime/index.js';

const t = (data: ConstructorParameters<typeof Tensor>[0], dtype?: Parameters<typeof ops.cast>[1]) => new Tensor(data, dtype);

function close(x: Tensor, want: unknown, digits = 5): void {
  const got = x.toArray();
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const [g, w] = [flat(got), flat(want)];
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => (Number.isNaN(w[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(w[i], digits)));
}

describe('elementwise arithmetic', () => {
  it('broadcasts like NumPy', () => {
    expect(ops.add(t([[1, 2, 3], [4, 5, 6]]), t([10, 20, 30])).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(ops.mul(t([[1], [2]]), t([1, 2, 3])).toArray()).toEqual([[1, 2, 3], [2, 4, 6]]);
    expect(ops.sub(t([[1], [2]]), 1).toArray()).toEqual([[0], [1]]);
    expect(ops.sub(5, t([1, 2])).toArray()).toEqual([4, 3]);
    expect(ops.add(t([[[1]], [[2]]]), t([[1, 2], [3, 4]])).shape).toEqual([2, 2, 2]);
    expect(ops.add(2, 3).item()).toBe(5);
  });
  it('promotes dtypes', () => {
    expect(ops.add(t([1, 2], int32), t([1, 2], int32)).dtype).toBe(int32);
    expect(ops.add(t([1, 2], int32), 1).dtype).toBe(int32);
    expect(ops.add(t([1, 2], int32), 0.5).dtype).toBe(float32);
    expect(ops.add(t([1, 2], int32), t([1, 2])).dtype).toBe(float32);
    expect(ops.add(t([1, 2], float64), 1).dtype).toBe(float64);
    expect(ops.mul(t([1], float32), t([1], float64)).dtype).toBe(float64);
    expect(ops.add(t([true, true]), t([true, false])).toArray()).toEqual([2, 1]);
    expect(ops.add(t([true]), t([true])).dtype).toBe(int32);
  });
  it('wraps int32 arithmetic exactly, as NumPy', () => {
    expect(ops.mul(t([2147483647, 65537], int32), t([2147483647, 65537], int32)).toArray()).toEqual([1, 131073]);
    expect(ops.add(t([2147483647], int32), 1).toArray()).toEqual([-2147483648]);
  });
  it('divides ints into floats and keeps IEEE results', () => {
    const q = ops.div(t([1, 3], int32), t([2, 4], int32));
    expect(q.dtype).toBe(float32);
    expect(q.toArray()).toEqual([0.5, 0.75]);
    expect(ops.div(t([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
    expect(ops.sqrt(t([-1])).toArray()[0]).toBeNaN();
    expect(ops.log(t([0])).toArray()).toEqual([-Infinity]);
    expect(ops.add(t([NaN, Infinity]), 1).toArray()).toEqual([NaN, Infinity]);
  });
  it('computes the unary functions', () => {
    close(ops.exp(t([0, 1])), [1, Math.E]);
    close(ops.sin(t([Math.PI / 2])), [1]);
    close(ops.tanh(t([0.5])), [Math.tanh(0.5)]);
    close(ops.sigmoid(t([0, 1000, -1000])), [0.5, 1, 0]);
    close(ops.relu(t([-1, 0, 2])), [0, 0, 2]);
    close(ops.abs(t([-2, 3])), [2, 3]);
    close(ops.square(t([-3], int32)), [9]);
    expect(ops.square(t([-3], int32)).dtype).toBe(int32);
    expect(ops.sin(t([0], int32)).dtype).toBe(float32);
    close(ops.neg(t([1, -2])), [-1, 2]);
    close(ops.pow(t([2, 3]), 2), [4, 9]);
    close(ops.pow(2, t([0.5])), [Math.SQRT2]);
    close(ops.log1p(t([1e-10], float64)), [1e-10], 15);
    close(ops.expm1(t([1e-10], float64)), [1e-10], 15);
    close(ops.atan2(t([1, -1]), t([0, -1])), [Math.PI / 2, -3 * Math.PI / 4]);
    close(ops.hypot(t([3]), t([4])), [5]);
    close(ops.sinh(t([1])), [Math.sinh(1)]);
    close(ops.cosh(t([1])), [Math.cosh(1)]);
    close(ops.atan(t([1])), [Math.PI / 4]);
    close(ops.sign(t([-2, 0, 3])), [-1, 0, 1]);
  });
  it('takes the remainder with the sign of the dividend, as JavaScript %', () => {
    expect(ops.mod(t([7, -7], int32), 3).toArray()).toEqual([1, -1]);
    close(ops.mod(t([5.5]), 2), [1.5]);
  });
  it('propagates NaN through maximum and minimum', () => {
    expect(ops.maximum(t([1, NaN, 3]), t([2, 0, NaN])).toArray()).toEqual([2, NaN, NaN]);
    expect(ops.minimum(t([1, 5]), 2).toArray()).toEqual([1, 2]);
  });
  it('names the op and both shapes when shapes do not broadcast', () => {
    expect(() => ops.add(t([1, 2, 3]), t([1, 2]))).toThrow(new RangeError('add: shapes [3] and [2] do not broadcast (dimension 0: 3 vs 2)'));
    expect(() => ops.mul(t([[1, 2]]), t([1, 2, 3]))).toThrow(/mul: shapes \[1, 2\] and \[3\] do not broadcast/);
    expect(() => ops.add('x' as never, 1)).toThrow(new TypeError('add: expected a Tensor or a number, got string'));
  });
});

describe('comparisons and logic', () => {
  it('give bool tensors', () => {
    const c = ops.greater(t([1, 2, 3]), 2);
    expect(c.dtype).toBe(bool_);
    expect(c.toArray()).toEqual([false, false, true]);
    expect(ops.less(t([1, 2]), t([2, 2])).toArray()).toEqual([true, false]);
    expect(ops.equal(t([1, NaN]), t([1, NaN])).toArray()).toEqual([true, false]);
    expect(ops.notEqual(t([1, 2]), 1).toArray()).toEqual([false, true]);
    expect(ops.greaterEqual(t([1, 2]), 2).toArray()).toEqual([false, true]);
    expect(ops.lessEqual(t([1, 2]), 1).toArray()).toEqual([true, false]);
    expect(ops.logicalNot(t([true, false])).toArray()).toEqual([false, true]);
    expect(ops.logicalAnd(t([true, true]), t([true, false])).toArray()).toEqual([true, false]);
  });
  it('selects with where', () => {
    expect(ops.where(t([true, false]), t([1, 2]), t([10, 20])).toArray()).toEqual([1, 20]);
    expect(ops.where(ops.greater(t([[1], [-1]]), 0), t([1, 2]), 0).toArray()).toEqual([[1, 2], [0, 0]]);
  });
  it('casts', () => {
    const c = ops.cast(t([1.7, -1.7, 0]), int32);
    expect(c.dtype).toBe(int32);
    expect(c.toArray()).toEqual([1, -1, 0]);
    expect(ops.cast(t([2, 0]), 'bool').toArray()).toEqual([true, false]);
    expect(() => ops.cast(t([1]), 'int64')).toThrow(new TypeError('unknown dtype: expected one of float32, float64, int32, bool, got "int64"'));
  });
});

describe('reductions', () => {
  const x = t([[1, 2, 3], [4, 5, 6]]);
  it('sum and mean over axes', () => {
    expect(ops.sum(x).item()).toBe(21);
    expect(ops.sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(ops.sum(x, -1).toArray()).toEqual([6, 15]);
    expect(ops.sum(x, 1, true).toArray()).toEqual([[6], [15]]);
    expect(ops.sum(x, [0, 1], true).shape).toEqual([1, 1]);
    expect(ops.mean(x, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(ops.mean(t([1, 2], int32)).dtype).toBe(float32);
    expect(ops.sum(t([1, 2], int32)).dtype).toBe(int32);
    expect(ops.sum(t([true, true, false])).item()).toBe(2);
  });
  it('max, min, argmax, argmin', () => {
    expect(ops.max(x).item()).toBe(6);
    expect(ops.max(x, 1).toArray()).toEqual([3, 6]);
    expect(ops.min(x, 0, true).toArray()).toEqual([[1, 2, 3]]);
    expect(ops.max(t([1, NaN, 3])).item()).toBeNaN();
    expect(ops.argmax(t([1, 3, 3])).item()).toBe(1);
    expect(ops.argmax(x, 1).toArray()).toEqual([2, 2]);
    expect(ops.argmin(x, 0).toArray()).toEqual([0, 0, 0]);
    expect(ops.argmax(x, 1).dtype).toBe(int32);
  });
  it('rejects axes out of range', () => {
    expect(() => ops.sum(x, 2)).toThrow(new RangeError('sum: axis 2 is out of range for a tensor of rank 2 (expected -2 to 1)'));
    expect(() => ops.max(x, -3)).toThrow(/max: axis -3 is out of range/);
    expect(() => ops.sum(t(5), 0)).toThrow(new RangeError('sum: axis 0 is out of range for a tensor of rank 0 (a tensor of rank 0 has no axes)'));
    expect(ops.sum(t(5)).item()).toBe(5);
  });
});

describe('softmax', () => {
  it('rows sum to one, stably', () => {
    const s = ops.softmax(t([[1, 2, 3], [1000, 1000, 1000]]));
    close(ops.sum(s, -1), [1, 1]);
    close(s, [[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]]);
    close(ops.logSoftmax(t([1000, 0])), [0, -1000]);
    close(ops.softmax(t([[1, 2], [1, 2]]), 0), [[0.5, 0.5], [0.5, 0.5]]);
  });
});

describe('matmul', () => {
  it('multiplies matrices, vectors and batches with NumPy semantics', () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    const b = t([[1, 0], [0, 1], [1, 1]]);
    expect(ops.matmul(a, b).toArray()).toEqual([[4, 5], [10, 11]]);
    expect(ops.matmul(t([1, 2, 3]), t([4, 5, 6])).toArray()).toBe(32);
    expect(ops.matmul(t([1, 1]), a).toArray()).toEqual([5, 7, 9]);
    expect(ops.matmul(a, t([1, 1, 1])).toArray()).toEqual([6, 15]);
    const batch = ops.matmul(ops.ones([4, 1, 2, 3]), ops.ones([5, 3, 2]));
    expect(batch.shape).toEqual([4, 5, 2, 2]);
    expect(batch.data.every((v) => v === 3)).toBe(true);
    expect(ops.matmul(t([[1, 2]], int32), t([[3], [4]], int32)).dtype).toBe(int32);
  });
  it('names both shapes when inner dimensions differ', () => {
    expect(() => ops.matmul(t([[1, 2, 3]]), t([[1, 2]]))).toThrow(new RangeError('matmul: inner dimensions differ: shapes [1, 3] and [1, 2] (3 vs 1)'));
    expect(() => ops.matmul(t(1), t([1]))).toThrow(/matmul: expected operands of rank ≥ 1, got shapes \[\] and \[1\]/);
  });
});

describe('shape ops', () => {
  const x = t([[1, 2, 3], [4, 5, 6]]);
  it('reshape, transpose, expandDims, squeeze, broadcastTo', () => {
    expect(ops.reshape(x, [3, -1]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => ops.reshape(x, [4, 2])).toThrow(new RangeError('reshape: cannot reshape [2, 3] (6 elements) to [4, 2]'));
    expect(() => ops.reshape(x, [-1, -1])).toThrow(new RangeError('reshape: expected at most one -1 in the shape, got [-1, -1]'));
    expect(ops.transpose(x, [1, 0]).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => ops.transpose(x, [0, 0])).toThrow(new RangeError('transpose: expected a permutation of 0..1, got [0, 0]'));
    expect(ops.expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(ops.expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(() => ops.expandDims(x, 3)).toThrow(/expandDims: axis 3 is out of range for a tensor of shape \[2, 3\]/);
    expect(ops.squeeze(ops.ones([1, 3, 1])).shape).toEqual([3]);
    expect(ops.squeeze(ops.ones([1, 3, 1]), -1).shape).toEqual([1, 3]);
    expect(() => ops.squeeze(x, 0)).toThrow(new RangeError('squeeze: axis 0 of shape [2, 3] has size 2, expected 1'));
    expect(ops.broadcastTo(t([1, 2]), [2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(() => ops.broadcastTo(t([1, 2]), [3])).toThrow(new RangeError('broadcastTo: shape [2] cannot be broadcast to [3]'));
  });
  it('concat, stack, slice, gather', () => {
    expect(ops.concat([t([[1, 2]]), t([[3, 4]])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(ops.concat([t([[1], [2]]), t([[3, 4], [5, 6]])], 1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
    expect(() => ops.concat([t([[1, 2]]), t([[3]])])).toThrow(new RangeError('concat: shapes [1, 2] and [1, 1] differ off axis 0'));
    expect(ops.stack([t([1, 2]), t([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(ops.stack([t([1, 2]), t([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(ops.slice(x, [0, 1], [2, 2]).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(ops.slice(x, [1, 0], [1, -1]).toArray()).toEqual([[4, 5, 6]]);
    expect(() => ops.slice(x, [1, 2], [2, 1])).toThrow(new RangeError('slice: begin [1, 2] with size [2, 1] is out of bounds for shape [2, 3] (axis 0)'));
    expect(ops.gather(x, t([2, 0], int32), 1).toArray()).toEqual([[3, 1], [6, 4]]);
    expect(ops.gather(x, 1, 0).toArray()).toEqual([4, 5, 6]);
    expect(ops.gather(x, [-1], 1).toArray()).toEqual([[3], [6]]);
    expect(() => ops.gather(x, [3], 1)).toThrow(new RangeError('gather: index 3 is out of range for an axis of size 3 (expected an integer in -3..2)'));
  });
});

describe('creation and randomness', () => {
  it('ones, zeros, fill, onesLike, zerosLike', () => {
    expect(ops.ones([2]).toArray()).toEqual([1, 1]);
    expect(ops.zeros([2], int32).dtype).toBe(int32);
    expect(ops.fill([2], 7).toArray()).toEqual([7, 7]);
    expect(ops.onesLike(t([[1, 2]], float64)).dtype).toBe(float64);
    expect(ops.zerosLike(t([3, 4])).toArray()).toEqual([0, 0]);
    expect(() => ops.ones([-1])).toThrow(new RangeError('ones: expected a shape of non-negative integers, got [-1]'));
    expect(() => ops.zeros([2], 'complex')).toThrow(/unknown dtype/);
  });
  it('randn and uniform repeat after setSeed', () => {
    setSeed(42);
    const a = ops.randn([1000]);
    const u = ops.uniform([1000], -2, 2);
    setSeed(42);
    expect(ops.randn([1000]).toArray()).toEqual(a.toArray());
    expect(ops.uniform([1000], -2, 2).toArray()).toEqual(u.toArray());
    const m = ops.mean(a).item();
    const v = ops.mean(ops.square(ops.sub(a, m))).item();
    expect(Math.abs(m)).toBeLessThan(0.1);
    expect(Math.abs(v - 1)).toBeLessThan(0.15);
    expect(u.data.every((x) => x >= -2 && x < 2)).toBe(true);
  });
  it('oneHot', () => {
    expect(ops.oneHot(t([0, 2], int32), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
  });
});

describe('primitive factories', () => {
  it('return the op itself', () => {
    expect(ops.Sin()).toBe(ops.sin);
    expect(ops.Mul()).toBe(ops.mul);
    expect(ops.MatMul()).toBe(ops.matmul);
    expect(ops.ReduceSum()).toBe(ops.sum);
    expect(ops.StopGradient()(t([1])).toArray()).toEqual([1]);
    expect(ops.Sin().primitive).toBe('sin');
  });
});
