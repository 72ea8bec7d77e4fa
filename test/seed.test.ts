// The seed document's examples, through `tsgrad run`, print the seed's lines exactly.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tsgrad } from './helpers/cli.js';

const dir = path.join(repoRoot, 'fixtures/seed');
const seeds = readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f) && !f.endsWith('.grad.ts'));

describe('seed examples', () => {
  it('covers all eight examples of the seed document', () => {
    expect(seeds).toHaveLength(8);
  });
  for (const file of seeds) {
    it(file, () => {
      const r = tsgrad('run', path.join('fixtures/seed', file));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(readFileSync(path.join(dir, file.replace(/\.ts$/, '.out')), 'utf8'));
    });
  }
  it('prints the first-order numbers of the seed document', () => {
    const r = tsgrad('run', 'fixtures/seed/01-first-order-inputs.ts');
    expect(r.stdout.trim()).toBe(
      '(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))',
    );
  });
});
