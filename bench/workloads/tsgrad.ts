// The benchmark's workloads written for tsgrad, the way a user would: compiled by tsgrad
// itself (bench/index.ts builds this file with `buildForRun`), never hand-tuned. Each
// export is a forward function, its compiled forward (`jit`) and its compiled gradient,
// same math as every peer.
import { Tensor, Parameter, float32, grad, jit, nn, ops, valueAndGrad } from 'tsgrad';

// W1: Rosenbrock sum, sum_i 100·(x[i+1] − x[i]²)² + (1 − x[i])², as tensors…
export function rosenbrock(x: Tensor): Tensor {
  const n = x.shape[0];
  const head = ops.slice(x, [0], [n - 1]);
  const tail = ops.slice(x, [1], [n - 1]);
  const a = ops.sub(tail, ops.square(head));
  const b = ops.sub(1, head);
  return ops.sum(ops.add(ops.mul(ops.square(a), 100), ops.square(b)));
}
export const rosenbrockJit = jit(rosenbrock);
export const rosenbrockGrad = grad(rosenbrock);

// …and as plain number code over a number[].
export function rosenbrockNumbers(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}
export const rosenbrockNumbersJit = jit(rosenbrockNumbers);
export const rosenbrockNumbersGrad = grad(rosenbrockNumbers);

// W2: a 784-128-10 ReLU MLP with MSE loss; gradients for all weights. Written with its
// Parameters in view (y = x·Wᵀ + b, as nn.Dense) so the bench can load the shared weights.
export class Mlp extends nn.Cell {
  w1 = new Parameter(ops.zeros([128, 784]), 'w1');
  b1 = new Parameter(ops.zeros([128]), 'b1');
  w2 = new Parameter(ops.zeros([10, 128]), 'w2');
  b2 = new Parameter(ops.zeros([10]), 'b2');
  construct(x: Tensor): Tensor {
    const h = ops.relu(ops.add(ops.matmul(x, ops.transpose(this.w1, [1, 0])), this.b1));
    return ops.add(ops.matmul(h, ops.transpose(this.w2, [1, 0])), this.b2);
  }
}
export const mlp = new Mlp();
const mse = new nn.MSELoss();
export function mlpLoss(x: Tensor, y: Tensor): Tensor {
  return mse(mlp(x), y);
}
export const mlpLossJit = jit(mlpLoss);
export const mlpGrad = grad(mlpLoss, { gradPosition: null, weights: mlp.trainableParams() });
export const mlpValueAndGrad = valueAndGrad(mlpLoss, { gradPosition: null, weights: mlp.trainableParams() });

// W3: sum(sin(x)·cos(x)·x).
export function chain(x: Tensor): Tensor {
  return ops.sum(ops.mul(ops.mul(ops.sin(x), ops.cos(x)), x));
}
export const chainJit = jit(chain);
export const chainGrad = grad(chain);

// W4: second derivatives: of sin on one element, and of the W3 chain.
export function sine(x: Tensor): Tensor {
  return ops.sin(x);
}
export const sineJit = jit(sine);
export const sineGrad2 = grad(grad(sine));
export const chainGrad2 = grad(grad(chain));

// W5: the seed's x·x·y·z on one-element tensors, gradients for x and y.
export class SeedNet extends nn.Cell {
  z = new Parameter(new Tensor([1.0], float32), 'z');
  construct(x: Tensor, y: Tensor): Tensor {
    return ops.mul(ops.mul(ops.mul(x, x), y), this.z);
  }
}
export const seedNet = new SeedNet();
export const seedJit = jit(seedNet);
export const seedGrad = grad(seedNet, { gradPosition: [0, 1] });
