// Loss cells, as MindSpore's: MSELoss and SoftmaxCrossEntropyWithLogits. Their
// `construct` methods are plain `ops.*` code the compiler differentiates; the reduction
// is chosen with an `if` on a string field fixed at construction.

import * as ops from '../ops/index.js';
import { Tensor } from '../tensor.js';
import { Cell } from './cell.js';
import { checkChoice } from './validate.js';

/** How a loss reduces its per-element values: their mean, their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';
const reductions: readonly Reduction[] = ['mean', 'sum', 'none'];

/**
 * Mean squared error: `reduce((logits - labels)²)`; 'mean' and 'sum' give a 0-d tensor,
 * 'none' the elementwise squares (broadcast shape).
 *
 * @example
 * const loss = new nn.MSELoss();
 * loss(new Tensor([1, 2]), new Tensor([1, 4]));      // 2 = (0 + 4) / 2
 */
export class MSELoss extends Cell {
  readonly reduction: Reduction;

  constructor(reduction: Reduction = 'mean') {
    super();
    checkChoice('MSELoss', 'reduction', reduction, reductions);
    this.reduction = reduction;
  }

  construct(logits: Tensor, labels: Tensor): Tensor {
    const loss = ops.square(ops.sub(logits, labels));
    if (this.reduction === 'mean') {
      return ops.mean(loss);
    }
    if (this.reduction === 'sum') {
      return ops.sum(loss);
    }
    return loss;
  }

  override extraRepr(): string {
    return `reduction='${this.reduction}'`;
  }
}

/** SoftmaxCrossEntropyWithLogits' options, as MindSpore's keyword arguments. */
export interface SoftmaxCrossEntropyOptions {
  /** Labels are class indices (int32, shape [N]) instead of one-hot rows [N, C]. Default false. */
  sparse?: boolean;
  /** Default 'none': one loss per row, shape [N]. */
  reduction?: Reduction;
}

/**
 * Cross entropy of softmax(logits) against labels, per row: `-Σ_c labels[n, c] ·
 * logSoftmax(logits)[n, c]`. Logits have shape [N, C]; labels are one-hot (or any
 * distribution) rows [N, C], or with `sparse` int32 class indices [N].
 *
 * @example
 * const loss = new nn.SoftmaxCrossEntropyWithLogits({ sparse: true, reduction: 'mean' });
 * loss(new Tensor([[2, 0], [0, 2]]), new Tensor([0, 1], int32));   // log(1 + e⁻²)
 */
export class SoftmaxCrossEntropyWithLogits extends Cell {
  readonly sparse: boolean;
  readonly reduction: Reduction;

  constructor(options: SoftmaxCrossEntropyOptions = {}) {
    super();
    const { sparse = false, reduction = 'none' } = options;
    checkChoice('SoftmaxCrossEntropyWithLogits', 'sparse', sparse, [true, false]);
    checkChoice('SoftmaxCrossEntropyWithLogits', 'reduction', reduction, reductions);
    this.sparse = sparse;
    this.reduction = reduction;
  }

  construct(logits: Tensor, labels: Tensor): Tensor {
    let target = labels;
    if (this.sparse) {
      target = ops.oneHot(labels, logits.shape[logits.shape.length - 1], 1, 0);
    }
    const loss = ops.neg(ops.sum(ops.mul(target, ops.logSoftmax(logits, -1)), -1));
    if (this.reduction === 'mean') {
      return ops.mean(loss);
    }
    if (this.reduction === 'sum') {
      return ops.sum(loss);
    }
    return loss;
  }

  override extraRepr(): string {
    return `sparse=${this.sparse}, reduction='${this.reduction}'`;
  }
}
