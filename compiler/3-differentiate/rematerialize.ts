// Rematerialization: which of the values a loop's backward sweep reads it recomputes
// instead of taping. Reverse mode restores, at the top of each backward iteration, every
// value the adjoint of the loop body reads (compiler/3-differentiate/reverse.ts). A tape
// costs a store in the forward sweep and a load in the backward one, and it keeps the
// forward sweep computing values that only the backward sweep needs. Rosenbrock over a
// number[] taped six values per iteration (i, i+1, x[i], a, b, 100·a); here only `i` is
// taped and the rest is recomputed from it.
//
// Why a recomputed value equals the forward one, by construction:
// - Only a `let` at the top level of the loop body is recomputed. The lowerer puts no
//   statement after a `break` in its block, so every top-level let of an iteration the
//   backward sweep replays ran in the forward sweep, exactly once.
// - Its expression is pure and cheap: a copy, a number primitive whose number form is one
//   JavaScript operator (the registry's `syntax`, no call, no `**`), or an element read.
// - Each operand holds, at the top of the backward iteration, the value it had when the
//   forward sweep ran the let: a literal; a value defined outside the loop that is never
//   reassigned (a parameter or an immutable let: the same value for the whole call; one
//   defined in an enclosing loop is restored by that loop's backward sweep); or a value
//   of the same iteration that is itself restored first, from a tape or by recomputation.
//   A snapshot of a loop-carried variable (`i_2 = i`, `s_1 = s`) copies a mutable value
//   that has changed by then, so it is never recomputed: it is taped.
// - An element read recomputes only from an array that nothing writes: a parameter never
//   reassigned whose every use is an element read or a `.length` read (user code cannot
//   write a number[]; generated tapes read back for a higher order are written by `store`
//   and so stay taped).
// - A snapshot of a loop counter is recomputed from the iteration number when the counter
//   is an affine induction variable: set to an integer literal `init` just before the loop
//   (nothing between assigns it), assigned exactly once in the whole loop, at the top
//   level of the body, to `snapshot ± step` (an integer literal), the snapshot read at the
//   top level before that assignment. Iteration k (0-based) then reads init + k·step: the
//   assignment ran once in each earlier iteration (an iteration that breaks has no
//   successor). Both literals are at most 2^20 in size, so every value up to 2^32
//   iterations is an integer below 2^53: the closed form is exact, like the sums.

import { Atom, Func, Param, Stmt, Ty, childBlocks, lit } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { exprAtoms, substituteExpr } from '../4-simplify/simplify.js';

type Let = Extract<Stmt, { kind: 'let' }>;

/** What holds for the whole function: which names never change, which arrays nothing writes. */
export interface FunctionFacts {
  /** Parameters and lets that are never assigned: one value for the whole call. */
  readonly immutable: ReadonlySet<string>;
  /** number[] parameters only ever read element by element or for their length. */
  readonly readOnlyArrays: ReadonlySet<string>;
}

export function functionFacts(func: Func): FunctionFacts {
  const assigned = new Set<string>();
  const lets = new Set<string>();
  const otherUses = new Set<string>();
  visit(func.body, (s) => {
    if (s.kind === 'assign' || s.kind === 'declare') assigned.add(s.name);
    if (s.kind === 'let' && !s.mutable) lets.add(s.name);
    if (s.kind === 'store') otherUses.add(s.array);
    for (const a of otherArrayUses(s)) otherUses.add(a);
  });
  if (func.result.kind === 'var') otherUses.add(func.result.name);
  const immutable = new Set([...func.params.map((p: Param) => p.name), ...lets].filter((n) => !assigned.has(n)));
  const readOnlyArrays = new Set(func.params.filter((p) => p.ty.kind === 'numbers' && immutable.has(p.name) && !otherUses.has(p.name)).map((p) => p.name));
  return { immutable, readOnlyArrays };
}

