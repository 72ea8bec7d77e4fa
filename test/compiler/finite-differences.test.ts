// Compiled gradients against central finite differences in float64 (fixtures/fd).
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

describe('gradients vs finite differences', () => {
  const r = tsgrad('run', 'fixtures/fd/gradients.ts');
  const errors = printedValues(r.stdout);
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of ['chain.x', 'chain.y', 'branch.then', 'branch.else', 'mlp.x', 'mlp.scale', 'mlp.dense.weight', 'mlp.dense.bias', 'numbers.p', 'numbers.q']) {
    it(name, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-6);
    });
  }
});
