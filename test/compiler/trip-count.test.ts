// Closed-form trip counts (compiler/3-differentiate/trip-count.ts). The formula is checked
// against the loop it replaces, run for real, for every comparison, start, step and a
// set of awkward bounds (non-integers, negatives, ±0, NaN, values next to an integer);
// fixtures/language/trip-count.ts checks gradients through such loops against central
// differences, and its generated module (trip-count.grad.ts, golden) shows which loops
// were counted and which were not.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Comparison, countTemplate, spanTemplate } from '../../compiler/3-differentiate/trip-count.js';
import { printedValues, repoRoot, tsgrad } from '../helpers/cli.js';

/** How many times `for (let i = init; i op bound; i += step)` runs (at most 10⁴). */
function counted(op: Comparison, init: number, step: number, bound: number): number {
  const test = { '<': (i: number) => i < bound, '<=': (i: number) => i <= bound, '>': (i: number) => i > bound, '>=': (i: number) => i >= bound }[op];
  let n = 0;
  for (let i = init; test(i) && n < 1e4; i += step) n++;
  return n;
}

/** The closed form, as the generated code computes it. */
function closed(op: Comparison, init: number, step: number, bound: number): number {
  const code = `const span = ${spanTemplate(op, init).replaceAll('$0', 'bound')}; return ${countTemplate(Math.abs(step)).replaceAll('$0', 'span')};`;
  return new Function('bound', code)(bound) as number;
}

describe('closed-form trip counts', () => {
  const bounds = [-7.5, -3, -2.5, -1, -0.5, -0, 0, 1e-20, -1e-20, 0.5, 1, 2.999, 3, 3.000001, 3.5, 7, 10.25, 41, NaN];
  for (const op of ['<', '<=', '>', '>='] as const) {
    it(`equals the loop's own count for i ${op} bound`, () => {
      for (let init = -4; init <= 4; init++) {
        for (const size of [1, 2, 3, 7]) {
          const step = op === '<' || op === '<=' ? size : -size;
          for (const b of bounds) {
            // A mismatch names the case.
            expect([op, init, step, b, closed(op, init, step, b)]).toEqual([op, init, step, b, counted(op, init, step, b)]);
          }
        }
      }
    });
  }

  describe('gradients through such loops (fixtures/language/trip-count.ts)', () => {
    const r = tsgrad('run', 'fixtures/language/trip-count.ts');
    const found = printedValues(r.stdout);
    it('runs', () => {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
    const withBound = ['below', 'upTo', 'downTo', 'downFrom', 'shrinking', 'breaking', 'away', 'atLeastOnce'];
    const names = [
      ...withBound.flatMap((f) => ['0', '1', '2.5', '3', '-2', '-1.5', '6.5', 'NaN'].map((b) => `${f}(${b})`)),
      ...['lengthBound', 'lengthBound(short)', 'triangle', 'prefixes'],
      ...['0', '1', '7.5'].flatMap((n) => [`series.first(${n})`, `series.second(${n})`, `seriesPair.first(${n})`, `seriesPair.second(${n})`]),
    ];
    for (const name of names) {
      it(name, () => {
        expect(found.has(name)).toBe(true);
        expect(found.get(name)!).toBeLessThan(1e-6);
      });
    }
  });

  describe('which loops are counted (the golden trip-count.grad.ts)', () => {
    const module = readFileSync(path.join(repoRoot, 'fixtures/language/trip-count.grad.ts'), 'utf8');
    const body = (name: string, suffix = '_grad_0') => {
      const start = module.indexOf(`export function ${name}${suffix}(`);
      return module.slice(start, module.indexOf('\n}\n', start));
    };
    for (const name of ['below', 'upTo', 'downTo', 'downFrom', 'lengthBound']) {
      it(`${name}: the trip count in closed form, no counting loop, no forward loop`, () => {
        expect(body(name)).toContain('// trip count of: for');
        expect(body(name)).not.toContain('loop_n');
        expect(body(name).match(/while \(true\)/g)).toHaveLength(1);
      });
    }
    it('seriesPair: the trip count in closed form; the forward loop stays, for the sum the gradient reads', () => {
      expect(body('seriesPair', '_grad_0_1')).toContain('// trip count of: for');
      expect(body('seriesPair', '_grad_0_1')).not.toContain('loop_n');
      expect(body('seriesPair', '_grad_0_1').match(/while \(true\)/g)).toHaveLength(2);
    });
    it('series (one number input): forward mode, one loop, no trip count and no tape', () => {
      expect(body('series')).not.toContain('trip count of');
      expect(body('series')).not.toContain('Tape');
      expect(body('series').match(/while \(true\)/g)).toHaveLength(1);
    });
    for (const name of ['shrinking', 'breaking', 'away', 'atLeastOnce', 'triangle']) {
      it(`${name}: counted`, () => {
        expect(body(name)).not.toContain('trip count of');
        expect(body(name)).toContain('loop_n = loop_next');
      });
    }
    it('prefixes: the outer loop counted (it tapes the inner count), the inner one in closed form', () => {
      expect(body('prefixes')).toContain('// trip count of: for (let j = 0; j < i; j++)');
      expect(body('prefixes')).toContain('loop_n = loop_next');
      expect(body('prefixes')).not.toContain('loop_1_n');
    });
  });
});
