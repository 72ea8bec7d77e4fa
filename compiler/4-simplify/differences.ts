// A difference whose reverse is already computed is its negation: b − a = −(a − b).
// Common-subexpression elimination cannot see it (the operands come the other way round),
// and reverse mode over generated code makes many from the fifth order on: an adjoint
// `b − a` at one order meets the `a − b` of the order before. Rewritten as `neg(s)`, the
// sign then sinks into the sums that use it (compiler/4-simplify/negations.ts), so the
// subtraction is done once. The two agree except for the sign of a zero (a = b: b − a is
// +0, −(a − b) is −0), the freedom negation sinking already takes; `simplify` skips both
// where every bit must stay (`exact`).
// Not done, measured on bench/orders.ts: (a·2)·b → (a·b)·2 where (a·b)·2 is computed (a
// further 2–7% at orders 4–6) rounds differently where a product overflows or is
// subnormal, and x + x → x·2 (under 1%) changes first-order code for no gain there.

import { Atom, Expr, Stmt, v } from '../ir/nodes.js';

type Let = Extract<Stmt, { kind: 'let' }>;
type Prim = Extract<Expr, { kind: 'prim' }>;

export function shareReversedDifferences(body: readonly Stmt[], mutable: ReadonlySet<string>): Stmt[] {
  const stable = (a: Atom) => a.kind === 'lit' || !mutable.has(a.name);
  const difference = (s: Let): s is Let & { expr: Prim } =>
    s.expr.kind === 'prim' && s.expr.op === 'sub' && (s.ty.kind === 'tensor' || s.ty.kind === 'number') && !s.mutable && !mutable.has(s.name) && s.expr.args.every(stable);

  /** `known`: the name of each difference computed so far on this path, by its operands. */
  const walk = (stmts: readonly Stmt[], known: Map<string, string>): Stmt[] =>
    stmts.map((s) => {
      if (s.kind === 'let') {
        if (!difference(s)) return s;
        const [a, b] = s.expr.args;
        const reversed = known.get(operandsKey(b, a));
        if (reversed !== undefined) return { ...s, expr: { kind: 'prim', op: 'neg', args: [v(reversed)] } };
        known.set(operandsKey(a, b), s.name);
        return s;
      }
      if (s.kind === 'if') return { ...s, then: walk(s.then, new Map(known)), else: walk(s.else, new Map(known)) };
      if (s.kind === 'loop') return { ...s, head: walk(s.head, new Map(known)), body: walk(s.body, new Map(known)) };
      return s;
    });

  return walk(body, new Map());
}

function operandsKey(a: Atom, b: Atom): string {
  return [a, b].map((x) => (x.kind === 'var' ? `$${x.name}` : JSON.stringify(x.value) ?? 'undefined')).join(',');
}
