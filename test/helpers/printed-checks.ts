// The checks of a fixture run by `tsgrad run` that prints one `name error` line per value
// (printedValues): it ran cleanly, each analytic value is within 1e-12 of its closed form,
// each value checked against float64 central differences within 1e-7, and each shape
// check printed 0. Called inside a `describe`; the derivative-family tests share it.
import { expect, it } from 'vitest';

export interface PrintedGroups {
  /** Compared with analytic derivatives (exact to rounding). */
  readonly analytic?: readonly string[];
  /** Compared with float64 central differences. */
  readonly differences?: readonly string[];
  /** Shapes that must be output.shape ++ input.shape (0 when they are). */
  readonly shapes?: readonly string[];
}

export function printedChecks(run: { status: number; stderr: string }, found: ReadonlyMap<string, number>, groups: PrintedGroups): void {
  it('runs', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
  for (const name of groups.analytic ?? []) {
    it(`${name} matches the analytic derivative`, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-12);
    });
  }
  for (const name of groups.differences ?? []) {
    it(`${name} matches central differences`, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(1e-7);
    });
  }
  for (const name of groups.shapes ?? []) {
    it(`${name} is output.shape ++ input.shape`, () => {
      expect(found.get(name)).toBe(0);
    });
  }
}
