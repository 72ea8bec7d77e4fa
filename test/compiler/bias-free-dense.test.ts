// nn.Dense(…, hasBias = false) through weight gradients: the Cell's trainableParams() has
// no bias while the generated gradient keeps a slot for it that reads null. Weights alone,
// inputs and weights, a subset of the weights, jvp and vjp of the weight gradient, and
// second orders with weights at either level, against float64 central differences
// (test/helpers/finiteDiff.ts): first orders of the network run op by op, second orders
// and the jvp/vjp of the compiled first order. The program is compiled here and imported, so
// that it and the test share the runtime.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Compiler, applyEdits, createProject } from '../../compiler/index.js';
import { Parameter, Tensor, float64, nn, ops } from '../../runtime/index.js';
import { centralDifference, maxRelError } from '../helpers/finiteDiff.js';
import { repoRoot } from '../helpers/cli.js';

const source = `import { Tensor, float64, grad, jvp, nn, ops, vjp } from 'tsgrad';

export class Net extends nn.Cell {
  l1 = new nn.Dense(3, 4, false, null, { dtype: float64 });
  l2 = new nn.Dense(4, 2, true, null, { dtype: float64 });
  l3 = new nn.Dense(2, 2, false, 'tanh', { dtype: float64 });
  construct(x: Tensor): Tensor {
    return ops.sum(ops.square(this.l3(this.l2(ops.tanh(this.l1(x))))));
  }
}

export const net = new Net();
const params = net.trainableParams();
export const weightsOnly = (x: Tensor) => grad(net, { gradPosition: null, weights: params })(x);
export const inputsAndWeights = (x: Tensor) => grad(net, { gradPosition: 0, weights: params })(x);
export const subset = (x: Tensor) => grad(net, { gradPosition: null, weights: [net.l3.weight, net.l1.weight] })(x);
export const tangentOfWeights = (x: Tensor, dx: Tensor) => jvp(grad(net, { gradPosition: null, weights: params }), [x], [dx]);
export function backOfWeights(x: Tensor): Tensor {
  const [out, back] = vjp(grad(net, { gradPosition: null, weights: params }), x);
  return back((out as Tensor[]).map((t) => ops.onesLike(t))) as Tensor;
}
export const secondBoth = (x: Tensor) => grad(grad(net, { gradPosition: null, weights: params }), { gradPosition: 0, weights: params })(x);
export const secondOuterWeights = (x: Tensor) => grad(grad(net), { gradPosition: null, weights: params })(x);
`;

type Program = {
  net: nn.Cell & { l1: nn.Dense; l2: nn.Dense; l3: nn.Dense; trainableParams(): Parameter[] };
  weightsOnly: (x: Tensor) => Tensor[];
  inputsAndWeights: (x: Tensor) => [Tensor, Tensor[]];
  subset: (x: Tensor) => Tensor[];
  tangentOfWeights: (x: Tensor, dx: Tensor) => [Tensor[], Tensor[]];
  backOfWeights: (x: Tensor) => Tensor;
  secondBoth: (x: Tensor) => [Tensor, Tensor[]];
  secondOuterWeights: (x: Tensor) => Tensor[];
};

/** Compiles the program with its gradients and imports it. */
async function load(): Promise<Program> {
  const dir = path.join(repoRoot, '.tsgrad', 'bias-free-dense');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'net.ts');
  writeFileSync(file, source);
  const compiled = new Compiler(createProject([file])).compileProgram();
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  for (const [modulePath, text] of compiled.modules) writeFileSync(modulePath, text);
  writeFileSync(file, applyEdits(readFileSync(file, 'utf8'), compiled.edits.get(file)));
  return (await import(/* @vite-ignore */ file)) as Program;
}

const x = new Tensor([[0.3, -0.7, 1.1], [0.5, 0.2, -0.4]], float64);
const dir = new Tensor([[1, 0.5, -2], [-0.3, 0.8, 0.1]], float64);

/** The unit tensor along element `i` of `t`. */
function unit(t: Tensor, i: number): Tensor {
  const data = new Float64Array(t.size);
  data[i] = 1;
  return Tensor.fromData(data, [...t.shape], float64);
}

/** `f` with the Parameter `p` holding `value` (restored after). */
function holding<T>(p: Parameter, value: Tensor, f: () => T): T {
  const saved = Float64Array.from(p.data);
  p.data.set(value.data);
  try {
    return f();
  } finally {
    p.data.set(saved);
  }
}

