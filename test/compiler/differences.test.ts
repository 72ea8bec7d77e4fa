// compiler/4-simplify/differences.ts: b − a becomes the negation of an a − b already
// computed. As IR: what is rewritten and what is left alone (a mutable operand, a
// difference from the other branch of an `if`). End to end: order 5 of tanh(tanh(tanh(x))),
// whose generated code it changes, against float64 Taylor coefficients
// (fixtures/derivatives/tanh-chain.ts; with b − a rewritten as a − b instead, order 5 is off by 1.4).
// The chain itself now takes forward mode (grad-forward.ts); the sum of the chain, reverse.
import { describe, expect, it } from 'vitest';
import { Atom, Stmt, lit, numberTy, tensorTy, v } from '../../compiler/ir/nodes.js';
import { shareReversedDifferences } from '../../compiler/4-simplify/differences.js';
import { printedValues, tsgrad } from '../helpers/cli.js';

const prim = (op: string, ...args: Atom[]) => ({ kind: 'prim', op, args }) as const;
const t = (name: string, op: string, ...args: Atom[]): Stmt => ({ kind: 'let', name, ty: tensorTy, expr: prim(op, ...args) });
const exprOf = (stmts: readonly Stmt[], name: string) => stmts.find((s): s is Extract<Stmt, { kind: 'let' }> => s.kind === 'let' && s.name === name)?.expr;

describe('shareReversedDifferences', () => {
  it('writes b − a as the negation of a − b computed before it', () => {
    const out = shareReversedDifferences([t('d', 'sub', v('a'), v('b')), t('e', 'sub', v('b'), v('a')), t('f', 'sub', v('a'), v('b'))], new Set());
    expect(exprOf(out, 'd')).toEqual(prim('sub', v('a'), v('b')));
    expect(exprOf(out, 'e')).toEqual(prim('neg', v('d')));
    // The same difference again is left to common-subexpression elimination.
    expect(exprOf(out, 'f')).toEqual(prim('sub', v('a'), v('b')));
  });

  it('matches literal operands and number lets', () => {
    const n = (name: string, op: string, ...args: Atom[]): Stmt => ({ kind: 'let', name, ty: numberTy, expr: prim(op, ...args) });
    const out = shareReversedDifferences([n('d', 'sub', lit(1), v('a')), n('e', 'sub', v('a'), lit(1))], new Set());
    expect(exprOf(out, 'e')).toEqual(prim('neg', v('d')));
  });

  it('leaves a difference of a mutable variable alone (its value may have changed)', () => {
    const body: Stmt[] = [t('d', 'sub', v('m'), v('b')), { kind: 'assign', name: 'm', value: v('c') }, t('e', 'sub', v('b'), v('m'))];
    const out = shareReversedDifferences(body, new Set(['m']));
    expect(exprOf(out, 'e')).toEqual(prim('sub', v('b'), v('m')));
  });

  it('does not reach into the other branch of an if', () => {
    const body: Stmt[] = [{ kind: 'if', cond: v('c'), then: [t('d', 'sub', v('a'), v('b'))], else: [t('e', 'sub', v('b'), v('a'))] }];
    const out = shareReversedDifferences(body, new Set());
    const branch = out[0] as Extract<Stmt, { kind: 'if' }>;
    expect(exprOf(branch.else, 'e')).toEqual(prim('sub', v('b'), v('a')));
  });

  it('sees a difference computed before an if from inside it', () => {
    const body: Stmt[] = [t('d', 'sub', v('a'), v('b')), { kind: 'if', cond: v('c'), then: [t('e', 'sub', v('b'), v('a'))], else: [] }];
    const out = shareReversedDifferences(body, new Set());
    expect(exprOf((out[1] as Extract<Stmt, { kind: 'if' }>).then, 'e')).toEqual(prim('neg', v('d')));
  });
});

describe('orders 4 and 5 of a tanh chain', () => {
  const r = tsgrad('run', 'fixtures/derivatives/tanh-chain.ts');
  const errors = printedValues(r.stdout);
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of ['chain.1', 'chain.4', 'chain.5', 'chainSum.1', 'chainSum.4', 'chainSum.5']) {
    it(`${name} matches the Taylor coefficients`, () => {
      expect(errors.has(name)).toBe(true);
      expect(errors.get(name)!).toBeLessThan(1e-12);
    });
  }
});
