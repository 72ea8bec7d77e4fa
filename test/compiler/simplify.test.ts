// compiler/4-simplify on IR: what folding must not merge (simplify.ts), and which shapes a
// variable assigned more than once is known to have (shapes.ts).
import { describe, expect, it } from 'vitest';
import { Func, Stmt, lit, tensorTy, v } from '../../compiler/ir/nodes.js';
import { simplify } from '../../compiler/4-simplify/simplify.js';
import { shapeRewrites } from '../../compiler/4-simplify/shapes.js';

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

describe('shapeRewrites: a variable assigned more than once', () => {
  // y = x, then y = y·x in a loop: y keeps x's shape, so y·onesLike(x) is y.
  const loop = (update: Stmt): Func =>
    func(
      [
        { kind: 'declare', name: 'y', ty: tensorTy },
        { kind: 'assign', name: 'y', value: v('x') },
        { kind: 'let', name: 'ones', ty: tensorTy, expr: { kind: 'prim', op: 'onesLike', args: [v('x')] } },
        {
          kind: 'loop',
          head: [],
          cond: v('more'),
          testFirst: true,
          body: [
            { kind: 'let', name: 'now', ty: tensorTy, expr: { kind: 'copy', value: v('y') } },
            { kind: 'let', name: 'kept', ty: tensorTy, expr: { kind: 'prim', op: 'mul', args: [v('now'), v('ones')] } },
            update,
            { kind: 'assign', name: 'y', value: v('next') },
          ],
        },
      ],
      'kept',
    );

  it('keeps the shape every value assigned to it has', () => {
    const rewrites = shapeRewrites(loop({ kind: 'let', name: 'next', ty: tensorTy, expr: { kind: 'prim', op: 'mul', args: [v('now'), v('x')] } }));
    expect(rewrites.get('kept')).toEqual(v('now'));
  });

  it('has no shape once one value disagrees (a reduction), and nothing is rewritten', () => {
    const rewrites = shapeRewrites(loop({ kind: 'let', name: 'next', ty: tensorTy, expr: { kind: 'prim', op: 'sum', args: [v('now')] } }));
    expect(rewrites.has('kept')).toBe(false);
  });

  it('never replaces the variable itself, though its first value is a no-op', () => {
    const f = func(
      [
        { kind: 'let', name: 'ones', ty: tensorTy, expr: { kind: 'prim', op: 'onesLike', args: [v('x')] } },
        { kind: 'let', name: 'y', ty: tensorTy, expr: { kind: 'prim', op: 'mul', args: [v('x'), v('ones')] } },
        { kind: 'assign', name: 'y', value: v('saved') },
      ],
      'y',
    );
    expect(shapeRewrites(f).has('y')).toBe(false);
  });
});