/** ∂ sum(f()) / ∂p by central differences, element by element, with p moved in place. */
function alongParameter(p: Parameter, f: () => Tensor | Tensor[]): Float64Array {
  return Float64Array.from({ length: p.size }, (_, i) => centralDifference((t) => holding(p, t, () => total(f())), p, unit(p, i))[0]);
}

/** ∂ sum(f(x)) / ∂x by central differences. */
function alongInput(f: (x: Tensor) => Tensor | Tensor[], at: Tensor): Float64Array {
  return Float64Array.from({ length: at.size }, (_, i) => centralDifference((t) => total(f(t)), at, unit(at, i))[0]);
}

/** The sum of every element of a tensor or of nested tensors, as a 0-d float64 tensor. */
function total(v: Tensor | Tensor[] | (Tensor | Tensor[])[]): Tensor {
  const leaves = (u: unknown): Tensor[] => (u instanceof Tensor ? [u] : (u as unknown[]).flatMap(leaves));
  return new Tensor(leaves(v).reduce((s, t) => s + t.data.reduce((a, b) => a + b, 0), 0), float64);
}

describe('nn.Dense without bias through weight gradients', () => {
  let p: Program;
  let params: Parameter[];
  const forward = (t: Tensor) => p.net(t) as Tensor;
  beforeAll(async () => {
    p = await load();
    params = p.net.trainableParams();
  }, 120_000);

  it('the Parameter list has no null: the bias-free layers give their weight only', () => {
    expect(p.net.l1.bias).toBeNull();
    expect(p.net.l3.bias).toBeNull();
    expect(params).toEqual([p.net.l1.weight, p.net.l2.weight, p.net.l2.bias, p.net.l3.weight]);
  });

  it('weights alone match central differences', () => {
    const got = p.weightsOnly(x);
    expect(got.map((g) => g.shape)).toEqual(params.map((w) => w.shape));
    params.forEach((w, k) => expect(maxRelError(got[k].data, alongParameter(w, () => forward(x)))).toBeLessThan(1e-7));
  });

  it('inputs and weights match central differences', () => {
    const [dx, dw] = p.inputsAndWeights(x);
    expect(maxRelError(dx.data, alongInput(forward, x))).toBeLessThan(1e-7);
    params.forEach((w, k) => expect(maxRelError(dw[k].data, alongParameter(w, () => forward(x)))).toBeLessThan(1e-7));
  });

  it('a subset of the weights, in another order', () => {
    const [d3, d1] = p.subset(x);
    expect(maxRelError(d3.data, alongParameter(p.net.l3.weight, () => forward(x)))).toBeLessThan(1e-7);
    expect(maxRelError(d1.data, alongParameter(p.net.l1.weight, () => forward(x)))).toBeLessThan(1e-7);
  });

  it('jvp of the weight gradient: its tangent against differences of the compiled gradient along dx', () => {
    const [value, tangent] = p.tangentOfWeights(x, dir);
    const want = p.weightsOnly(x);
    want.forEach((w, k) => expect(maxRelError(value[k].data, w.data)).toBeLessThan(1e-15));
    want.forEach((_, k) => {
      const slope = centralDifference((t) => p.weightsOnly(t)[k], x, dir);
      expect(maxRelError(tangent[k].data, slope)).toBeLessThan(1e-7);
    });
  });

  it('vjp of the weight gradient with ones: the input gradient of the sum of the weight gradients', () => {
    expect(maxRelError(p.backOfWeights(x).data, alongInput(p.weightsOnly, x))).toBeLessThan(1e-7);
  });

  it('second order, weights at both levels: the gradients of the sum of the first-order weight gradients', () => {
    const [dx, dw] = p.secondBoth(x);
    expect(dw).toHaveLength(params.length);
    expect(maxRelError(dx.data, alongInput(p.weightsOnly, x))).toBeLessThan(1e-7);
    params.forEach((w, k) => expect(maxRelError(dw[k].data, alongParameter(w, () => p.weightsOnly(x)))).toBeLessThan(1e-7));
  });

  it('second order, weights at the outer level: the weight gradients of the sum of the input gradient', () => {
    const inputGradient = (t: Tensor) => ops.sum(p.inputsAndWeights(t)[0]);
    const dw = p.secondOuterWeights(x);
    params.forEach((w, k) => expect(maxRelError(dw[k].data, alongParameter(w, () => inputGradient(x)))).toBeLessThan(1e-7));
  });
});
