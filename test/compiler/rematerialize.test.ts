// Rematerialization (compiler/3-differentiate/rematerialize.ts): a loop's backward sweep
// recomputes cheap pure values instead of taping them, and never a value that may have
// changed since the forward sweep computed it. fixtures/language/rematerialize.ts checks
// user loops (recomputed values, affine and non-affine counters, loop-carried
// accumulators, nested loops, a second order) against central differences. An array
// written inside a loop exists only in generated code read back, so that case is built
// here as IR: `old = ys[j]` is read before `ys[j]` is overwritten, and recomputing it in
// the backward sweep would read the new value.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { Atom, Func, Stmt, lit, numberTy, otherTy, v } from '../../compiler/ir/nodes.js';
import { differentiate } from '../../compiler/3-differentiate/reverse.js';
import { functionFacts } from '../../compiler/3-differentiate/rematerialize.js';
import { simplify } from '../../compiler/4-simplify/simplify.js';
import { emitFunctionLines } from '../../compiler/5-emit/typescript.js';
import { giveTape, takeTape } from '../../runtime/tapes.js';
import { zerosArray } from '../../runtime/zeros-array.js';
import { printedValues, tsgrad } from '../helpers/cli.js';

const numbers = { kind: 'numbers' } as const;
const num = (name: string, expr: Extract<Stmt, { kind: 'let' }>['expr']): Stmt => ({ kind: 'let', name, ty: numberTy, expr });
const prim = (op: string, ...args: Atom[]) => ({ kind: 'prim', op, args }) as const;

/** `for (let c = 0; c < x.length; c++) body(c_snapshot)`, as the lowerer writes it. */
function countedLoop(c: string, body: (at: Atom) => Stmt[]): Stmt[] {
  return [
    { kind: 'declare', name: c, ty: numberTy },
    { kind: 'assign', name: c, value: lit(0) },
    {
      kind: 'loop',
      head: [num(`${c}_h`, { kind: 'copy', value: v(c) }), num(`${c}_n`, { kind: 'js', template: '$0.length', args: [v('x')] }), { kind: 'let', name: `${c}_more`, ty: otherTy, expr: { kind: 'js', template: '$0 < $1', args: [v(`${c}_h`), v(`${c}_n`)] } }],
      cond: v(`${c}_more`),
      body: [num(`${c}_at`, { kind: 'copy', value: v(c) }), ...body(v(`${c}_at`)), num(`${c}_next`, prim('add', v(`${c}_at`), lit(1))), { kind: 'assign', name: c, value: v(`${c}_next`) }],
      testFirst: true,
    },
  ];
}

/**
 * f(x) = Σ_j old_j · now_j with ys[j] = x_j² written by a first loop, then in a second
 * loop old = ys[j] read, ys[j] = old·x_j + 1 written, now = ys[j] read again: Σ x⁵ + x².
 * With `fromInput`, `old` is read from x instead (x_j, a read-only input): Σ x_j²·… .
 */
function overwriting(fromInput: boolean): Func {
  const source = fromInput ? 'x' : 'ys';
  const body: Stmt[] = [
    { kind: 'let', name: 'ys', ty: numbers, expr: { kind: 'js', template: '([] as number[])', args: [] } },
    ...countedLoop('i', (i) => [num('xi', { kind: 'elem', array: v('x'), index: i }), num('sq', prim('mul', v('xi'), v('xi'))), { kind: 'store', array: 'ys', index: i, value: v('sq') }]),
    { kind: 'declare', name: 's', ty: numberTy },
    { kind: 'assign', name: 's', value: lit(0) },
    ...countedLoop('j', (j) => [
      num('old', { kind: 'elem', array: v(source), index: j }),
      num('xj', { kind: 'elem', array: v('x'), index: j }),
      num('w0', prim('mul', v('old'), v('xj'))),
      num('w', prim('add', v('w0'), lit(1))),
      { kind: 'store', array: 'ys', index: j, value: v('w') },
      num('now', { kind: 'elem', array: v('ys'), index: j }),
      num('p', prim('mul', v('old'), v('now'))),
      num('s_at', { kind: 'copy', value: v('s') }),
      num('s_next', prim('add', v('s_at'), v('p'))),
      { kind: 'assign', name: 's', value: v('s_next') },
    ]),
    num('out', { kind: 'copy', value: v('s') }),
  ];
  return { name: 'f', roots: [], params: [{ name: 'x', ty: numbers, tsType: 'number[]' }], body, result: v('out'), resultTy: numberTy, origin: { file: 'ir.ts', name: 'f', line: 1 } };
}

