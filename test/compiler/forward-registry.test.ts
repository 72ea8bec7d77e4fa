// Registry-driven forward mode and second order: for every differentiable primitive and
// every case of its domain, the compiled `jvp` and grad of the generated gradient against
// float64 central differences, through the built CLI (`tsgrad run`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tsgrad } from '../helpers/cli.js';
import { differentiableSpecs, registryProgram, registrySupport, secondOrder } from '../helpers/registryProgram.js';

const dir = path.join(repoRoot, '.tsgrad/tests/registry');
mkdirSync(dir, { recursive: true });
const { source, labels } = registryProgram();
writeFileSync(path.join(dir, 'registry-support.ts'), registrySupport);
writeFileSync(path.join(dir, 'registry.ts'), source);
const r = tsgrad('run', path.join(dir, 'registry.ts'));
const errors = new Map<string, number>();
for (const line of r.stdout.trim().split('\n')) {
  const [label, kind, err] = line.split(' ');
  errors.set(`${label} ${kind}`, Number(err));
}

describe('compiled forward mode and second order, every registry primitive', () => {
  it('covers every differentiable primitive with a domain', () => {
    expect(differentiableSpecs.length).toBeGreaterThan(40);
    expect(new Set(labels.map((l) => l.split('#')[0])).size).toBe(differentiableSpecs.length);
  });
  it('compiles and runs', () => {
    // Warnings (TSG4001) are expected for inputs read only for their shapes.
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
  });
  const byName = new Map(differentiableSpecs.map((s) => [s.name, s]));
  for (const label of labels) {
    it(`${label}: jvp vs central differences`, () => {
      expect(errors.has(`${label} jvp`)).toBe(true);
      expect(errors.get(`${label} jvp`)!).toBeLessThan(1e-6);
    });
    if (!secondOrder(byName.get(label.split('#')[0])!)) continue;
    it(`${label}: grad of the generated gradient vs central differences`, () => {
      expect(errors.has(`${label} hvp`)).toBe(true);
      expect(errors.get(`${label} hvp`)!).toBeLessThan(1e-5);
    });
  }
});
