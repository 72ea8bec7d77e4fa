// Number tapes reused across calls (runtime/tapes.ts): fixtures/language/tapes.ts calls
// loop gradients with long, short and empty inputs in turn, with branches that tape in
// some iterations only and nested loops, and prints each one's error against central
// differences.
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

describe('reused loop tapes', () => {
  const r = tsgrad('run', 'fixtures/language/tapes.ts');
  const found = printedValues(r.stdout);
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of ['rosenbrock', 'branchy', 'nested']) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-6);
    });
  }
});
