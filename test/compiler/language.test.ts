// The language users write (fixtures/language): each form's gradient against central
// finite differences in float64, loops run 0, 1 and many times.
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

function errors(file: string): Map<string, number> {
  const r = tsgrad('run', file);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return printedValues(r.stdout);
}

describe('loops', () => {
  const found = errors('fixtures/language/loops.ts');
  for (const name of ['power', 'power0', 'untilLarge', 'skipping', 'nested']) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('higher orders through loops (tapes read back)', () => {
  const found = errors('fixtures/language/loops-higher.ts');
  for (const name of ['power0', 'power1', 'power3', 'untilLarge', 'breaking', 'nested', 'power3.third']) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('forward mode over gradients through loops (tangent tapes)', () => {
  // hessian, jacfwd and jvp of grad(f) with for, while, break, nested and number loops run
  // 0, 1 and many times, against float64 central differences of the compiled first-order
  // gradient (power's Hessian against n(n-1)xⁿ⁻²), and a third order (jvp of grad(grad(f))).
  const found = errors('fixtures/language/loops-forward.ts');
  const names = [
    'hessian.power0', 'hessian.power1', 'hessian.power3', 'hessian.untilLarge', 'hessian.breaking', 'hessian.nested', 'hessian.coupled0', 'hessian.coupled3',
    'jacfwd.coupled3', 'jvp.power3', 'jvp.power0', 'jvp.untilLarge', 'jvp.breaking', 'jvp.nested', 'jvp.coupled3', 'jvp.numbers0', 'jvp.numbers4', 'jvp.third',
  ];
  for (const name of names) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('calls, closures and values', () => {
  const found = errors('fixtures/language/calls.ts');
  for (const name of ['closure', 'block', 'block.else', 'numbers']) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('values built in differentiated code', () => {
  const found = errors('fixtures/language/values.ts');
  it('arrays grown with push, stack/concat, object literals and destructuring', () => {
    expect(found.get('collected')!).toBeLessThan(1e-6);
  });
});

describe('custom rules', () => {
  it("uses a Cell's bprop and customVjp instead of the body, also under a second derivative", () => {
    const r = tsgrad('run', 'fixtures/language/custom.ts');
    expect(r.stderr).toBe('');
    // bprop says d/dx x³ = 10·x (not 3x²): with x = [0.5, 2] and the +x term, 6 and 21.
    expect(r.stdout).toContain('bprop 6,21\nbprop2 10,10\ncustomVjp 1.755165,-0.832294\n');
  });

  it("takes the gradients a Cell's bprop returns for its own Parameters (checked against finite differences)", () => {
    const r = tsgrad('run', 'fixtures/language/custom.ts');
    expect(r.stderr).toBe('');
    // v is Outer's own weight; w and b come only from Scale.bprop, after the input's gradient.
    expect(r.stdout.split('\n')).toContain('bpropWeights v,w,b ok');
  });
});

describe('number[] inputs', () => {
  const found = errors('fixtures/language/numbers.ts');
  for (const name of ['rosenbrock', 'rosenbrock.empty', 'softNorm', 'softNorm.p']) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('recursion with a depth known only at run time', () => {
  const found = errors('fixtures/language/recursion.ts');
  const names = ['pow.0', 'pow.1', 'pow.5', 'pow.1000', 'series.0', 'series.1', 'series.6', 'shrink', 'shrink.small', 'branch', 'mutual', 'data', 'jacrev', 'vjp', 'jvp.constant', 'method', 'method.x', 'method.w'];
  for (const name of names) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }

  it('keeps one tape per call, so memory follows the depth reached', () => {
    const r = tsgrad('emit', 'fixtures/language/recursion.ts', '--function', 'shrink');
    expect(r.status).toBe(0);
    // The pair calls itself: the forward returns [output, tape], the backward reads the tape.
    expect(r.stdout).toContain('function shrink_grad_0_shrink_forward_0(x: Tensor): [Tensor, [');
    expect(r.stdout).toContain('const inner_forward: [Tensor, any] = shrink_grad_0_shrink_forward_0(x_1);');
    expect(r.stdout).toContain('const inner_backward: [Tensor] = shrink_grad_0_shrink_backward_0(inner_tape, t16);');
  });

  it('what it cannot differentiate is a coded error at the user\'s line, never a wrong gradient', () => {
    const r = tsgrad('check', 'fixtures/errors/recursion.ts');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => / - error TSG\d{4}/.test(l)).map((l) => l.replace(/^.*?fixtures\/errors\//, ''));
    expect(lines).toEqual([
      'recursion.ts:7:20 - error TSG1007: this recursion cannot be differentiated: f calls itself and reads k of an enclosing function; pass it as a parameter',
      'recursion.ts:15:18 - error TSG1007: this recursion cannot be differentiated: pair calls itself and returns something other than a Tensor or a number',
      'recursion.ts:21:53 - error TSG1007: this recursion cannot be differentiated: a number[] differentiated through a recursive call',
      'recursion.ts:28:42 - error TSG1007: this recursion cannot be differentiated: level calls itself on another object (self.child, inside self)',
    ]);
  });
});

describe('higher orders with weights through recursion', () => {
  // A recursive Cell method with a loop in each level (second orders, with and without
  // weights at each level), one without a loop (weights at all three orders) and a plain
  // recursive helper construct hands its Parameters to (second and third orders), against
  // float64 central differences of the compiled order below, depths 0 to 4.
  const found = errors('fixtures/language/recursion-weights.ts');
  const names = [
    'method.second.0', 'method.second.1', 'method.second.3', 'method.secondW.0', 'method.secondW.1', 'method.secondW.3',
    'method.weightsOnly.0', 'method.weightsOnly.1', 'method.weightsOnly.3', 'method.thirdW.0', 'method.thirdW.3',
    'helper.secondW.0', 'helper.secondW.4', 'helper.third.0', 'helper.third.4', 'names.secondW',
  ];
  for (const name of names) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});

describe('higher orders and forward mode through recursion', () => {
  // Second and third derivatives of pow against n(n-1)x^(n-2) and n(n-1)(n-2)x^(n-3); the
  // tensor series' second order, jvp and Hessian against their closed forms; the mutual
  // recursion's mixed partials, a depth from t.item() and a recursive Cell method against
  // central differences of the first-order gradient.
  const found = errors('fixtures/language/recursion-orders.ts');
  const names = ['pow2.0', 'pow2.1', 'pow2.2', 'pow2.5', 'pow3.0', 'pow3.1', 'pow3.2', 'pow3.5', 'series2.0', 'series2.1', 'series2.4', 'mutual2', 'jvp', 'hessian', 'shrink2', 'method2'];
  for (const name of names) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});
