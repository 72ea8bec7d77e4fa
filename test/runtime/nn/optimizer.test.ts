// SGD and Adam update Parameters in place exactly as MindSpore documents; expected values
// are hand-computed or recomputed here independently in float64.
import { describe, expect, it } from 'vitest';
import { float64 } from '../../../runtime/dtype.js';
import * as nn from '../../../runtime/nn/index.js';
import { Parameter, ParameterTuple } from '../../../runtime/parameter.js';
import { Tensor } from '../../../runtime/tensor.js';

const p64 = (values: number[], name = 'p') => new Parameter(new Tensor(values, float64), name);
const g64 = (values: number[]) => new Tensor(values, float64);
const values = (p: Tensor) => Array.from(p.data);

function expectClose(actual: number[], expected: number[], digits = 12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

/** Reference SGD over plain float64 arrays, written from MindSpore's formula. */
function sgdReference(p0: number[], grads: number[][], o: { lr: number; u: number; d: number; wd: number; nesterov: boolean }) {
  const p = [...p0];
  const v = p0.map(() => 0);
  grads.forEach((g, t) => {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + o.wd * p[i];
      if (o.u === 0) {
        p[i] = p[i] - o.lr * gi;
        continue;
      }
      v[i] = t === 0 ? gi : o.u * v[i] + (1 - o.d) * gi;
      p[i] = o.nesterov ? p[i] - o.lr * (gi + o.u * v[i]) : p[i] - o.lr * v[i];
    }
  });
  return p;
}

/** Reference Adam over plain float64 arrays, written from MindSpore's formula. */
function adamReference(p0: number[], grads: number[][], o: { lr: number; b1: number; b2: number; eps: number; wd: number }) {
  const p = [...p0];
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  grads.forEach((g, step) => {
    const t = step + 1;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + o.wd * p[i];
      m[i] = o.b1 * m[i] + (1 - o.b1) * gi;
      v[i] = o.b2 * v[i] + (1 - o.b2) * gi * gi;
      const lrT = (o.lr * Math.sqrt(1 - Math.pow(o.b2, t))) / (1 - Math.pow(o.b1, t));
      p[i] = p[i] - (lrT * m[i]) / (Math.sqrt(v[i]) + o.eps);
    }
  });
  return p;
}

const gradSeq = [
  [0.5, 0.25, -1],
  [0.3, -0.5, 2],
  [-0.1, 0.75, 0.5],
];

describe('SGD', () => {
  it('plain step: p ← p − lr·g (hand-computed)', () => {
    const w = p64([1, -2]);
    const opt = new nn.SGD([w], { learningRate: 0.1 });
    opt.step([g64([0.5, 0.25])]);
    expectClose(values(w), [0.95, -2.025]);
    expect(opt.stepCount).toBe(1);
  });

  it('is callable like MindSpore optimizers', () => {
    const w = p64([1]);
    const opt = new nn.SGD([w], { learningRate: 0.5 });
    opt([g64([1])]);
    expectClose(values(w), [0.5]);
    expect(typeof opt).toBe('function');
    expect(opt).toBeInstanceOf(nn.SGD);
    expect(opt).toBeInstanceOf(nn.Optimizer);
  });

  it('momentum: v = g on the first step, then v ← u·v + g (hand-computed)', () => {
    const w = p64([1]);
    const opt = new nn.SGD([w], { learningRate: 0.1, momentum: 0.9 });
    opt([g64([0.5])]); // v = 0.5, p = 1 - 0.05
    expectClose(values(w), [0.95]);
    opt([g64([0.5])]); // v = 0.45 + 0.5 = 0.95, p = 0.95 - 0.095
    expectClose(values(w), [0.855]);
  });

  it('nesterov: p ← p − lr·(g + u·v) (hand-computed)', () => {
    const w = p64([1]);
    const opt = new nn.SGD([w], { learningRate: 0.1, momentum: 0.9, nesterov: true });
    opt([g64([0.5])]); // v = 0.5, p = 1 - 0.1·(0.5 + 0.45)
    expectClose(values(w), [0.905]);
    opt([g64([0.5])]); // v = 0.95, p = 0.905 - 0.1·(0.5 + 0.855)
    expectClose(values(w), [0.7695]);
  });

  it('weight decay adds λ·p to the gradient (hand-computed)', () => {
    const w = p64([1]);
    new nn.SGD([w], { learningRate: 0.1, weightDecay: 0.1 })([g64([0.5])]); // g = 0.6
    expectClose(values(w), [0.94]);
  });

  const settings = [
    { lr: 0.1, u: 0, d: 0, wd: 0, nesterov: false },
    { lr: 0.05, u: 0.9, d: 0, wd: 0, nesterov: false },
    { lr: 0.05, u: 0.8, d: 0, wd: 0.01, nesterov: true },
    { lr: 0.2, u: 0.5, d: 0.3, wd: 0.02, nesterov: false },
  ];
  it.each(settings)('matches the float64 reference over three steps: %o', (o) => {
    const p0 = [1, -2, 0.5];
    const w = p64(p0);
    const opt = new nn.SGD([w], { learningRate: o.lr, momentum: o.u, dampening: o.d, weightDecay: o.wd, nesterov: o.nesterov });
    for (const g of gradSeq) opt.step([g64(g)]);
    expectClose(values(w), sgdReference(p0, gradSeq, o));
  });

  it('updates float32 Parameters in place, each with its own state', () => {
    const a = new Parameter(new Tensor([1, 2]), 'a');
    const b = new Parameter(new Tensor([[3]]), 'b');
    const storage = a.data;
    const opt = new nn.SGD(new ParameterTuple([a, b]), { learningRate: 0.1, momentum: 0.9 });
    opt([new Tensor([1, 1]), new Tensor([[2]])]);
    opt([new Tensor([1, 1]), new Tensor([[2]])]);
    expect(a.data).toBe(storage);
    expectClose(values(a), sgdReference([1, 2], [[1, 1], [1, 1]], { lr: 0.1, u: 0.9, d: 0, wd: 0, nesterov: false }), 6);
    expectClose(values(b), sgdReference([3], [[2], [2]], { lr: 0.1, u: 0.9, d: 0, wd: 0, nesterov: false }), 6);
  });
});

