// One generated function per derivative: call sites that need the same derivative of the
// same target share it. grad and valueAndGrad call sites with one target and one request
// share function and artifact (the weights a call site picks are chosen at run time:
// compiler/pipeline.ts); jvp, jacfwd and hessian (forward over the gradient) are shared by
// target and positions, vjp and jacrev by target, positions and output, each call site
// keeping its own artifact (compiler/derivatives.ts). Their values are checked
// against central differences by fixtures/language/forward-gradients.ts, whose jacfwd
// calls run the function its jvp generated and whose weight subset runs the gradient of
// every weight.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, createProject } from '../../compiler/index.js';
import { repoRoot } from '../helpers/cli.js';

const source = `import { Parameter, Tensor, grad, hessian, jacfwd, jacrev, jvp, nn, ops, valueAndGrad, vjp } from 'tsgrad';
function f(x: Tensor, y: Tensor): Tensor {
  return ops.sum(ops.mul(ops.sin(x), y));
}
function unused(x: Tensor, y: Tensor): Tensor {
  return ops.sum(ops.sin(x));
}
class Net extends nn.Cell {
  a = new Parameter(new Tensor([2]), 'a');
  b = new Parameter(new Tensor([3]), 'b');
  construct(x: Tensor): Tensor {
    return ops.sum(ops.mul(ops.mul(x, this.a), this.b));
  }
}
const net = new Net();
const other = new Net();
const g = grad(f, { gradPosition: [0, 1] });
const x = new Tensor([1, 2]);
const y = new Tensor([3, 4]);
export const both = jvp(g, [x, y], [x, y]);
export const bothAgain = jacfwd(g, { gradPosition: [0, 1] })(x, y);
export const first = jacfwd(g)(x, y);
export const firstAgain = jacfwd(g, { gradPosition: 0 })(x, y);
export const second = jacfwd(g, { gradPosition: 1 })(x, y);
export const dx = grad(f)(x, y);
export const dxAgain = grad(f, { gradPosition: 0 })(x, y);
export const valueAndDx = valueAndGrad(f)(x, y);
export const da = grad(net, { gradPosition: null, weights: [net.a] })(x);
export const dba = grad(other, { gradPosition: null, weights: [other.b, other.a] })(x);
export const dUnused = grad(unused, { gradPosition: [0, 1] })(x, y);
export const dUnusedAgain = grad(unused, { gradPosition: [0, 1] })(x, y);
export const hess = hessian(f)(x, y);
export const jacOfGrad = jacfwd(grad(f))(x, y);
export const back = vjp(f, x, y);
export const jac = jacrev(f, { gradPosition: [0, 1] })(x, y);
`;

const file = path.join(repoRoot, '.tsgrad', 'sharing', 'shared.ts');

function compile(): ReturnType<Compiler['compileProgram']> {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, source);
  const compiled = new Compiler(createProject([file])).compileProgram();
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled;
}

/** The text of `export function <name>_artifact() …` up to its closing brace. */
function artifact(text: string, name: string): string {
  const start = text.indexOf(`export function ${name}_artifact(`);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('call sites that need the same derivative share one generated function', () => {
  const compiled = compile();
  const [text] = compiled.modules.values();
  const functions = [...text.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]).filter((n) => !n.endsWith('_artifact'));

  it('jvp and jacfwd over the same positions of one gradient function: one forward function each', () => {
    expect(functions.filter((n) => /^f_grad_0_1_(jvp|jacfwd)/.test(n))).toEqual(['f_grad_0_1_jvp', 'f_grad_0_1_jacfwd_0', 'f_grad_0_1_jacfwd_1']);
  });

  it('each call site keeps its own artifact, which calls the shared function', () => {
    const cases: [string, string, string, string][] = [
      ['f_grad_0_1_jvp', 'jvp', 'null', 'f_grad_0_1_jvp'],
      ['f_grad_0_1_jacfwd_0_1', 'jacfwd', '[0,1]', 'f_grad_0_1_jvp'],
      ['f_grad_0_1_jacfwd_0', 'jacfwd', '0', 'f_grad_0_1_jacfwd_0'],
      ['f_grad_0_1_jacfwd_0_2', 'jacfwd', '0', 'f_grad_0_1_jacfwd_0'],
      ['f_grad_0_1_jacfwd_1', 'jacfwd', '1', 'f_grad_0_1_jacfwd_1'],
    ];
    for (const [name, api, gradPosition, fn] of cases) {
      const a = artifact(text, name);
      expect(a).toContain(`api: "${api}",`);
      expect(a).toContain(`gradPosition: ${gradPosition},`);
      expect(a).toContain(`fn: ${fn},`);
    }
  });

  it('hessian(f) and jacfwd(grad(f)) share forward over the gradient; vjp(f, x, y) and jacrev over both inputs share reverse mode', () => {
    expect(functions.filter((n) => /^f_(hessian|grad_0_jacfwd|vjp|jacrev)/.test(n))).toEqual(['f_hessian_0', 'f_vjp']);
    const cases: [string, string, string][] = [
      ['f_hessian_0', 'hessian', 'f_hessian_0'],
      ['f_grad_0_jacfwd_0', 'jacfwd', 'f_hessian_0'],
      ['f_vjp', 'vjp', 'f_vjp'],
      ['f_jacrev_0_1', 'jacrev', 'f_vjp'],
    ];
    for (const [name, api, fn] of cases) {
      const a = artifact(text, name);
      expect(a).toContain(`api: "${api}",`);
      expect(a).toContain(`fn: ${fn},`);
    }
    // Each keeps what its call site passes: hessian takes f's inputs, jacfwd the gradient function.
    expect(artifact(text, 'f_hessian_0')).toContain('self: "none",');
    expect(artifact(text, 'f_grad_0_jacfwd_0')).toContain('inner: "f",');
  });

  it('the banner says which function serves a shared call site', () => {
    expect(text).toContain('//   f_grad_0_1_jacfwd_0_1: jacfwd (gradPosition [0,1]) of f_grad_0_1, by f_grad_0_1_jvp');
  });

  it('grad call sites with one target and one request: one function and one artifact, wired at each call site', () => {
    expect(functions.filter((n) => /^(f_grad_0|f_valueAndGrad_0|Net_construct_grad_w|unused_grad_0_1)(_\d+)?$/.test(n))).toEqual([
      'f_grad_0_1', 'f_grad_0', 'f_valueAndGrad_0', 'Net_construct_grad_w', 'unused_grad_0_1',
    ]);
    const wired = compiled.edits.get(file)!.map((e) => e.text);
    // grad(f) twice, and once more inside jacfwd(grad(f)).
    for (const [name, sites] of [['f_grad_0', 3], ['Net_construct_grad_w', 2], ['unused_grad_0_1', 2]] as const) {
      expect(wired.filter((t) => t.includes(`__tsgrad.${name}_artifact()`))).toHaveLength(sites);
    }
  });

  it('each call site of a shared gradient still gets its own warning', () => {
    const lines = compiled.diagnostics.filter((d) => d.code === 'TSG4001').map((d) => d.line);
    const at = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(lines).toEqual([at('export const dUnused ='), at('export const dUnusedAgain =')]);
  });

  it('compiles to the same bytes again', () => {
    expect([...compile().modules.values()][0]).toBe(text);
  });
});