/** Names a statement uses other than as the array of an element read or for its length. */
function otherArrayUses(s: Stmt): string[] {
  const names = (atoms: readonly Atom[]) => atoms.flatMap((a) => (a.kind === 'var' ? [a.name] : []));
  switch (s.kind) {
    case 'let':
    case 'effect': {
      const e = s.expr;
      if (e.kind === 'elem') return names([e.index]);
      if (e.kind === 'js') return names(e.args.filter((_, k) => !readsLengthOnly(e.template, k)));
      return names(exprAtoms(e));
    }
    case 'assign':
      return names([s.value]);
    case 'store':
      return names([s.index, s.value]);
    default:
      return [];
  }
}

/** True when a js template uses operand k only as `$k.length`, and never assigns it. */
function readsLengthOnly(template: string, k: number): boolean {
  const uses = [...template.matchAll(new RegExp(`\\$${k}(?![0-9])(\\.length)?(\\s*=(?!=))?`, 'g'))];
  return uses.every((m) => m[1] !== undefined && m[2] === undefined);
}

/** A loop counter whose value in iteration k is `init + k·step` until it is assigned. */
export interface Induction {
  readonly init: number;
  readonly step: number;
  /** Where in the body the one assignment is: snapshots before it read init + k·step. */
  readonly assignedAt: number;
}

const LITERAL_BOUND = 2 ** 20;

/**
 * The loop's affine induction variables. `before` is what runs before the loop in its
 * block, nearest last.
 */
export function inductionVariables(loop: Extract<Stmt, { kind: 'loop' }>, before: readonly Stmt[]): Map<string, Induction> {
  const assigns = new Map<string, number>();
  visit([...loop.head, ...loop.body], (x) => {
    if (x.kind === 'assign' || x.kind === 'declare') assigns.set(x.name, (assigns.get(x.name) ?? 0) + 1);
  });
  const top = new Map<string, { stmt: Let; at: number }>();
  loop.body.forEach((x, at) => {
    if (x.kind === 'let') top.set(x.name, { stmt: x, at });
  });
  const out = new Map<string, Induction>();
  loop.body.forEach((x, at) => {
    if (x.kind !== 'assign' || assigns.get(x.name) !== 1 || x.value.kind !== 'var') return;
    const counter = x.name;
    const update = top.get(x.value.name);
    if (!update || update.at > at || update.stmt.expr.kind !== 'prim') return;
    const { op, args } = update.stmt.expr;
    const isSnapshot = (a: Atom) => {
      const d = a.kind === 'var' ? top.get(a.name) : undefined;
      return d !== undefined && d.at < at && d.stmt.expr.kind === 'copy' && d.stmt.expr.value.kind === 'var' && d.stmt.expr.value.name === counter;
    };
    const literal = (a: Atom) => (a.kind === 'lit' && typeof a.value === 'number' && Number.isInteger(a.value) && Math.abs(a.value) <= LITERAL_BOUND ? a.value : undefined);
    let step: number | undefined;
    if (op === 'add' && args.length === 2) step = isSnapshot(args[0]) ? literal(args[1]) : isSnapshot(args[1]) ? literal(args[0]) : undefined;
    if (op === 'sub' && args.length === 2 && isSnapshot(args[0])) step = -(literal(args[1]) ?? NaN);
    const init = initialValue(counter, before);
    if (step === undefined || Number.isNaN(step) || init === undefined) return;
    out.set(counter, { init, step, assignedAt: at });
  });
  return out;
}

/** The integer literal `name` holds after `before` runs, if the last statement to set it says so. */
function initialValue(name: string, before: readonly Stmt[]): number | undefined {
  for (let k = before.length - 1; k >= 0; k--) {
    const x = before[k];
    if (x.kind === 'assign' && x.name === name) {
      const a = x.value;
      return a.kind === 'lit' && typeof a.value === 'number' && Number.isInteger(a.value) && Math.abs(a.value) <= LITERAL_BOUND ? a.value : undefined;
    }
    let touches = false;
    visit([x], (y) => {
      if ((y.kind === 'assign' || y.kind === 'declare') && y.name === name) touches = true;
    });
    if (touches) return undefined;
  }
  return undefined;
}

