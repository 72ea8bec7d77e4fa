// Simplification between phases and between orders: number folding (x·1, x+0, literal
// arithmetic), copy propagation, common-subexpression elimination and dead-code
// elimination. Each pass keeps the program's meaning; together they stop expression
// swell when generated code is differentiated again.

import { Atom, Expr, Func, Stmt, childBlocks, lit } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { shapeRewrites } from './shapes.js';
import { sinkNegations } from './negations.js';
import { liveNames } from './liveness.js';
import { shareReversedDifferences } from './differences.js';

export interface SimplifyOptions {
  /**
   * Keep every value's bits, signed zeros included (a compiled forward, compiler/jit.ts):
   * no negation sinking (−a + −b is +0 where −(a + b) is −0) and no x + 0 → x (−0 + 0 is +0).
   */
  readonly exact?: boolean;
}

/** Set while `simplify` runs with `exact`. */
let exact = false;

export function simplify(func: Func, options: SimplifyOptions = {}): Func {
  exact = options.exact ?? false;
  try {
    let body = func.body;
    let result = func.result;
    for (let round = 0; round < 4; round++) {
      if (!exact) body = sinkNegations(func, shareReversedDifferences(body, mutableNames(body)));
      const subst = shapeRewrites({ ...func, body, result }, exact);
      body = foldAndCse(body, subst, new Map(), mutableNames(body));
      result = substitute(result, subst);
      body = eliminateDeadCode(body, result);
    }
    return { ...func, body, result };
  } finally {
    exact = false;
  }
}

// ------------------------------------------------------------------ folding and CSE

type Let = Extract<Stmt, { kind: 'let' }>;

function foldAndCse(stmts: readonly Stmt[], subst: Map<string, Atom>, seen: Map<string, string>, mutable: ReadonlySet<string>): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case 'let': {
        const expr = substituteExpr(s.expr, subst);
        // A variable assigned elsewhere too (a loop's value restored from its tape) is not an alias of this value.
        const folded = mutable.has(s.name) ? undefined : fold(s, expr, mutable);
        if (folded !== undefined) {
          subst.set(s.name, folded);
          continue;
        }
        // Nothing computed from a mutable variable is reused: it may have changed since.
        const readsMutable = exprAtoms(expr).some((a) => a.kind === 'var' && mutable.has(a.name));
        const key = readsMutable ? undefined : cseKey(expr);
        const prior = key !== undefined && !mutable.has(s.name) ? seen.get(key) : undefined;
        if (prior !== undefined) {
          subst.set(s.name, { kind: 'var', name: prior });
          continue;
        }
        if (key !== undefined && !s.mutable) seen.set(key, s.name);
        out.push({ ...s, expr });
        break;
      }
      case 'assign':
        out.push({ ...s, value: substitute(s.value, subst) });
        break;
      case 'if':
        out.push({
          ...s,
          cond: substitute(s.cond, subst),
          then: foldAndCse(s.then, subst, new Map(seen), mutable),
          else: foldAndCse(s.else, subst, new Map(seen), mutable),
        });
        break;
      case 'loop': {
        // Values computed before the loop stay valid inside it; nothing inside leaks out.
        const head = foldAndCse(s.head, subst, new Map(seen), mutable);
        out.push({ ...s, head, cond: substitute(s.cond, subst), body: foldAndCse(s.body, subst, new Map(seen), mutable) });
        break;
      }
      case 'effect':
        out.push({ ...s, expr: substituteExpr(s.expr, subst) });
        break;
      case 'store':
        out.push({ ...s, index: substitute(s.index, subst), value: substitute(s.value, subst) });
        break;
      default:
        out.push(s);
    }
  }
  return out;
}

/** The atom a let reduces to, if it reduces to one. */
function fold(s: Let, e: Expr, mutable: ReadonlySet<string>): Atom | undefined {
  // A copy of a mutable variable is a snapshot of its value at that point: keep it.
  if (e.kind === 'copy') return e.value.kind === 'var' && mutable.has(e.value.name) ? undefined : e.value;
  if (e.kind !== 'prim' || s.ty.kind !== 'number') return undefined;
  const spec = primitiveSpec(e.op);
  if (!spec?.number) return undefined;
  const args = e.args;
  if (args.every((a) => a.kind === 'lit' && typeof a.value === 'number')) {
    return lit(spec.number.fn(...args.map((a) => (a as { value: number }).value)));
  }
  const [a, b] = args;
  const is = (x: Atom | undefined, n: number) => x?.kind === 'lit' && x.value === n;
  switch (e.op) {
    case 'mul':
      if (is(a, 1)) return b;
      if (is(b, 1)) return a;
      break;
    case 'add':
      if (exact) break;
      if (is(a, 0)) return b;
      if (is(b, 0)) return a;
      break;
    case 'sub':
      if (is(b, 0)) return a;
      break;
    case 'div':
      if (is(b, 1)) return a;
      break;
    case 'pow':
      if (is(b, 1)) return a;
      break;
  }
  return undefined;
}

