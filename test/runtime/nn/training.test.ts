// A training loop end to end in the runtime: Dense + MSELoss forward, gradients written by
// hand with ops (the compiler's job elsewhere), SGD/Adam steps through the callable optimiser.
import { describe, expect, it } from 'vitest';
import * as nn from '../../../runtime/nn/index.js';
import * as ops from '../../../runtime/ops/index.js';
import { setSeed } from '../../../runtime/random.js';
import { Tensor } from '../../../runtime/tensor.js';

// Points on y = 2x + 1.
const x = new Tensor([[-1], [0], [0.5], [1], [2]]);
const y = new Tensor([[-1], [1], [2], [3], [5]]);

/** d/dW and d/db of mean((x·Wᵀ + b − y)²), for a Dense(1, 1). */
function handGrads(dense: nn.Dense): Tensor[] {
  const r = ops.mul(ops.sub(dense(x), y), 2 / x.shape[0]); // dL/dlogits, [N, 1]
  return [ops.matmul(ops.transpose(r, [1, 0]), x), ops.sum(r, 0)];
}

function fit(make: (params: Iterable<nn.Dense['weight']>) => nn.Optimizer, steps: number): { dense: nn.Dense; losses: number[] } {
  setSeed(3);
  const dense = new nn.Dense(1, 1);
  const loss = new nn.MSELoss();
  const opt = make(dense.trainableParams());
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(loss(dense(x), y).item());
    opt(handGrads(dense));
  }
  return { dense, losses };
}

describe('training a Dense layer', () => {
  it('SGD with momentum recovers y = 2x + 1', () => {
    const { dense, losses } = fit((p) => new nn.SGD(p, { learningRate: 0.05, momentum: 0.9 }), 300);
    expect(dense.weight.item()).toBeCloseTo(2, 3);
    expect(dense.bias!.item()).toBeCloseTo(1, 3);
    expect(losses[losses.length - 1]).toBeLessThan(1e-6);
  });

  it('Adam recovers y = 2x + 1', () => {
    const { dense, losses } = fit((p) => new nn.Adam(p, { learningRate: 0.05 }), 600);
    expect(dense.weight.item()).toBeCloseTo(2, 2);
    expect(dense.bias!.item()).toBeCloseTo(1, 2);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 1e-3);
  });
});