/** The same function in plain JavaScript, for central differences. */
function plain(x: number[], fromInput: boolean): number {
  const ys = x.map((xi) => xi * xi);
  let s = 0;
  for (let j = 0; j < x.length; j++) {
    const old = fromInput ? x[j] : ys[j];
    ys[j] = old * x[j] + 1;
    s += old * ys[j];
  }
  return s;
}

function compileGradient(func: Func): { code: string; run: (x: number[]) => number[] } {
  const result = differentiate(func, { positions: [0], weights: false, output: 'sum', withOutputs: false }, 'f_grad');
  const code = emitFunctionLines(simplify(result.func), { name: 'f_grad' }).text.join('\n');
  const js = ts.transpileModule(code.replace(/^export /m, ''), { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const make = new Function('takeTape', 'giveTape', 'zerosArray', `${js}\nreturn f_grad;`);
  const fn = make(takeTape, giveTape, zerosArray) as (x: number[]) => [number[]];
  return { code, run: (x) => fn(x)[0] };
}

function maxError(fromInput: boolean, g: number[], x: number[]): number {
  let err = 0;
  x.forEach((_, i) => {
    const h = 1e-6;
    const p = [...x];
    const m = [...x];
    p[i] += h;
    m[i] -= h;
    err = Math.max(err, Math.abs((plain(p, fromInput) - plain(m, fromInput)) / (2 * h) - g[i]) / Math.max(1, Math.abs(g[i])));
  });
  return err;
}

describe('rematerialization', () => {
  const x = [0.5, -1.2, 0.8, 1.5, -0.3];

  it('tapes a read of an array the loop overwrites, and the gradient matches central differences', () => {
    const { code, run } = compileGradient(overwriting(false));
    expect(code).toContain('old_tape');
    expect(code).not.toContain('old_re');
    const g = run(x);
    expect(maxError(false, g, x)).toBeLessThan(1e-6);
    // Analytic: d/dx (x⁵ + x²) = 5x⁴ + 2x.
    g.forEach((gi, i) => expect(gi).toBeCloseTo(5 * x[i] ** 4 + 2 * x[i], 8));
  });

  it('recomputes the same read from an input nothing writes', () => {
    const { code, run } = compileGradient(overwriting(true));
    expect(code).toContain('old_re');
    expect(code).not.toContain('old_tape');
    expect(maxError(true, run(x), x)).toBeLessThan(1e-6);
  });

  it('counts an array as read-only only when every use is an element or its length', () => {
    const facts = functionFacts(overwriting(false));
    expect([...facts.readOnlyArrays]).toEqual(['x']);
    const passed: Func = { ...overwriting(true), body: [...overwriting(true).body, { kind: 'effect', expr: { kind: 'js', template: '$0.length = $1', args: [v('x'), lit(0)] } }] };
    expect([...functionFacts(passed).readOnlyArrays]).toEqual([]);
  });

  describe('user loops (fixtures/language/rematerialize.ts)', () => {
    const r = tsgrad('run', 'fixtures/language/rematerialize.ts');
    const found = printedValues(r.stdout);
    it('runs', () => {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
    for (const name of ['rosenbrock', 'strided', 'downward', 'doubling', 'skipping', 'carried', 'product', 'nested', 'series.first', 'series.second']) {
      it(name, () => {
        expect(found.has(name)).toBe(true);
        expect(found.get(name)!).toBeLessThan(1e-6);
      });
    }
  });
});
