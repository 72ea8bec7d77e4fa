// Forward mode over every kind of gradient function (fixtures/language/forward-gradients.ts
// through `tsgrad run`): jvp and jacfwd of grad with weights (alone, with inputs, a subset
// in another order), of valueAndGrad, of grad and valueAndGrad with hasAux (aux values pass
// through with zero tangents, as MindSpore's stop_gradient makes them), through recursion
// and loops, and of second orders with weights at each level. Each against float64 central
// differences of the compiled gradient; jacfwd's shapes are output.shape ++ input.shape.
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

const r = tsgrad('run', 'fixtures/language/forward-gradients.ts');
const found = new Map(
  r.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([name, err]) => [name, Number(err)] as const),
);

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
