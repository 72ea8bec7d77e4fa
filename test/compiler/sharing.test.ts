// One generated function per derivative: call sites that need the same derivative of the
// same target share it, each keeping its own artifact (its api and options). jvp and
// jacfwd are shared by target and positions (compiler/derivatives.ts). Their values are
// checked against central differences by fixtures/language/forward-gradients.ts, whose
// jacfwd calls run the function its jvp generated.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, createProject } from '../../compiler/index.js';
import { repoRoot } from '../helpers/cli.js';

const source = `import { Tensor, grad, jacfwd, jvp, ops } from 'tsgrad';
function f(x: Tensor, y: Tensor): Tensor {
  return ops.sum(ops.mul(ops.sin(x), y));
}
const g = grad(f, { gradPosition: [0, 1] });
const x = new Tensor([1, 2]);
const y = new Tensor([3, 4]);
export const both = jvp(g, [x, y], [x, y]);
export const bothAgain = jacfwd(g, { gradPosition: [0, 1] })(x, y);
export const first = jacfwd(g)(x, y);
export const firstAgain = jacfwd(g, { gradPosition: 0 })(x, y);
export const second = jacfwd(g, { gradPosition: 1 })(x, y);
`;

function compile(): string {
  const dir = path.join(repoRoot, '.tsgrad', 'sharing');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'shared.ts');
  writeFileSync(file, source);
  const compiled = new Compiler(createProject([file])).compileProgram();
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return [...compiled.modules.values()][0];
}

/** The text of `export function <name>_artifact() …` up to its closing brace. */
function artifact(text: string, name: string): string {
  const start = text.indexOf(`export function ${name}_artifact(`);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start));
}

describe('call sites that need the same derivative share one generated function', () => {
  const text = compile();
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

  it('the banner says which function serves a shared call site', () => {
    expect(text).toContain('//   f_grad_0_1_jacfwd_0_1: jacfwd (gradPosition [0,1]) of f_grad_0_1, by f_grad_0_1_jvp');
  });

  it('compiles to the same bytes again', () => {
    expect(compile()).toBe(text);
  });
});
