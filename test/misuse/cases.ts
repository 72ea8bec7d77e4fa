// Run-time misuses of tsgrad, one per case: each runs under `tsgrad run` and prints
// `<case>\t<ErrorName>: <message>` (or `<case>\tno error: <result>`). The table in
// misuse.test.ts holds the exact message each one must give.
import { Parameter, ParameterTuple, Tensor, float32, float64, int32, grad, nn, ops, valueAndGrad } from 'tsgrad';

function attempt(name: string, body: () => unknown): void {
  try {
    const r = body();
    const shown = r instanceof Tensor ? `Tensor(shape=[${r.shape}], ${r.dtype}, [${Array.from(r.data as ArrayLike<number>).join(', ')}])` : String(r);
    console.log(`${name}\tno error: ${shown}`);
  } catch (e) {
    console.log(`${name}\t${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

class Net extends nn.Cell {
  w = new Parameter(new Tensor([1.5, -0.5], float32), 'w');
  construct(x: Tensor): Tensor {
    return ops.sum(ops.mul(x, this.w));
  }
}
class Other extends nn.Cell {
  u = new Parameter(new Tensor([2.0], float32), 'u');
  construct(x: Tensor): Tensor {
    return ops.mul(x, this.u);
  }
}
function two(x: Tensor, y: Tensor): Tensor {
  return ops.sum(ops.mul(x, y));
}
function scaled(x: Tensor, k: number): Tensor {
  return ops.mul(x, k);
}
function square(x: Tensor): Tensor {
  return ops.mul(x, x);
}
function addAll(x: Tensor, y: Tensor): Tensor {
  return ops.add(x, y);
}
function sumSquares(xs: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i];
  return s;
}

const net = new Net();
const other = new Other();
const x2 = new Tensor([1, 2], float32);
const x3 = new Tensor([1, 2, 3], float32);
const m23 = new Tensor([[1, 2, 3], [4, 5, 6]], float32);

// Shapes and data.
attempt('add-no-broadcast', () => ops.add(x2, x3));
attempt('grad-no-broadcast', () => grad(addAll, { gradPosition: [0, 1] })(x2, x3));
attempt('matmul-inner-mismatch', () => ops.matmul(m23, m23));
attempt('reshape-size', () => ops.reshape(m23, [4, 2]));
attempt('sum-axis-range', () => ops.sum(m23, 2));
attempt('transpose-perm', () => ops.transpose(m23, [0, 0]));
attempt('slice-bounds', () => ops.slice(x3, [1], [5]));
attempt('gather-index', () => ops.gather(x3, [0, 7], 0));
attempt('concat-shapes', () => ops.concat([m23, x2], 0));
attempt('stack-shapes', () => ops.stack([x2, x3], 0));
attempt('broadcastTo-shape', () => ops.broadcastTo(x3, [2, 2]));
attempt('expandDims-axis', () => ops.expandDims(x3, 3));
attempt('ragged-data', () => new Tensor([[1, 2], [3]] as unknown as number[][]));
attempt('non-numeric-data', () => new Tensor(['a', 'b'] as unknown as number[]));
attempt('flat-data-shape', () => new Tensor([1, 2, 3], float32, { shape: [2, 2] }));
attempt('unknown-dtype', () => new Tensor([1, 2], 'complex64'));
attempt('item-of-many', () => x3.item());
attempt('dense-features', () => new nn.Dense(3, 2)(x2));

// dtypes.
attempt('sin-of-int32', () => ops.sin(new Tensor([1, 2], int32)));
attempt('add-bool', () => ops.add(ops.greater(x2, 1), x2));
attempt('mixed-float-dtypes', () => ops.add(x2, new Tensor([1, 2], float64)));
attempt('assign-dtype', () => net.w.assign(new Tensor([1, 2], float64)));
attempt('assign-shape', () => net.w.assign(x3));

// Calls of gradient functions.
attempt('too-few-args', () => grad(two, { gradPosition: [0, 1] })(x2));
attempt('too-many-args', () => grad(square)(x2, x2));
attempt('number-for-tensor', () => grad(square)(3 as unknown as Tensor));
attempt('tensor-for-number', () => grad(scaled, { gradPosition: [0, 1] })(x2, x2 as unknown as number));
// The elements of a number[] are checked four at a time, then the rest one by one: a bad one in either part.
attempt('string-in-numbers', () => grad(sumSquares)([1, 2, 3, 4, 5, '6', 7, 8, 9] as unknown as number[]));
attempt('undefined-in-numbers-tail', () => grad(sumSquares)([1, 2, 3, 4, 5, 6, 7, 8, undefined] as unknown as number[]));
attempt('number-for-numbers', () => grad(sumSquares)(3 as unknown as number[]));
attempt('numbers', () => grad(sumSquares)([1, 2, 3, 4, 5, 6, 7, 8, 9]));
attempt('weights-other-network', () => grad(net, { gradPosition: null, weights: other.trainableParams() })(x2));
attempt('weights-not-parameters', () => grad(net, { gradPosition: null, weights: [x2] })(x2));
attempt('weights-tuple-other', () => grad(net, { gradPosition: 0, weights: new ParameterTuple(other.trainableParams()) })(x2));
attempt('nan-input', () => grad(square)(new Tensor([NaN, 1], float32)));
attempt('infinite-input', () => grad(square)(new Tensor([Infinity, 1], float32)));
attempt('grad-of-uncompiled', () => (grad as unknown as (f: unknown) => (x: Tensor) => Tensor)(square)(x2));
attempt('grad-non-function', () => (grad as unknown as (f: unknown) => unknown)(42));
attempt('grad-null-options', () => (valueAndGrad as unknown as (f: unknown, o: unknown) => unknown)(square, 'all'));
attempt('int32-input', () => grad(square)(new Tensor([1, 2], int32)));
