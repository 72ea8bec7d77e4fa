// jvp, vjp, jacfwd, jacrev and hessian of closures called outside differentiated code
// (fixtures/derivatives/closures.ts through `tsgrad run`): the generated functions read the
// enclosing function's locals through `env`, which the artifact now takes from the call
// site as grad's does (before, every one of these threw 'mul: expected a Tensor or a
// number, got undefined', and `tsgrad build` rejected the wired call: TS2554). Against
// analytic derivatives, and a Cell's against float64 central differences.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printedValues, tsgrad } from '../helpers/cli.js';

const r = tsgrad('run', 'fixtures/derivatives/closures.ts');
const errors = printedValues(r.stdout);

const analytic = [
  'jvp.value', 'jvp.tangent', 'vjp.value', 'vjp.gradient', 'jacfwd', 'jacrev', 'hessian.vector',
  'jvp.local', 'hessian.local.xx', 'hessian.local.xy', 'jvp.let', 'jacrev.aux', 'jacrev.aux.value', 'hessian.aux.xy', 'hessian.aux.yy',
  'grad.jvp', 'grad.vjp', 'grad.jacfwd', 'grad.hessian',
];
const againstDifferences = ['jacrev.cell', 'jvp.cell', 'hessian.cell'];

describe('the derivative family of closures, called outside differentiated code', () => {
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of analytic) {
    it(`${name} matches the analytic derivative`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-12);
    });
  }
  for (const name of againstDifferences) {
    it(`${name} matches central differences`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-7);
    });
  }
  for (const name of ['jacfwd.shape', 'hessian.vector.shape']) {
    it(`${name} is output.shape ++ input.shape`, () => {
      expect(errors.get(name)).toBe(0);
    });
  }
  it('the wired call sites and the generated module type-check (tsgrad build), each artifact taking env', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'tsgrad-closures-'));
    const b = tsgrad('build', 'fixtures/derivatives/closures.ts', '--out-dir', out);
    expect(b.stdout + b.stderr).not.toContain('error');
    expect(b.status).toBe(0);
    const module = readdirSync(out, { recursive: true }).map(String).find((f) => f.endsWith('closures.grad.ts'));
    const text = readFileSync(path.join(out, module!), 'utf8');
    expect(text).toContain('export function f_jvp_artifact(env: () => { w: Tensor }): DerivativeArtifact {');
    expect(text).toContain('fn: (...args: any[]) => (f_hessian_0 as any)(env(), ...args),');
    expect(text).toContain('sens: (...args: any[]) => (f_hessian_0_sens as any)(env(), ...args),');
  });
});
