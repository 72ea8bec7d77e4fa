// A loop's trip count in closed form, computed before the loop runs, so that reverse
// mode need not count iterations in the forward sweep. The backward sweep of a loop runs
// its body's adjoint once per forward iteration; when nothing is taped, the count is all
// the forward sweep has to give it, and a counting loop costs as much as a third of a
// plain loop's forward pass (Rosenbrock over 1000 numbers: 1 µs of 1.3 µs).
//
// When the closed form equals the loop's own count, exactly:
// - The loop tests first (`for`, `while`), and its body never leaves early: no `break`
//   at its level (a `continue` assigns the counter on two paths, so it is no induction
//   variable; a `return` in a loop is a compile error).
// - Its condition is one comparison `<`, `<=`, `>` or `>=` of a snapshot, taken in the
//   head, of an affine induction variable (rematerialize.ts: set to an integer literal
//   i0 before the loop, assigned once per iteration to itself ± an integer literal step,
//   both at most 2^20) with a bound the loop cannot change: a number literal, an
//   unchanging value from before the loop, `xs.length` of an array nothing writes, or
//   number arithmetic on those computed in the head (recomputed here, before the loop).
// - The step goes towards the bound (`<`/`<=` with a step above 0, `>`/`>=` below);
//   otherwise the loop runs no times or forever, and it keeps its counting loop.
// Iteration k tests i0 + k·step, an integer, against the bound b. For an integer i,
// i < b ⇔ i < ceil(b), i ≤ b ⇔ i < floor(b) + 1, i > b ⇔ i > floor(b), i ≥ b ⇔
// i > ceil(b) − 1; so the test passes for k < span/|step|, span the integer distance from
// i0 to that integer bound, and the count is ceil(span/|step|) when span > 0, else 0. A NaN
// bound fails every test and gives span NaN, count 0; an infinite bound gives an
// infinite count (the loop never ends either). Exact while the count is below 2^32, as
// the rematerialized counters are.

import { Atom, Stmt, childBlocks, numberTy, v } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { FunctionFacts, Induction } from './rematerialize.js';
import { exprAtoms, substituteExpr } from '../4-simplify/simplify.js';

type Let = Extract<Stmt, { kind: 'let' }>;
type Loop = Extract<Stmt, { kind: 'loop' }>;

/** The statements that compute a loop's trip count before it runs, and the count. */
export interface TripCount {
  readonly stmts: Stmt[];
  readonly count: Atom;
}

/**
 * The closed-form trip count of `loop`, or undefined when it cannot be had exactly.
 * `inLoop`: every name the loop defines; `induction`: its affine induction variables;
 * `names`: the count's name, and fresh names for the span (`${base}_span`) and recomputed values.
 */
