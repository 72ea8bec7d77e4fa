// The language users write (fixtures/language): each form's gradient against central
// finite differences in float64, loops run 0, 1 and many times.
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

function errors(file: string): Map<string, number> {
  const r = tsgrad('run', file);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return new Map(r.stdout.trim().split('\n').map((line) => line.split(' ')).map(([name, err]) => [name, Number(err)] as const));
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
    expect(r.stdout).toBe('bprop 6,21\nbprop2 10,10\ncustomVjp 1.755165,-0.832294\n');
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