/** How a loop's backward sweep restores what it reads. */
export interface RestorePlan {
  /** Values read back from a tape, by their own names (in the forward sweep's order). */
  readonly taped: readonly string[];
  /** Recomputations, in order, under fresh names; they read taped values by their own names. */
  readonly recompute: readonly Let[];
  /** Each recomputed value's fresh name, for the backward body's reads. */
  readonly renamed: ReadonlyMap<string, Atom>;
}

/**
 * Decides, for each name the backward sweep of a loop reads (`needed`, all defined in the
 * loop), whether to tape it or recompute it. `body` is the loop body as the forward sweep
 * runs it; `inLoop` every name the loop defines (head and nested blocks too).
 */
export function planRestore(
  body: readonly Stmt[],
  needed: readonly string[],
  inLoop: ReadonlySet<string>,
  facts: FunctionFacts,
  counters: { readonly induction: ReadonlyMap<string, Induction>; readonly iteration: Atom },
  typeOf: (name: string) => Ty | undefined,
  fresh: (base: string) => string,
): RestorePlan {
  const top = new Map<string, { stmt: Let; at: number }>();
  body.forEach((s, at) => {
    if (s.kind === 'let' && !s.mutable) top.set(s.name, { stmt: s, at });
  });
  const invariant = (name: string) => !inLoop.has(name) && facts.immutable.has(name);
  // A snapshot of an induction variable taken before its assignment: init + k·step.
  const counted = (name: string): Induction | undefined => {
    const def = top.get(name);
    const e = def?.stmt.expr;
    if (!def || e?.kind !== 'copy' || e.value.kind !== 'var') return undefined;
    const ind = counters.induction.get(e.value.name);
    return ind && def.at < ind.assignedAt ? ind : undefined;
  };

  // The tapes recomputing `name` needs (itself when it cannot be recomputed); undefined
  // when an operand can be neither taped nor recomputed (a value of the loop head).
  const leavesMemo = new Map<string, Set<string> | undefined>();
  const leaves = (name: string): Set<string> | undefined => {
    if (leavesMemo.has(name)) return leavesMemo.get(name);
    leavesMemo.set(name, undefined);
    let out: Set<string> | undefined;
    const def = top.get(name);
    if (counted(name)) out = new Set();
    else if (def && isPureCheap(def.stmt, facts, invariant, typeOf)) {
      out = new Set();
      for (const a of exprAtoms(def.stmt.expr)) {
        if (a.kind !== 'var' || invariant(a.name)) continue;
        const sub = inLoop.has(a.name) ? leaves(a.name) ?? (tapeable(a.name) ? new Set([a.name]) : undefined) : undefined;
        if (!sub) {
          out = undefined;
          break;
        }
        for (const n of sub) out.add(n);
      }
    }
    leavesMemo.set(name, out);
    return out;
  };
  // A tape holds a value as of its one definition: a let of the forward body, never a
  // variable assigned more than once in an iteration.
  const tapeable = (name: string) => facts.immutable.has(name) && isDefinedIn(body, name);

  const order = (n: string) => top.get(n)?.at ?? -1;
  const taped = new Set<string>();
  const recomputed = new Set<string>();
  for (const name of [...needed].sort((a, b) => order(a) - order(b) || (a < b ? -1 : 1))) {
    const ls = leaves(name);
    // Recompute when it costs at most one more tape than what is taped already.
    if (!ls || [...ls].filter((n) => !taped.has(n)).length > 1) {
      taped.add(name);
      continue;
    }
    for (const n of ls) taped.add(n);
    markRecomputed(name, top, taped, recomputed);
  }
  // A value taped for one reader and recomputed for none stays taped only.
  for (const n of taped) recomputed.delete(n);

  const renamed = new Map<string, Atom>();
  const recompute: Let[] = [];
  for (const name of [...recomputed].sort((a, b) => order(a) - order(b))) {
    const stmt = top.get(name)!.stmt;
    const again = fresh(`${name}_re`);
    const ind = counted(name);
    if (ind) {
      // init + k·step (the simplifier folds a step of 1 and an init of 0).
      const scaled = fresh(`${name}_steps`);
      recompute.push({ kind: 'let', name: scaled, ty: stmt.ty, expr: { kind: 'prim', op: 'mul', args: [counters.iteration, lit(ind.step)] }, loc: stmt.loc });
      recompute.push({ ...stmt, name: again, expr: { kind: 'prim', op: 'add', args: [{ kind: 'var', name: scaled }, lit(ind.init)] } });
    } else recompute.push({ ...stmt, name: again, expr: substituteExpr(stmt.expr, renamed) });
    renamed.set(name, { kind: 'var', name: again });
  }
  return { taped: [...taped].sort(), recompute, renamed };
}

