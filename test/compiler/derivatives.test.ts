// The derivative family end to end (fixtures/derivatives/closed-forms.ts through `tsgrad run`):
// orders 2-4 of closed forms vs analytic values, mixed partials, jvp of grad, and
// jacfwd/jacrev/hessian/vjp of a tanh MLP vs float64 central differences.
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

const r = tsgrad('run', 'fixtures/derivatives/closed-forms.ts');
const errors = printedValues(r.stdout);

const analytic = ['sin', 'exp', 'tanh', 'poly', 'log'].flatMap((f) => [2, 3, 4].map((n) => `${f}.${n}`));
const exact = [...analytic, 'mixed.ab', 'mixed.ba', 'jvpOfGrad.value', 'jvpOfGrad.tangent', 'jacrev.auxValue', 'vjp.value'];
const againstDifferences = ['jacfwd.mlp', 'jacrev.mlp', 'hessian.mlp', 'hessian.xy', 'hessian.yy', 'jacrev.aux', 'vjp.mlp'];
const shapes = ['jacfwd.shape', 'jacrev.shape', 'hessian.shape'];

describe('jvp, vjp, jacfwd, jacrev, hessian and higher orders', () => {
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of exact) {
    it(`${name} matches the analytic value`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-12);
    });
  }
  for (const name of againstDifferences) {
    it(`${name} matches central differences`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-7);
    });
  }
  for (const name of shapes) {
    it(`${name} is output.shape ++ input.shape`, () => {
      expect(errors.get(name)).toBe(0);
    });
  }
});