describe('Adam', () => {
  it('first step moves each weight by about lr·sign(g) (hand-computed)', () => {
    const w = p64([1, -2]);
    new nn.Adam([w], { learningRate: 0.1 })([g64([0.5, -4])]);
    // m = 0.1·g, v = 0.001·g², lr_t = 0.1·√0.001/0.1, step = lr_t·m/(√v + eps) ≈ 0.1·sign(g)
    expectClose(values(w), [0.9, -1.9], 6);
  });

  it('uses MindSpore defaults lr 1e-3, betas 0.9/0.999, eps 1e-8', () => {
    const opt = new nn.Adam([p64([1])]);
    expect([opt.learningRate, opt.beta1, opt.beta2, opt.eps, opt.weightDecay]).toEqual([1e-3, 0.9, 0.999, 1e-8, 0]);
  });

  const settings = [
    { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 },
    { lr: 0.05, b1: 0.8, b2: 0.99, eps: 1e-3, wd: 0.01 },
  ];
  it.each(settings)('matches the float64 reference over three steps: %o', (o) => {
    const p0 = [1, -2, 0.5];
    const w = p64(p0);
    const opt = new nn.Adam([w], { learningRate: o.lr, beta1: o.b1, beta2: o.b2, eps: o.eps, weightDecay: o.wd });
    for (const g of gradSeq) opt([g64(g)]);
    expectClose(values(w), adamReference(p0, gradSeq, o));
    expect(opt.stepCount).toBe(3);
  });
});

describe('optimizer errors', () => {
  it('rejects a wrong gradient count or shape before changing anything', () => {
    const a = p64([1, 2], 'a');
    const b = p64([3], 'b');
    const opt = new nn.SGD([a, b], { learningRate: 0.1 });
    expect(() => opt([g64([1, 1])])).toThrow(/SGD.step: got 1 gradients for 2 Parameters/);
    expect(() => opt([g64([1, 1]), g64([1, 1])])).toThrow(/gradient 1 has shape \[2\], but Parameter 'b' has shape \[1\]/);
    expect(() => opt([g64([1, 1]), [1] as unknown as Tensor])).toThrow(/gradient 1 \(for Parameter 'b'\) is not a Tensor/);
    expect(() => opt(5 as unknown as Tensor[])).toThrow(/expected an array of gradient Tensors/);
    expect(values(a)).toEqual([1, 2]);
    expect(opt.stepCount).toBe(0);
  });

  it('rejects bad settings and non-Parameters', () => {
    const w = p64([1]);
    expect(() => new nn.SGD([w], { learningRate: -1 })).toThrow(/SGD: learningRate must be a finite number of at least 0, got -1/);
    expect(() => new nn.SGD([w], { momentum: -0.5 })).toThrow(/SGD: momentum/);
    expect(() => new nn.SGD([w], { nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => new nn.SGD([new Tensor([1]) as Parameter])).toThrow(/SGD: params must be Parameters: .*element 0 is not a Parameter/);
    expect(() => new nn.Adam([w], { beta1: 1 })).toThrow(/Adam: beta1 must be a finite number of at least 0, below 1, got 1/);
    expect(() => new nn.Adam([w], { eps: 0 })).toThrow(/Adam: eps/);
    expect(() => new nn.Adam([w], { learningRate: NaN })).toThrow(/Adam: learningRate/);
  });
});
