// Reverse mode over gradient functions (fixtures/derivatives/nested-family.ts through
// `tsgrad run`): grad and valueAndGrad of a gradient taken with hasAux (aux outputs
// stopped, as MindSpore's has_aux makes them, and grad's own output not returned), and
// vjp, jacrev and hessian of gradient functions, against analytic derivatives and
// float64 central differences of the compiled gradient functions; shapes are
// output.shape ++ input.shape. What stays an error: hasAux over a gradient function that
// returns one Tensor (TSG3007), grad/valueAndGrad/hessian with hasAux over a gradient of
// weights without one gradPosition (TSG3013: its first output is not one generated
// result), and at run time a gradient taken for a subset of its weights (vjp, hessian).
// jacrev of several outputs gives a Jacobian per output Tensor, in the outputs' structure,
// as JAX's does for a pytree (hessian too: fixtures/derivatives/hessian-outputs.ts).
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';
import { printedChecks } from '../helpers/printed-checks.js';

const r = tsgrad('run', 'fixtures/derivatives/nested-family.ts');
const found = printedValues(r.stdout);

const analytic = [
  'aux.grad2', 'aux.grad3', 'aux.valueAndGrad.value', 'aux.valueAndGrad.grad', 'aux.outerAux', 'aux.ofValueAndGrad', 'aux.mixed',
  'vjp.grad.value', 'vjp.grad', 'vjp.aux', 'vjp.valueAndGrad.aux',
  'jacrev.grad', 'jacrev.mixed', 'jacrev.aux', 'jacrev.aux.value', 'jacrev.weights.aux', 'jacrev.weights.aux.value',
  'hessian.grad', 'hessian.mixed', 'hessian.cell', 'hessian.aux', 'hessian.aux.value',
];
const againstDifferences = ['cell.aux.input', 'cell.aux.weights', 'cell.weights.second', 'vjp.cell.weights', 'jacrev.cell', 'jacrev.tree'];
const shapes = ['jacrev.grad.shape', 'jacrev.cell.shape', 'jacrev.tree.shape', 'jacrev.mixed.shape', 'hessian.grad.shape', 'hessian.mixed.shape'];

describe('grad, valueAndGrad, vjp, jacrev and hessian of gradient functions', () => {
  printedChecks(r, found, { analytic, differences: againstDifferences, shapes });
  for (const name of ['aux.valueAndGrad.structure', 'valueAndGrad.grad.structure']) {
    it(`${name}: valueAndGrad's value has the gradient function's own shape`, () => {
      expect(found.get(name)).toBe(0);
    });
  }
  it('the Cell case discriminates: its aux outputs, not stopped, would move the input gradient far', () => {
    expect(found.get('cell.aux.unstopped')!).toBeGreaterThan(1e-2);
  });
});

describe('what stays an error', () => {
  it('hasAux over a gradient function that returns one Tensor is TSG3007', () => {
    const c = tsgrad('check', 'fixtures/errors/nested-one-tensor-aux.ts');
    expect(c.status).toBe(1);
    expect(c.stdout).toContain('nested-one-tensor-aux.ts:4:18 - error TSG3007: hasAux needs a function that returns an array of outputs');
    expect(c.stdout).toContain('nested-one-tensor-aux.ts:5:18 - error TSG3007: hasAux needs a function that returns an array of outputs');
  });
  it('vjp and hessian of a gradient taken for a subset of its weights fail at run time', () => {
    const m = tsgrad('run', 'fixtures/errors/nested-misuse.ts');
    expect(m.stdout).toBe(
      "vjp: cannot differentiate Mlp.construct's gradient taken for a subset of its weights; request all of them (net.trainableParams())\n" +
        "hessian: cannot differentiate Mlp.construct's gradient taken for a subset of its weights; request all of them (net.trainableParams())\n",
    );
  });
});
