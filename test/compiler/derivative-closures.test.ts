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
import { printedChecks } from '../helpers/printed-checks.js';

const r = tsgrad('run', 'fixtures/derivatives/closures.ts');
const errors = printedValues(r.stdout);

const analytic = [
  'jvp.value', 'jvp.tangent', 'vjp.value', 'vjp.gradient', 'jacfwd', 'jacrev', 'hessian.vector',
  'jvp.local', 'hessian.local.xx', 'hessian.local.xy', 'jvp.let', 'jacrev.aux', 'jacrev.aux.value', 'hessian.aux.xy', 'hessian.aux.yy',
  'grad.jvp', 'grad.vjp', 'grad.jacfwd', 'grad.hessian',
];
const againstDifferences = ['jacrev.cell', 'jvp.cell', 'hessian.cell'];

describe('the derivative family of closures, called outside differentiated code', () => {
  printedChecks(r, errors, { analytic, differences: againstDifferences, shapes: ['jacfwd.shape', 'hessian.vector.shape'] });
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

describe('a captured local the call site cannot pass by its name is an error, never a wrong value', () => {
  // The call site passes captured locals by name (() => ({ w })); where another w hides the
  // captured one, each of these read the inner w in silence (grad gave 100 for 2 and 3).
  const c = tsgrad('check', 'fixtures/errors/captured-hidden.ts');
  const errors = c.stdout.split('\n').filter((l) => l.includes(' - error '));
  it('exits 1', () => expect(c.status).toBe(1));
  const hidden = 'error TSG2008: at this call the captured local is hidden by another of the same name: the code reads the w declared at captured-hidden.ts:5:35, here the call sees the w declared at captured-hidden.ts:9:11';
  // grad(f), jvp(g), vjp(g), jacrev(g), hessian(grad(f)) and its grad(f), hessian(g): each at its call.
  for (const column of [13, 25, 43, 54, 68, 76, 89]) {
    it(`TSG2008 at 10:${column}`, () => {
      expect(errors.some((l) => l.endsWith(`captured-hidden.ts:10:${column} - ${hidden}`))).toBe(true);
    });
  }
  it('and nothing else: the same closures called where w is theirs compile', () => {
    expect(errors).toHaveLength(7);
    expect(c.stdout).toContain('captured-hidden.ts:17:25 - ok hessian of f');
  });
  it('two different locals of one name read by the differentiated code are TSG2007', () => {
    const d = tsgrad('check', 'fixtures/errors/codes/TSG2007.ts');
    expect(d.stdout).toContain(
      'TSG2007.ts:4:74 - error TSG2007: the differentiated code reads two different locals of enclosing functions by one name: w declared at TSG2007.ts:4:18 and at TSG2007.ts:2:23',
    );
  });
});