function markRecomputed(name: string, top: Map<string, { stmt: Let }>, taped: Set<string>, recomputed: Set<string>): void {
  if (taped.has(name) || recomputed.has(name)) return;
  recomputed.add(name);
  for (const a of exprAtoms(top.get(name)!.stmt.expr)) if (a.kind === 'var' && top.has(a.name)) markRecomputed(a.name, top, taped, recomputed);
}

/** A copy, a one-operator number primitive, or an element read of a read-only array. */
function isPureCheap(s: Let, facts: FunctionFacts, invariant: (name: string) => boolean, typeOf: (name: string) => Ty | undefined): boolean {
  if (s.ty.kind !== 'number') return false;
  const e = s.expr;
  const isNumber = (a: Atom) => (a.kind === 'lit' ? typeof a.value === 'number' : typeOf(a.name)?.kind === 'number');
  switch (e.kind) {
    case 'copy':
      return isNumber(e.value);
    case 'prim': {
      const syntax = primitiveSpec(e.op)?.number?.syntax;
      return syntax !== undefined && !/[A-Za-z_]\s*\(|\*\*/.test(syntax) && e.args.every(isNumber);
    }
    case 'elem':
      return e.array.kind === 'var' && invariant(e.array.name) && facts.readOnlyArrays.has(e.array.name) && isNumber(e.index);
    default:
      return false;
  }
}

function isDefinedIn(stmts: readonly Stmt[], name: string): boolean {
  let found = false;
  visit(stmts, (s) => {
    if ((s.kind === 'let' || s.kind === 'declare') && s.name === name) found = true;
  });
  return found;
}

/** The statements with every read of a name in `subst` reading its replacement instead. */
export function renameReads(stmts: readonly Stmt[], subst: ReadonlyMap<string, Atom>): Stmt[] {
  if (subst.size === 0) return [...stmts];
  const map = new Map(subst);
  const atom = (a: Atom): Atom => (a.kind === 'var' ? map.get(a.name) ?? a : a);
  const rename = (list: readonly Stmt[]): Stmt[] =>
    list.map((s): Stmt => {
      switch (s.kind) {
        case 'let':
        case 'effect':
          return { ...s, expr: substituteExpr(s.expr, map) };
        case 'assign':
          return { ...s, value: atom(s.value) };
        case 'store':
          return { ...s, index: atom(s.index), value: atom(s.value) };
        case 'if':
          return { ...s, cond: atom(s.cond), then: rename(s.then), else: rename(s.else) };
        case 'loop':
          return { ...s, cond: atom(s.cond), head: rename(s.head), body: rename(s.body) };
        default:
          return s;
      }
    });
  return rename(stmts);
}

function visit(stmts: readonly Stmt[], f: (s: Stmt) => void): void {
  for (const s of stmts) {
    f(s);
    for (const block of childBlocks(s)) visit(block, f);
  }
}
