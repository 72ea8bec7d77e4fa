// Whether a function's output is 0-d by construction: a reduction over every axis
// (`ops.sum(x)`, `ops.mean(x)`, `ops.max(x)`), or elementwise arithmetic of such values
// and numbers (`ops.add(ops.sum(a), ops.mul(ops.mean(b), 2))`). hessian leaves out the
// function that an output of several elements needs when its output is 0-d
// (compiler/derivatives.ts). What this cannot see through (a branch, a loop, a mutable
// variable, a call, a reshape) counts as "maybe not 0-d", so a yes is always right.

import { Atom, Func, Stmt, childBlocks } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';

type Let = Extract<Stmt, { kind: 'let' }>;

/** Reductions whose output is 0-d when no axis is given and keepDims is not true. */
const FULL_REDUCTIONS = new Set(['sum', 'mean', 'max', 'min']);

/** True when the output `func` differentiates (with hasAux, item 0 of its tuple result) is 0-d by construction. */
export function zeroDimensionalOutput(func: Func, hasAux: boolean): boolean {
  const lets = new Map<string, Let>();
  const assigned = new Set<string>();
  for (const s of func.body) if (s.kind === 'let' && !s.mutable) lets.set(s.name, s);
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'assign' || s.kind === 'declare') assigned.add(s.name);
      if (s.kind === 'let' && s.mutable) assigned.add(s.name);
      for (const child of childBlocks(s)) visit(child);
    }
  };
  visit(func.body);
  const defOf = (a: Atom): Let | undefined => (a.kind === 'var' && !assigned.has(a.name) ? lets.get(a.name) : undefined);
  let output: Atom | undefined = func.result;
  if (hasAux) {
    const tuple = defOf(func.result)?.expr;
    output = tuple?.kind === 'tuple' ? tuple.items[0] : undefined;
  }
  return output !== undefined && zeroDimensional(output, defOf);
}

/** An immutable variable's definition comes before it, so the walk back ends. */
function zeroDimensional(a: Atom, defOf: (a: Atom) => Let | undefined): boolean {
  if (a.kind === 'lit') return typeof a.value === 'number';
  const def = defOf(a);
  if (!def) return false;
  const e = def.expr;
  if (e.kind === 'copy') return zeroDimensional(e.value, defOf);
  if (e.kind !== 'prim') return false;
  if (FULL_REDUCTIONS.has(e.op)) {
    const [, axis, keepDims] = e.args;
    const literal = (x: Atom | undefined, ...values: unknown[]) => x === undefined || (x.kind === 'lit' && values.includes(x.value));
    return literal(axis, undefined, null) && literal(keepDims, undefined, null, false);
  }
  // An elementwise op: its output has its operand's shape, or the broadcast of its operands'.
  const spec = primitiveSpec(e.op);
  if (!spec?.shape) return false;
  const operands = (typeof spec.shape === 'string' ? [spec.shape] : spec.shape).map((name) => e.args[spec.params.indexOf(name)]);
  return operands.every((x) => x !== undefined && zeroDimensional(x, defOf));
}
