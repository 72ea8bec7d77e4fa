// Negations sink into the additions that can absorb them. Derivative rules negate often
// (sub's second operand, tanh's 1 − y², cos' −sin), and every order differentiates those
// negations again. Each value of add, sub, mul, div and neg is tracked as ±(a variable);
// the sign travels through products and quotients and is absorbed by sums:
//   add(x, neg(a)) → sub(x, a)      sub(x, neg(a)) → add(x, a)      neg(neg(a)) → a
//   mul(neg(a), b) → neg(mul(a, b))     add(neg(a), neg(b)) → neg(add(a, b))
// A negated value stays defined (`n = neg(n_pos)`) for the uses that need it as it is;
// dead-code elimination drops it when every use absorbed the sign. All rewrites are exact
// in floating point: negation only flips a sign bit.

import { Atom, Expr, Func, Stmt, childBlocks, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';

type Let = Extract<Stmt, { kind: 'let' }>;
interface Signed {
  readonly atom: Atom;
  readonly negated: boolean;
}

const signed = new Set(['neg', 'add', 'sub', 'mul', 'div']);

export function sinkNegations(func: Func, body: readonly Stmt[]): Stmt[] {
  const mutable = new Set<string>();
  const names = new Namer([...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)]);
  const collect = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'declare' || s.kind === 'assign') mutable.add(s.name);
      if (s.kind === 'let' || s.kind === 'declare') names.claim(s.name);
      childBlocks(s).forEach(collect);
    }
  };
  collect(body);
  const signs = new Map<string, Signed>();
  const rep = (a: Atom): Signed => (a.kind === 'var' ? signs.get(a.name) : undefined) ?? { atom: a, negated: false };
  const stable = (a: Atom) => a.kind === 'lit' || !mutable.has(a.name);

  const walk = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (const s of stmts) {
      if (s.kind === 'let' && s.expr.kind === 'prim' && signed.has(s.expr.op) && (s.ty.kind === 'tensor' || s.ty.kind === 'number') && !mutable.has(s.name) && s.expr.args.every(stable)) {
        out.push(...resolve(s, s.expr.op, s.expr.args.map(rep)));
        continue;
      }
      if (s.kind === 'if') out.push({ ...s, then: walk(s.then), else: walk(s.else) });
      else if (s.kind === 'loop') out.push({ ...s, head: walk(s.head), body: walk(s.body) });
      else out.push(s);
    }
    return out;
  };

  /** `s` rewritten on the signed operands: the positive value, then its negation if needed. */
  const resolve = (s: Let, op: string, [x, y]: Signed[]): Let[] => {
    if (op === 'neg') {
      signs.set(s.name, { atom: x.atom, negated: !x.negated });
      return [x.negated ? { ...s, expr: { kind: 'copy', value: x.atom } } : { ...s, expr: { kind: 'prim', op, args: [x.atom] } }];
    }
    let expr: Expr;
    let negated: boolean;
    if (op === 'mul' || op === 'div') {
      expr = prim(op, x.atom, y.atom);
      negated = x.negated !== y.negated;
    } else {
      // ±x ± y: with the signs of both operands and of the op, one add or sub and an overall sign.
      const yNeg = op === 'sub' ? !y.negated : y.negated;
      if (x.negated === yNeg) expr = prim('add', x.atom, y.atom);
      else expr = x.negated ? prim('sub', y.atom, x.atom) : prim('sub', x.atom, y.atom);
      negated = x.negated && yNeg;
    }
    if (!negated) return [{ ...s, expr }];
    const positive = names.fresh(s.name);
    signs.set(s.name, { atom: v(positive), negated: true });
    return [{ ...s, name: positive, expr }, { ...s, expr: prim('neg', v(positive)) }];
  };

  return walk(body);
}

function prim(op: string, ...args: Atom[]): Expr {
  return { kind: 'prim', op, args };
}
