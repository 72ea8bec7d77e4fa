// Reads reused before differentiation. The lowerer gives every read of a mutable variable
// its own copy (`i_3 = i`, `i_4 = i`), and the same element of an array read twice its own
// let (`x[i_3]`, `x[i_4]`). Inside a loop each of those is a value reverse mode must tape,
// one entry per iteration: Rosenbrock over number[] taped `i` three times and `x[i]`
// twice. Here a copy of a mutable variable read again before any assignment to it is the
// first copy, and an element read again before anything could have changed the array is
// the first read. Straight-line runs only: a branch starts from what holds before it, a
// loop from what no statement of the loop assigns, and after either nothing read before
// a statement that might write is reused.

import { Atom, Expr, Func, Stmt, childBlocks } from '../ir/nodes.js';
import { substituteExpr } from './simplify.js';

export function reuseReads(func: Func): Func {
  const assigned = assignedNames(func.body);
  const subst = new Map<string, Atom>();
  const body = reuse(func.body, new Map(), new Map(), subst, assigned);
  const result = func.result.kind === 'var' ? subst.get(func.result.name) ?? func.result : func.result;
  return { ...func, body, result };
}

/** `copies`: mutable name → its copy still valid; `elems`: `array[index]` → the let that read it. */
function reuse(stmts: readonly Stmt[], copies: Map<string, string>, elems: Map<string, string>, subst: Map<string, Atom>, assigned: ReadonlySet<string>): Stmt[] {
  const sub = (a: Atom): Atom => (a.kind === 'var' ? subst.get(a.name) ?? a : a);
  const out: Stmt[] = [];
  for (const s of stmts) {
    switch (s.kind) {
      case 'let': {
        const expr = substituteExpr(s.expr, subst);
        const key = s.mutable ? undefined : readKey(expr, assigned);
        const known = key === undefined ? undefined : key.copy ? copies.get(key.text) : elems.get(key.text);
        if (known !== undefined) {
          subst.set(s.name, { kind: 'var', name: known });
          continue;
        }
        if (key?.copy) copies.set(key.text, s.name);
        else if (key) elems.set(key.text, s.name);
        else if (mayWrite(expr)) elems.clear();
        out.push({ ...s, expr });
        break;
      }
      case 'assign':
        copies.delete(s.name);
        out.push({ ...s, value: sub(s.value) });
        break;
      case 'effect':
        elems.clear();
        out.push({ ...s, expr: substituteExpr(s.expr, subst) });
        break;
      case 'store':
        // A tape written (generated code read back): no earlier read of it holds.
        for (const key of [...elems.keys()]) if (key.startsWith(`${s.array}[`)) elems.delete(key);
        out.push({ ...s, index: sub(s.index), value: sub(s.value) });
        break;
      case 'if': {
        const then = reuse(s.then, new Map(copies), new Map(elems), subst, assigned);
        const otherwise = reuse(s.else, new Map(copies), new Map(elems), subst, assigned);
        out.push({ ...s, cond: sub(s.cond), then, else: otherwise });
        forget(copies, assignedNames([s]));
        elems.clear();
        break;
      }
      case 'loop': {
        const changed = assignedNames([s]);
        forget(copies, changed);
        const head = reuse(s.head, new Map(copies), new Map(), subst, assigned);
        const body = reuse(s.body, new Map(copies), new Map(), subst, assigned);
        out.push({ ...s, head, body, cond: sub(s.cond) });
        elems.clear();
        break;
      }
      default:
        out.push(s);
    }
  }
  return out;
}

/** What a let reads, when reading it again gives the same value until a write. */
function readKey(e: Expr, assigned: ReadonlySet<string>): { text: string; copy: boolean } | undefined {
  if (e.kind === 'copy' && e.value.kind === 'var' && assigned.has(e.value.name)) return { text: e.value.name, copy: true };
  if (e.kind === 'elem' && e.array.kind === 'var' && !assigned.has(e.array.name)) {
    if (e.index.kind === 'var' && assigned.has(e.index.name)) return undefined;
    return { text: `${e.array.name}[${e.index.kind === 'var' ? e.index.name : JSON.stringify(e.index.value)}]`, copy: false };
  }
  return undefined;
}

/** Calls that run JavaScript or user code may change an array (`xs.reverse()`). */
function mayWrite(e: Expr): boolean {
  return e.kind === 'js' || e.kind === 'custom' || e.kind === 'call';
}

function forget(copies: Map<string, string>, names: ReadonlySet<string>): void {
  for (const n of names) copies.delete(n);
}

function assignedNames(stmts: readonly Stmt[], out = new Set<string>()): Set<string> {
  for (const s of stmts) {
    if (s.kind === 'assign') out.add(s.name);
    for (const block of childBlocks(s)) assignedNames(block, out);
  }
  return out;
}