const commutative = new Set(['add', 'mul']);

function cseKey(e: Expr): string | undefined {
  if (e.kind === 'prim') {
    if (e.op === 'randn' || e.op === 'uniform') return undefined;
    const keys = e.args.map(atomKey);
    // a + b and a · b are b + a and b · a exactly (broadcasting and dtype promotion too).
    if (commutative.has(e.op)) keys.sort();
    return `prim:${e.op}(${keys.join(',')})`;
  }
  // A read asserted non-null (`self.l1.bias!`) is not merged with the plain read its null check makes.
  if (e.kind === 'field') return `field${e.slot ? '(slot)' : ''}${e.nonNull ? '!' : ''}:${e.root}.${e.path.join('.')}`;
  return undefined;
}

function atomKey(a: Atom): string {
  return a.kind === 'var' ? `$${a.name}` : JSON.stringify(a.value) ?? 'undefined';
}

function mutableNames(stmts: readonly Stmt[]): Set<string> {
  const names = new Set<string>();
  const visit = (list: readonly Stmt[]) => {
    for (const s of list) {
      if (s.kind === 'declare' || s.kind === 'assign') names.add(s.name);
      for (const block of childBlocks(s)) visit(block);
    }
  };
  visit(stmts);
  return names;
}

function substitute(a: Atom, subst: Map<string, Atom>): Atom {
  let cur = a;
  while (cur.kind === 'var' && subst.has(cur.name)) cur = subst.get(cur.name)!;
  return cur;
}

export function substituteExpr(e: Expr, subst: Map<string, Atom>): Expr {
  const sub = (a: Atom) => substitute(a, subst);
  switch (e.kind) {
    case 'prim':
      return { ...e, args: e.args.map(sub) };
    case 'copy':
      return { ...e, value: sub(e.value) };
    case 'tuple':
      return { ...e, items: e.items.map(sub) };
    case 'index':
      return { ...e, value: sub(e.value) };
    case 'js':
      return { ...e, args: e.args.map(sub) };
    case 'custom':
      return { ...e, callee: sub(e.callee), args: e.args.map(sub), ...(e.weights ? { weights: e.weights.map(sub) } : {}) };
    case 'call':
      return { ...e, args: e.args.map(sub), ...(e.weights ? { weights: e.weights.map(sub) } : {}) };
    case 'elem':
      return { ...e, array: sub(e.array), index: sub(e.index) };
    case 'field':
      return e;
  }
}

// ------------------------------------------------------------------ dead code

function eliminateDeadCode(body: readonly Stmt[], result: Atom): Stmt[] {
  let current = [...body];
  for (;;) {
    const next = prune(current, liveNames(current, result));
    if (count(next) === count(current)) return next;
    current = next;
  }
}

function prune(stmts: readonly Stmt[], used: Set<string>): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if ((s.kind === 'let' || s.kind === 'declare' || s.kind === 'assign') && !used.has(s.name)) continue;
    if (s.kind === 'store' && !used.has(s.array)) continue;
    if (s.kind === 'if') {
      const then = prune(s.then, used);
      const els = prune(s.else, used);
      if (!hasCode(then) && !hasCode(els)) continue;
      out.push({ ...s, then, else: els });
      continue;
    }
    if (s.kind === 'loop') {
      const head = prune(s.head, used);
      const body = prune(s.body, used);
      // A loop known to end goes with its code (liveness.ts then needed nothing in it).
      if (s.finite && !hasCode(head) && !hasCode(body)) continue;
      out.push({ ...s, head, body });
      continue;
    }
    out.push(s);
  }
  return dropOrphanComments(out);
}

/** A comment stays only while code it introduces follows it in the same block. */
function dropOrphanComments(stmts: Stmt[]): Stmt[] {
  return stmts.filter((s, i) => s.kind !== 'comment' || (stmts[i + 1] !== undefined && stmts[i + 1].kind !== 'comment'));
}

function hasCode(stmts: readonly Stmt[]): boolean {
  return stmts.some((s) => s.kind !== 'comment');
}

function count(stmts: readonly Stmt[]): number {
  let n = 0;
  for (const s of stmts) {
    n++;
    for (const block of childBlocks(s)) n += count(block);
  }
  return n;
}

export function exprAtoms(e: Expr): readonly Atom[] {
  switch (e.kind) {
    case 'prim':
      return e.args;
    case 'copy':
      return [e.value];
    case 'tuple':
      return e.items;
    case 'index':
      return [e.value];
    case 'js':
      return e.args;
    case 'custom':
      // Not e.weights: they only say whose gradients bprop returns, nothing reads them.
      return [e.callee, ...e.args];
    case 'call':
      // Not e.weights: the callee reads them itself; they only say what it depends on.
      return e.args;
    case 'elem':
      return [e.array, e.index];
    case 'field':
      return [];
  }
}
