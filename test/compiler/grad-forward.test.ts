// Gradients in forward mode (compiler/3-differentiate/grad-forward.ts) where the Jacobian
// is diagonal (compiler/2-analyze/diagonal.ts). End to end: fixtures/language/forward-mode.ts
// against analytic derivatives, its traps (J not diagonal, so J·1 ≠ Jᵀ·1) included, and
// which functions its golden module computes in forward mode. As IR: what the analysis
// refuses. Sizes: the higher orders of bench/orders.ts's workloads grow at most 2.5× per order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagonalIn } from '../../compiler/2-analyze/diagonal.js';
import { Atom, Func, Stmt, lit, numberTy, tensorTy, v } from '../../compiler/ir/nodes.js';
import { runOrders } from '../../bench/orders.js';
import { printedValues, repoRoot, tsgrad } from '../helpers/cli.js';
import { printedChecks } from '../helpers/printed-checks.js';

describe('gradients in forward mode (fixtures/language/forward-mode.ts)', () => {
  const r = tsgrad('run', 'fixtures/language/forward-mode.ts');
  const analytic = [
    ...['sinExp.1', 'sinExp.2', 'sinExp.3', 'sinExp.4', 'sinExp.value', 'sinExp.valueAndGrad'],
    ...['scaled', 'piecewise', 'power.1', 'power.2', 'cube.1', 'cube.2', 'withAux', 'withAux.aux'],
    ...['broadcastUp', 'timesSum'],
  ];
  printedChecks(r, printedValues(r.stdout), { analytic });

  const module = readFileSync(path.join(repoRoot, 'fixtures/language/forward-mode.grad.ts'), 'utf8');
  /** The doc comment of each exported gradient function, by name. */
  const docs = new Map([...module.matchAll(/\/\*\*\n((?: \*.*\n)+) \*\/\nexport function (\w+)\(/g)].map((m) => [m[2], m[1]]));
  const forward = (name: string) => docs.get(name)?.includes('Forward mode:');
  it.each([
    'sinExp_grad_0', 'sinExp_grad_0_grad_0', 'sinExp_grad_0_grad_0_grad_0', 'sinExp_grad_0_grad_0_grad_0_grad_0', 'sinExp_valueAndGrad_0',
    'scaled_grad_0', 'piecewise_grad_0', 'power_grad_0', 'power_grad_0_grad_0', 'cube_grad_0', 'cube_grad_0_grad_0', 'withAux_grad_0_aux',
  ])('%s is computed in forward mode', (name) => {
    expect(docs.has(name)).toBe(true);
    expect(forward(name)).toBe(true);
  });
  it.each(['broadcastUp_grad_0', 'timesSum_grad_0'])('%s (J not diagonal) is computed in reverse mode', (name) => {
    expect(docs.has(name)).toBe(true);
    expect(forward(name)).toBe(false);
  });
  it('a forward-mode gradient has no backward sweep: no output seed, no tape', () => {
    const body = module.slice(module.indexOf('export function power_grad_0('), module.indexOf('\n}\n', module.indexOf('export function power_grad_0(')));
    expect(body).not.toContain('seed: the output');
    expect(body).not.toContain('Tape');
    expect(body.match(/while \(true\)/g)).toHaveLength(1);
  });
});

describe('diagonalIn', () => {
  const prim = (op: string, ...args: Atom[]) => ({ kind: 'prim', op, args }) as const;
  const let_ = (name: string, op: string, ...args: Atom[]): Stmt => ({ kind: 'let', name, ty: tensorTy, expr: prim(op, ...args) });
  const func = (body: Stmt[], result = 'out', params = ['x', 'c']): Func => ({
    name: 'f',
    roots: [],
    params: params.map((name) => ({ name, ty: name === 'k' ? numberTy : tensorTy, tsType: name === 'k' ? 'number' : 'Tensor' })),
    body,
    result: v(result),
    resultTy: tensorTy,
    origin: { file: 'f.ts', name: 'f', line: 1 },
  });

  it('takes elementwise ops of x, literals and number inputs', () => {
    const f = func([let_('a', 'sin', v('x')), let_('b', 'mul', v('a'), v('k')), let_('out', 'sub', lit(1), v('b'))], 'out', ['x', 'k']);
    expect(diagonalIn(f, 0, 'out')).toBe(true);
  });

  it('refuses a tensor input of unknown shape met by a value computed from x', () => {
    expect(diagonalIn(func([let_('a', 'sin', v('x')), let_('out', 'mul', v('a'), v('c'))]), 0, 'out')).toBe(false);
  });

  it('takes a constant of x’s shape (onesLike of x)', () => {
    expect(diagonalIn(func([let_('o', 'onesLike', v('x')), let_('a', 'sin', v('x')), let_('out', 'mul', v('a'), v('o'))]), 0, 'out')).toBe(true);
  });

  it('refuses an op that is not elementwise on the path (softmax keeps the shape)', () => {
    expect(diagonalIn(func([let_('out', 'softmax', v('x'), lit(-1))]), 0, 'out')).toBe(false);
  });

  it('ignores what is off the path from x to the output', () => {
    const f = func([let_('s', 'sum', v('x')), let_('out', 'tanh', v('x')), { kind: 'let', name: 'r', ty: { kind: 'tuple', items: [tensorTy, tensorTy] }, expr: { kind: 'tuple', items: [v('out'), v('s')] } }], 'r');
    expect(diagonalIn(f, 0, 'out')).toBe(true);
  });

  it('refuses an output that may be 0-d on some path (a variable assigned x and a literal)', () => {
    const f = func([
      { kind: 'declare', name: 'y', ty: tensorTy },
      { kind: 'if', cond: v('flag'), then: [{ kind: 'assign', name: 'y', value: v('x') }], else: [{ kind: 'assign', name: 'y', value: lit(2) }] },
      { kind: 'let', name: 'out', ty: tensorTy, expr: { kind: 'copy', value: v('y') } },
    ]);
    expect(diagonalIn(f, 0, 'out')).toBe(false);
  });

  it('follows a loop-carried variable to its fixed point: refused once an unknown shape reaches it', () => {
    const loop = (update: Atom): Stmt[] => [
      { kind: 'let', name: 'y', ty: tensorTy, expr: { kind: 'copy', value: v('x') }, mutable: true },
      { kind: 'loop', head: [], cond: v('more'), testFirst: true, body: [let_('t', 'mul', v('y'), update), { kind: 'assign', name: 'y', value: v('t') }] },
      { kind: 'let', name: 'out', ty: tensorTy, expr: { kind: 'copy', value: v('y') } },
    ];
    expect(diagonalIn(func(loop(v('x'))), 0, 'out')).toBe(true);
    expect(diagonalIn(func(loop(v('c'))), 0, 'out')).toBe(false);
  });
});

describe('higher orders grow at most 2.5× per order (bench/orders.ts workloads, orders 1–4)', () => {
  const rows = runOrders(4, 1);
  for (const workload of ['sinExp', 'tanhChain', 'Mlp']) {
    it(workload, () => {
      const nodes = rows.filter((r) => r.workload === workload).map((r) => r.nodes);
      expect(nodes).toHaveLength(4);
      for (let k = 1; k < nodes.length; k++) expect(nodes[k] / nodes[k - 1]).toBeLessThanOrEqual(2.5);
    });
  }
});
