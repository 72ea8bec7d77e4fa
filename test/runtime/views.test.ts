// Transposed views (runtime/views.ts): transpose(w, [1, 0]) of a float32 matrix is made
// when read, and a matrix product reads w in place instead. A view must equal the
// transposed copy in every use, bit for bit through matmul; only float32 matrices of at
// least VIEW_MIN_SIZE elements are views; and in-place writes into a Parameter through
// assign or an optimiser never reach a view made before them.
import { describe, expect, it } from 'vitest';
import { Parameter, Tensor, float32, float64, int32, nn, ops } from '../../runtime/index.js';
import { DType } from '../../runtime/dtype.js';
import { VIEW_MIN_SIZE, unreadTransposeSource } from '../../runtime/views.js';
import { Rng } from '../helpers/rng.js';

const rng = new Rng(11);

function random(shape: number[], dtype: DType = float32): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Array.from(rng.array(size)), dtype, { shape });
}

/** The transpose of a matrix by index: the reference. */
function transposed(x: Tensor): number[] {
  const [rows, cols] = x.shape;
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(x.data[i * cols + j]);
  return out;
}

function bits(t: Tensor): number[] {
  return Array.from(t.data);
}

describe('a transposed float32 matrix is a view', () => {
  it('with the shape, dtype and size of the transpose before it is read, and its values after', () => {
    const w = random([40, 30]);
    const v = ops.transpose(w, [1, 0]);
    expect(v).toBeInstanceOf(Tensor);
    expect(unreadTransposeSource(v)).toBe(w.data);
    expect(v.shape).toEqual([30, 40]);
    expect(v.dtype).toBe(float32);
    expect(v.size).toBe(1200);
    expect(v.ndim).toBe(2);
    expect(unreadTransposeSource(v)).toBeDefined(); // shape, size and ndim did not read it
    expect(bits(v)).toEqual(transposed(w));
    expect(unreadTransposeSource(v)).toBeUndefined();
    expect(bits(v)).toEqual(transposed(w)); // read twice: the same array
    expect(v.data).toBe(v.data);
  });

  it('works in every op as the copy does', () => {
    const w = random([32, 48]);
    const v = () => ops.transpose(w, [1, 0]);
    const copy = new Tensor(transposed(w), float32, { shape: [48, 32] });
    expect(bits(ops.add(v(), 1))).toEqual(bits(ops.add(copy, 1)));
    expect(bits(ops.sum(v(), 0))).toEqual(bits(ops.sum(copy, 0)));
    expect(v().toArray()).toEqual(copy.toArray());
    expect(String(v())).toEqual(String(copy));
    expect(bits(ops.transpose(v(), [1, 0]))).toEqual(bits(w));
    expect(bits(ops.reshape(v(), [32 * 48]))).toEqual(bits(copy));
    expect(bits(new Parameter(v(), 'p'))).toEqual(bits(copy));
  });

  it('a matrix product reads the source in place, with the bits of the product of the copy', () => {
    for (const [m, k, n] of [[64, 96, 48], [5, 300, 7], [33, 65, 129]]) {
      const x = random([m, k]);
      const w = random([n, k]);
      const a = random([k, m]);
      const b = random([k, n]);
      const copyOf = (t: Tensor) => new Tensor(transposed(t), float32, { shape: [t.shape[1], t.shape[0]] });
      const vw = ops.transpose(w, [1, 0]);
      expect(bits(ops.matmul(x, vw))).toEqual(bits(ops.matmul(x, copyOf(w))));
      expect(unreadTransposeSource(vw)).toBeDefined(); // the product did not make it
      expect(bits(ops.matmul(ops.transpose(a, [1, 0]), b))).toEqual(bits(ops.matmul(copyOf(a), b)));
      const wk = random([n, k]);
      expect(bits(ops.matmul(ops.transpose(a, [1, 0]), ops.transpose(wk, [1, 0])))).toEqual(bits(ops.matmul(copyOf(a), copyOf(wk))));
      expect(bits(ops.matmul(x, vw))).toEqual(bits(ops.matmulNT(x, w)));
    }
  });

  it('a product the kernel does not take (a thin one) makes the view and multiplies as usual', () => {
    const w = random([2, 1024]);
    const x = random([1, 1024]);
    const v = ops.transpose(w, [1, 0]);
    const got = ops.matmul(x, v);
    expect(bits(got)).toEqual(bits(ops.matmul(x, new Tensor(transposed(w), float32, { shape: [1024, 2] }))));
  });

  it('other dtypes, ranks, perms and small matrices are copies', () => {
    const small = Math.floor(Math.sqrt(VIEW_MIN_SIZE)) - 1;
    for (const x of [random([small, small]), random([40, 30], float64), random([40, 30], int32), random([4, 16, 16])]) {
      const t = ops.transpose(x, x.ndim === 2 ? [1, 0] : [0, 2, 1]);
      expect(unreadTransposeSource(t)).toBeUndefined();
    }
    const x = random([40, 30]);
    expect(unreadTransposeSource(ops.transpose(x, [0, 1]))).toBeUndefined();
    expect(bits(ops.transpose(x, [0, 1]))).toEqual(bits(x));
    expect(unreadTransposeSource(ops.transpose(x))).toBeDefined(); // perm left out: reversed axes
    expect(() => ops.transpose(x, [1, 1])).toThrow(/expected a permutation of 0..1, got \[1, 1\]/);
  });
});

describe('in-place writes never reach a view made before them', () => {
  it('Parameter.assign', () => {
    const p = new Parameter(random([40, 30]), 'p');
    const before = transposed(p);
    const v = ops.transpose(p, [1, 0]);
    const x = random([8, 30]);
    const productBefore = bits(ops.matmul(x, new Tensor(before, float32, { shape: [30, 40] })));
    p.assign(random([40, 30]));
    const after = ops.transpose(p, [1, 0]);
    expect(bits(ops.matmul(x, v))).toEqual(productBefore); // read in place, from the frozen copy
    expect(bits(v)).toEqual(before);
    expect(bits(after)).toEqual(transposed(p));
    expect(bits(after)).not.toEqual(before);
  });

  it('an optimiser step, over several steps', () => {
    const p = new Parameter(random([40, 30]), 'p');
    const opt = new nn.SGD([p], 0.5);
    const views: [Tensor, number[]][] = [];
    for (let step = 0; step < 3; step++) {
      views.push([ops.transpose(p, [1, 0]), transposed(p)]);
      opt.step([ops.onesLike(p)]);
    }
    for (const [v, want] of views) expect(bits(v)).toEqual(want);
  });

  it('a view of reshape(p), which shares p\'s array', () => {
    const p = new Parameter(random([1200]), 'p');
    const r = ops.reshape(p, [40, 30]);
    const want = transposed(r);
    const v = ops.transpose(r, [1, 0]);
    p.assign(ops.zerosLike(p));
    expect(bits(v)).toEqual(want);
  });

  it('a write by hand into an unread view\'s source shows through, as in a NumPy view (documented)', () => {
    const w = random([40, 30]);
    const v = ops.transpose(w, [1, 0]);
    w.data[1] = 42;
    expect(v.data[40]).toBe(42);
  });
});
