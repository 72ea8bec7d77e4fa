// Forward and reverse mode composed both ways. Forward over reverse
// (fixtures/language/forward-gradients.ts through `tsgrad run`): jvp and jacfwd of grad
// with weights (alone, with inputs, a subset in another order), of valueAndGrad, of grad
// and valueAndGrad with hasAux (aux values pass through with zero tangents, as MindSpore's
// stop_gradient makes them), through recursion and loops, and of second orders with
// weights at each level, against float64 central differences of the compiled gradient;
// jacfwd's shapes are output.shape ++ input.shape. Reverse over forward
// (fixtures/language/grad-of-jvp.ts): grad of functions that call jvp inside, against an
// analytic value and central differences.
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

const r = tsgrad('run', 'fixtures/language/forward-gradients.ts');
const found = printedValues(r.stdout);

const againstDifferences = [
  'jvp.weights', 'jacfwd.weights', 'jvp.inputsWeights', 'jacfwd.inputsWeights', 'jvp.valueAndGrad', 'jacfwd.valueAndGrad',
  'jvp.someWeights', 'jvp.aux', 'jacfwd.aux', 'jvp.valueAndGrad.aux', 'jvp.recursion', 'jvp.loop0', 'jvp.loop1', 'jvp.loop3',
  'jvp.second.weights', 'jvp.second.inputsWeights', 'jacfwd.second.inputsWeights',
];
const auxPassesThrough = ['jvp.aux.passes', 'jacfwd.aux.passes', 'jvp.valueAndGrad.aux.passes'];

describe('jvp and jacfwd of gradients with weights, valueAndGrad and hasAux', () => {
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of againstDifferences) {
    it(`${name} matches central differences of the gradient`, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-7);
    });
  }
  for (const name of auxPassesThrough) {
    it(`${name}: aux values unchanged, tangents zero`, () => {
      expect(found.get(name)).toBe(0);
    });
  }
});

describe('grad of functions that call jvp inside', () => {
  const run = tsgrad('run', 'fixtures/language/grad-of-jvp.ts');
  const errors = printedValues(run.stdout);
  it('runs', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
  it('slope.analytic matches 2cos(x²) - 4x²sin(x²)', () => {
    expect(errors.get('slope.analytic')!).toBeLessThan(1e-12);
  });
  for (const name of ['slope', 'curved', 'cell.input', 'cell.weights', 'curved.second']) {
    it(`${name} matches central differences`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-7);
    });
  }
});
