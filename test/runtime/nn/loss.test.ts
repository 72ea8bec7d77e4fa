// MSELoss and SoftmaxCrossEntropyWithLogits against hand-computed values, every reduction,
// and the activation cells.
import { describe, expect, it } from 'vitest';
import { int32 } from '../../../runtime/dtype.js';
import * as nn from '../../../runtime/nn/index.js';
import { Tensor } from '../../../runtime/tensor.js';

function expectClose(actual: unknown, expected: number[] | number, digits = 5): void {
  if (typeof expected === 'number') return void expect(actual as number).toBeCloseTo(expected, digits);
  const got = actual as number[];
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], digits));
}

describe('MSELoss', () => {
  const logits = new Tensor([1, 2, 3]);
  const labels = new Tensor([1, 4, 0]); // squared errors [0, 4, 9]

  it("reduces by 'mean' by default, to a 0-d tensor", () => {
    const loss = new nn.MSELoss()(logits, labels);
    expect(loss.shape).toEqual([]);
    expectClose(loss.toArray(), 13 / 3);
  });

  it("'sum' and 'none'", () => {
    expectClose(new nn.MSELoss('sum')(logits, labels).toArray(), 13);
    expect(new nn.MSELoss('none')(logits, labels).toArray()).toEqual([0, 4, 9]);
  });

  it('broadcasts labels', () => {
    const loss = new nn.MSELoss('none')(new Tensor([[1, 2], [3, 4]]), new Tensor([1, 1]));
    expect(loss.toArray()).toEqual([[0, 1], [4, 9]]);
  });

  it('rejects an unknown reduction', () => {
    expect(() => new nn.MSELoss('avg' as 'mean')).toThrow(/MSELoss: reduction must be one of "mean", "sum", "none", got "avg"/);
  });
});

describe('SoftmaxCrossEntropyWithLogits', () => {
  const logits = new Tensor([[2, 0], [0, 0]]);
  const perRow = [Math.log(1 + Math.exp(-2)), Math.log(2)]; // -log softmax at the label

  it("dense one-hot labels, reduction 'none' by default: one loss per row", () => {
    const loss = new nn.SoftmaxCrossEntropyWithLogits()(logits, new Tensor([[1, 0], [0, 1]]));
    expect(loss.shape).toEqual([2]);
    expectClose(loss.toArray(), perRow);
  });

  it('sparse int32 labels give the same losses', () => {
    const loss = new nn.SoftmaxCrossEntropyWithLogits({ sparse: true })(logits, new Tensor([0, 1], int32));
    expectClose(loss.toArray(), perRow);
  });

  it("'mean' and 'sum'", () => {
    const labels = new Tensor([0, 1], int32);
    expectClose(new nn.SoftmaxCrossEntropyWithLogits({ sparse: true, reduction: 'mean' })(logits, labels).toArray(), (perRow[0] + perRow[1]) / 2);
    expectClose(new nn.SoftmaxCrossEntropyWithLogits({ sparse: true, reduction: 'sum' })(logits, labels).toArray(), perRow[0] + perRow[1]);
  });

  it('three classes, soft labels', () => {
    const z = [1, 2, 3];
    const logZ = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
    const loss = new nn.SoftmaxCrossEntropyWithLogits()(new Tensor([z]), new Tensor([[0.2, 0.3, 0.5]]));
    expectClose(loss.toArray(), [0.2 * (logZ - 1) + 0.3 * (logZ - 2) + 0.5 * (logZ - 3)]);
    const sparse = new nn.SoftmaxCrossEntropyWithLogits({ sparse: true })(new Tensor([z]), new Tensor([2], int32));
    expectClose(sparse.toArray(), [logZ - 3]);
  });

  it('rejects bad options', () => {
    expect(() => new nn.SoftmaxCrossEntropyWithLogits({ reduction: 'x' as 'sum' })).toThrow(/SoftmaxCrossEntropyWithLogits: reduction must be one of/);
    expect(() => new nn.SoftmaxCrossEntropyWithLogits({ sparse: 1 as unknown as boolean })).toThrow(/sparse must be one of true, false, got 1/);
  });
});

describe('activation cells and SequentialCell', () => {
  const x = new Tensor([-1, 0, 2]);
  it('ReLU, Sigmoid, Tanh', () => {
    expect(new nn.ReLU()(x).toArray()).toEqual([0, 0, 2]);
    expectClose(new nn.Sigmoid()(x).toArray(), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
    expectClose(new nn.Tanh()(x).toArray(), [Math.tanh(-1), 0, Math.tanh(2)]);
  });

  it('SequentialCell applies its layers in order', () => {
    const dense = new nn.Dense(3, 1, true, null, { weightInit: new Tensor([[1, 1, 1]]), biasInit: new Tensor([-1]) });
    const seq = new nn.SequentialCell([new nn.ReLU(), dense, new nn.Tanh()]);
    // relu → [0, 0, 2]; dense → 0 + 0 + 2 - 1 = 1; tanh → tanh(1)
    const y = seq(new Tensor([[-1, 0, 2]]));
    expect(y.shape).toEqual([1, 1]);
    expectClose((y.toArray() as number[][])[0], [Math.tanh(1)]);
    expect(() => new nn.SequentialCell([new nn.ReLU(), 3 as unknown as nn.Cell])).toThrow(/SequentialCell: element 1 is not a Cell \(got number\)/);
  });
});
