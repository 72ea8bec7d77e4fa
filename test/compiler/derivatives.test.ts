// The derivative family end to end (fixtures/derivatives/closed-forms.ts through `tsgrad run`):
// orders 2-4 of closed forms vs analytic values, mixed partials, jvp of grad, and
// jacfwd/jacrev/hessian/vjp of a tanh MLP vs float64 central differences; hessian of
// outputs of several elements (fixtures/derivatives/hessian-outputs.ts) and what it generates.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, createProject } from '../../compiler/index.js';
import { printedValues, repoRoot, tsgrad } from '../helpers/cli.js';
import { printedChecks } from '../helpers/printed-checks.js';

const r = tsgrad('run', 'fixtures/derivatives/closed-forms.ts');
const errors = printedValues(r.stdout);

const analytic = ['sin', 'exp', 'tanh', 'poly', 'log'].flatMap((f) => [2, 3, 4].map((n) => `${f}.${n}`));
const exact = [...analytic, 'mixed.ab', 'mixed.ba', 'jvpOfGrad.value', 'jvpOfGrad.tangent', 'jacrev.auxValue', 'vjp.value'];
const againstDifferences = ['jacfwd.mlp', 'jacrev.mlp', 'hessian.mlp', 'hessian.xy', 'hessian.yy', 'jacrev.aux', 'vjp.mlp'];
const shapes = ['jacfwd.shape', 'jacrev.shape', 'hessian.shape'];

describe('jvp, vjp, jacfwd, jacrev, hessian and higher orders', () => {
  printedChecks(r, errors, { analytic: exact, differences: againstDifferences, shapes });
});

// hessian of outputs of several elements (fixtures/derivatives/hessian-outputs.ts), as
// JAX's jacfwd(jacrev(f)): vector and matrix outputs, matrix inputs, nn.Cells, two inputs
// of different sizes ([0, 1] blocks), hasAux, loops, recursion, gradient functions and
// several outputs (a Hessian per output Tensor, as for a pytree), also with hasAux (a first
// output of several Tensors; a gradient function's [[g_x, g_v], [aux]] with hasAux again),
// against analytic second derivatives, central differences of the compiled Jacobian and
// second central differences of the function itself.
const outputs = tsgrad('run', 'fixtures/derivatives/hessian-outputs.ts');
const hessians = printedValues(outputs.stdout);
const analyticHessians = ['vector', 'xy', 'xy.second', 'matrix', 'aux', 'grad', 'pair', 'one', 'aux.tree', 'grad.aux', 'grad.aux.xy']
  .map((n) => `${n}.analytic`)
  .concat(['aux.value', 'grad.loop.vjp.value', 'aux.tree.value', 'grad.aux.value']);
const differenced = ['vector', 'xy', 'matrix', 'matmul', 'cell', 'cell.batch', 'cell.xy', 'loop', 'recursion', 'grad', 'grad.xy', 'grad.loop', 'tree', 'aux.tree', 'grad.aux', 'grad.aux.xy'];
// Reverse mode over a gradient through a loop, against differences of the compiled gradient.
const overLoopGradient = ['grad.loop.jacrev', 'grad.loop.vjp'];
const hessianShapes = ['vector', 'xy', 'xy.second', 'matrix', 'matmul', 'cell', 'cell.batch', 'cell.xy', 'aux', 'loop', 'recursion', 'grad', 'grad.xy', 'grad.loop', 'grad.loop.jacrev', 'pair', 'tree', 'one', 'aux.tree', 'grad.aux', 'grad.aux.xy'];

describe('hessian of any output: output.shape ++ input_i.shape ++ input_j.shape', () => {
  it('runs', () => {
    expect(outputs.stderr).toBe('');
    expect(outputs.status).toBe(0);
  });
  for (const name of analyticHessians) {
    it(`${name} matches the analytic derivatives`, () => {
      expect(hessians.has(name)).toBe(true);
      expect(hessians.get(name)!).toBeLessThan(1e-12);
    });
  }
  for (const name of differenced) {
    it(`${name} matches central differences of the compiled Jacobian and second differences of the function`, () => {
      expect(hessians.has(name) && hessians.has(`${name}.fd2`)).toBe(true);
      expect(hessians.get(name)!).toBeLessThan(1e-7);
      // Second differences with h = 1e-4: truncation and rounding near 1e-6 for the loop's gradient.
      expect(hessians.get(`${name}.fd2`)!).toBeLessThan(1e-5);
    });
  }
  for (const name of overLoopGradient) {
    it(`${name}: reverse mode over a gradient through a loop matches central differences of the gradient`, () => {
      expect(hessians.has(name)).toBe(true);
      expect(hessians.get(name)!).toBeLessThan(1e-7);
    });
  }
  for (const name of hessianShapes) {
    it(`${name}.shape is output ++ input ++ input, a block per pair of positions`, () => {
      expect(hessians.get(`${name}.shape`)).toBe(0);
    });
  }
  it('an output not made of Tensors, and bad inputs, say what was expected and what came', () => {
    expect(outputs.stdout.split('\n').filter((l) => l.startsWith('error '))).toEqual([
      'error number: hessian(withNumber): expected Tensor outputs, got number 2; hessian works on tensor functions',
      'error input: cubicMix: input 0 (x) must be a Tensor, got number 3',
      'error count: cubicMix: expected 3 input(s) (x, w, b), got 2',
    ]);
  });
});

