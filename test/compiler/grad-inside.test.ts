// grad and valueAndGrad called inside differentiated code (fixtures/language/grad-inside.ts):
// the inner function is differentiated in reverse mode where it stands and the outer pass
// differentiates that code. Each gradient is compared with an analytic derivative (to
// rounding) and with float64 central differences of the function itself (the fixture
// prints the largest relative error of each check). The forms it cannot differentiate in
// place are coded errors (test/compiler/diagnostics.test.ts, fixtures/errors/grad-inside.ts).
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';
import { printedChecks } from '../helpers/printed-checks.js';

const run = tsgrad('run', 'fixtures/language/grad-inside.ts');
const errors = printedValues(run.stdout);

const analytic = [
  'f.analytic', 'f.value', 'kept.analytic', 'curvature.analytic', 'pair.a.analytic', 'pair.b.analytic', 'second.a.analytic', 'second.b.analytic', 'valued.analytic',
  'captured.analytic', 'branchy.exp.analytic', 'branchy.cube.analytic', 'outputs.analytic', 'auxed.analytic', 'auxed.value',
  'valuedAux.analytic', 'cubed.analytic', 'f.second.analytic', 'jvp.value', 'jvp.analytic', 'hessian.analytic',
  // jvp of a function with grad of a loop inside, against the compiled gradient along the direction
  'loop.jvp',
  'while.none.analytic',
  // jit of f against f run op by op; jacrev and vjp against g' + x·g''
  'jit.value', 'jacrev.analytic', 'vjp.analytic', 'while.branch.off.analytic',
];
const againstDifferences = ['f', 'curvature', 'pair.a', 'pair.b', 'second.a', 'valued', 'captured', 'branchy.exp', 'outputs', 'cubed', 'descend', 'cell.input', 'cell.weights', 'f.second', 'loop', 'loop.second', 'while', 'series', 'recursion', 'loop.descend', 'loop.descend.second', 'while.branch', 'carried', 'helper'];

describe('grad of functions that call grad or valueAndGrad inside', () => {
  it('runs', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
  it('prints every check once', () => {
    expect([...errors.keys()].sort()).toEqual([...analytic, ...againstDifferences].sort());
  });
  for (const name of analytic) {
    it(`${name} matches the analytic value`, () => {
      expect(errors.get(name)!).toBeLessThan(1e-12);
    });
  }
  for (const name of againstDifferences) {
    it(`${name} matches central differences`, () => {
      expect(errors.get(name)!).toBeLessThan(1e-7);
    });
  }
});

// Forms over or in a loop that were wrong in silence, then refused (TSG3014), until
// simplification stopped folding a loop's copy into the variable the backward loop restores
// from its tape (fixtures/derivatives/grad-inside-loops.ts; with the old fold they print
// 8.6e-3 to 3.2e-1).
describe('grad inside, over and in loops: grad of grad in a loop body, loops over undifferentiated inputs, jacrev and vjp', () => {
  const r = tsgrad('run', 'fixtures/derivatives/grad-inside-loops.ts');
  printedChecks(r, printedValues(r.stdout), {
    differences: ['nestedInLoop', 'loopOverOtherInput', 'loopOverCaptured', 'descend.grad', 'descend.jacrev', 'descend.vjp'],
  });
});