export function closedTripCount(
  loop: Loop,
  inLoop: ReadonlySet<string>,
  facts: FunctionFacts,
  induction: ReadonlyMap<string, Induction>,
  names: { readonly base: string; readonly count: string; fresh(base: string): string },
): TripCount | undefined {
  if (!loop.testFirst || leavesEarly(loop.body)) return undefined;
  const head = new Map<string, Let>();
  for (const s of loop.head) if (s.kind === 'let') head.set(s.name, s);
  const test = loop.cond.kind === 'var' ? head.get(loop.cond.name) : undefined;
  const m = test?.expr.kind === 'js' && test.expr.args.length === 2 ? /^\$0 (<|<=|>|>=) \$1$/.exec(test.expr.template) : null;
  if (!test || test.expr.kind !== 'js' || !m) return undefined;
  const [left, right] = test.expr.args;
  // The counter's snapshot in the head, on either side (`i < n` or `n > i`).
  const counterOf = (a: Atom): Induction | undefined => {
    const snap = a.kind === 'var' ? head.get(a.name) : undefined;
    return snap?.expr.kind === 'copy' && snap.expr.value.kind === 'var' ? induction.get(snap.expr.value.name) : undefined;
  };
  const flipped: Record<string, Comparison> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  let op = m[1] as Comparison;
  let counter = counterOf(left);
  let boundAtom = right;
  if (!counter) {
    counter = counterOf(right);
    boundAtom = left;
    op = flipped[op];
  }
  if (!counter || counter.step === 0 || (op === '<' || op === '<=') !== counter.step > 0) return undefined;

  const stmts: Stmt[] = [];
  const renamed = new Map<string, Atom>();
  const assigned = assignedIn(loop);
  const invariant = (a: Atom): boolean => {
    if (a.kind === 'lit') return typeof a.value === 'number';
    if (renamed.has(a.name)) return true;
    if (!inLoop.has(a.name)) return facts.immutable.has(a.name);
    const def = head.get(a.name);
    // A snapshot of a variable the loop never assigns (an enclosing loop's counter) holds one value throughout.
    const steady = def?.expr.kind === 'copy' && def.expr.value.kind === 'var' && !inLoop.has(def.expr.value.name) && !assigned.has(def.expr.value.name);
    if (!def || def.ty.kind !== 'number' || !(steady || (recomputable(def, facts, inLoop) && exprAtoms(def.expr).every(invariant)))) return false;
    const again = names.fresh(a.name);
    stmts.push({ ...def, name: again, expr: substituteExpr(def.expr, renamed) });
    renamed.set(a.name, v(again));
    return true;
  };
  if (!invariant(boundAtom)) return undefined;
  const bound = boundAtom.kind === 'var' ? renamed.get(boundAtom.name) ?? boundAtom : boundAtom;
  const size = Math.abs(counter.step);
  const span = names.fresh(`${names.base}_span`);
  stmts.push(
    { kind: 'let', name: span, ty: numberTy, expr: { kind: 'js', template: spanTemplate(op, counter.init), args: [bound] } },
    {
      kind: 'let',
      name: names.count,
      ty: numberTy,
      expr: { kind: 'js', template: countTemplate(size), args: [v(span)] },
    },
  );
  return { stmts, count: v(names.count) };
}

export type Comparison = '<' | '<=' | '>' | '>=';

/** The integer distance the counter, from `init`, may go before the test `i op $0` fails. */
export function spanTemplate(op: Comparison, init: number): string {
  switch (op) {
    case '<':
      return plus('Math.ceil($0)', -init);
    case '<=':
      return plus('Math.floor($0)', 1 - init);
    case '>':
      return init === 0 ? '-Math.floor($0)' : `${init} - Math.floor($0)`;
    case '>=':
      return init + 1 === 0 ? '-Math.ceil($0)' : `${init + 1} - Math.ceil($0)`;
  }
}

/** The iterations a span $0 gives at `size` per step: ceil($0 / size) when $0 > 0, else 0 (NaN too). */
export function countTemplate(size: number): string {
  return size === 1 ? '$0 > 0 ? $0 : 0' : `$0 > 0 ? Math.ceil($0 / ${size}) : 0`;
}

function plus(text: string, k: number): string {
  return k === 0 ? text : k > 0 ? `${text} + ${k}` : `${text} - ${-k}`;
}

/** The names the loop assigns, in its head, its body or a block nested in them. */
function assignedIn(loop: Loop): Set<string> {
  const names = new Set<string>();
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'assign' || s.kind === 'declare') names.add(s.name);
      for (const block of childBlocks(s)) visit(block);
    }
  };
  visit([loop]);
  return names;
}

/** A pure number computation whose operands the caller checks: a copy, a number primitive, `xs.length`. */
function recomputable(s: Let, facts: FunctionFacts, inLoop: ReadonlySet<string>): boolean {
  const e = s.expr;
  if (e.kind === 'copy') return true;
  if (e.kind === 'prim') return e.op !== 'randn' && e.op !== 'uniform' && primitiveSpec(e.op)?.number !== undefined;
  if (e.kind === 'js') return e.template === '$0.length' && e.args[0].kind === 'var' && facts.readOnlyArrays.has(e.args[0].name) && !inLoop.has(e.args[0].name);
  return false;
}

/** True when the block, or a block nested in it but not in an inner loop, holds a `break` or `continue`. */
function leavesEarly(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => s.kind === 'break' || s.kind === 'continue' || (s.kind === 'if' && (leavesEarly(s.then) || leavesEarly(s.else))));
}
