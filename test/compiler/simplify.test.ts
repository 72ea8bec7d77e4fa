// compiler/4-simplify/simplify.ts on IR: what folding must not merge.
import { describe, expect, it } from 'vitest';
import { Func, Stmt, lit, tensorTy, v } from '../../compiler/ir/nodes.js';
import { simplify } from '../../compiler/4-simplify/simplify.js';

const func = (body: Stmt[], result: string): Func => ({
  name: 'f',
  roots: [],
  params: [{ name: 'x', ty: tensorTy, tsType: 'Tensor' }, { name: 'saved', ty: tensorTy, tsType: 'Tensor' }],
  body,
  result: v(result),
  resultTy: tensorTy,
  origin: { file: 'f.ts', name: 'f', line: 1 },
});

describe('simplify', () => {
  // Reverse mode tapes a loop's `let acc_1 = acc_now` and restores acc_1 from its tape in the
  // backward loop; folding the copy made the backward loop read acc_now, the last value
  // (fixtures/fuzz/bugs/nested-grad-inside-loop.ts and two more forms, wrong in silence).
  it('keeps a copy into a variable that is assigned elsewhere (restored from a tape)', () => {
    const body: Stmt[] = [
      { kind: 'let', name: 'now', ty: tensorTy, expr: { kind: 'prim', op: 'sin', args: [v('x')] } },
      { kind: 'let', name: 'acc', ty: tensorTy, expr: { kind: 'copy', value: v('now') } },
      { kind: 'assign', name: 'acc', value: v('saved') },
      { kind: 'let', name: 'out', ty: tensorTy, expr: { kind: 'prim', op: 'mul', args: [v('acc'), lit(2)] } },
    ];
    const out = simplify(func(body, 'out')).body.find((s) => s.kind === 'let' && s.name === 'out');
    expect(out).toMatchObject({ expr: { op: 'mul', args: [v('acc'), lit(2)] } });
  });

  it('folds a copy into a variable written once', () => {
    const body: Stmt[] = [
      { kind: 'let', name: 'now', ty: tensorTy, expr: { kind: 'prim', op: 'sin', args: [v('x')] } },
      { kind: 'let', name: 'acc', ty: tensorTy, expr: { kind: 'copy', value: v('now') } },
      { kind: 'let', name: 'out', ty: tensorTy, expr: { kind: 'prim', op: 'mul', args: [v('acc'), lit(2)] } },
    ];
    const out = simplify(func(body, 'out')).body.find((s) => s.kind === 'let' && s.name === 'out');
    expect(out).toMatchObject({ expr: { op: 'mul', args: [v('now'), lit(2)] } });
  });
});