// What hessian generates: forward over the gradient (for a one-element output) and, unless
// the output is 0-d by construction, forward over the vjp (`_sens`, for several elements),
// one per target, positions and hasAux.
const sensSource = `import { Tensor, hessian, ops } from 'tsgrad';
function loss(x: Tensor): Tensor { return ops.sum(ops.sin(x)); }
function mixed(x: Tensor): Tensor { return ops.add(ops.sum(ops.mul(x, x)), ops.mul(ops.mean(x), 2)); }
function perColumn(x: Tensor): Tensor { return ops.sum(ops.mul(x, x), 0); }
function vector(x: Tensor, y: Tensor): Tensor { return ops.mul(ops.sin(x), ops.sum(y)); }
function kept(x: Tensor): Tensor { return ops.sum(x, undefined, true); }
function looped(x: Tensor): Tensor { let s = ops.sum(x); for (let i = 0; i < 2; i++) s = ops.mul(s, s); return s; }
const x = new Tensor([1, 2]);
export const a = hessian(loss)(x);
export const b = hessian(mixed)(x);
export const c = hessian(perColumn)(x);
export const d = hessian(vector)(x, x);
export const e = hessian(vector, { gradPosition: [0, 1] })(x, x);
export const f = hessian(vector, { gradPosition: 0 })(x, x);
export const g = hessian(kept)(x);
export const h = hessian(looped)(x);
`;

describe('hessian generates forward over the vjp only when the output may have several elements', () => {
  const file = path.join(repoRoot, '.tsgrad', 'hessian-sens', 'sens.ts');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, sensSource);
  const compiled = new Compiler(createProject([file])).compileProgram();
  const [text] = compiled.modules.values();
  const functions = [...text.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]).filter((n) => !n.endsWith('_artifact'));
  const artifactOf = (name: string) => text.slice(text.indexOf(`export function ${name}_artifact(`), text.indexOf('\n}\n', text.indexOf(`export function ${name}_artifact(`)));

  it('compiles', () => {
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
  it('a 0-d output (a full reduction, or arithmetic of them) gets none; a reduction over one axis and a vector output get one, shared by position', () => {
    // keepDims keeps a [1] shape, and a loop-carried value is not seen through: both get one (a yes is always right).
    expect(functions).toEqual([
      'loss_hessian_0', 'mixed_hessian_0', 'perColumn_hessian_0', 'perColumn_hessian_0_sens', 'vector_hessian_0', 'vector_hessian_0_sens', 'vector_hessian_0_1', 'vector_hessian_0_1_sens',
      'kept_hessian_0', 'kept_hessian_0_sens', 'looped_hessian_0', 'looped_hessian_0_sens',
    ]);
    expect(artifactOf('loss_hessian_0')).not.toContain('sens:');
    expect(artifactOf('mixed_hessian_0')).not.toContain('sens:');
    expect(artifactOf('perColumn_hessian_0')).toContain('sens: perColumn_hessian_0_sens,');
    expect(artifactOf('vector_hessian_0_2')).toContain('fn: vector_hessian_0,');
    expect(artifactOf('vector_hessian_0_2')).toContain('sens: vector_hessian_0_sens,');
  });
  it('the function for several elements takes the cotangent after the inputs, then the tangents', () => {
    expect(text).toContain('export function vector_hessian_0_1_sens(x: Tensor, y: Tensor, sens: Tensor, d_x');
  });
});

describe("hessian's function for several elements types a cotangent of several outputs as the vjp does", () => {
  // It took `sens: any`: the vjp read back declares `sens: [Tensor, Tensor]`, which the lowerer reads as opaque.
  const out = mkdtempSync(path.join(os.tmpdir(), 'tsgrad-sens-'));
  const b = tsgrad('build', 'fixtures/derivatives/hessian-outputs.ts', '--out-dir', out);
  const module = readdirSync(out, { recursive: true }).map(String).find((f) => f.endsWith('hessian-outputs.grad.ts'));
  const text = module ? readFileSync(path.join(out, module), 'utf8') : '';
  const signatures = [...text.matchAll(/^export function \w+_sens\(.*$/gm)].map((m) => m[0]);
  it('the module type-checks (tsgrad build)', () => {
    expect(b.stdout + b.stderr).not.toContain('error');
    expect(b.status).toBe(0);
  });
  it('no cotangent is any: a pair, a gradient function with weights, nested hasAux outputs', () => {
    expect(signatures.length).toBeGreaterThan(10);
    expect(signatures.filter((s) => s.includes(': any'))).toEqual([]);
    expect(text).toContain('export function pair_hessian_0_sens(x: Tensor, sens: [Tensor, Tensor], d_x_1: Tensor)');
    expect(text).toContain('export function Squashed_construct_grad_0_w_hessian_0_sens(self: Squashed, x: Tensor, sens: [Tensor, Tensor, Tensor], d_x_1: Tensor)');
    expect(text).toContain('export function nestedWithAux_hessian_0_aux_sens(x: Tensor, sens: [[Tensor, Tensor], Tensor], d_x_1: Tensor)');
  });
});
