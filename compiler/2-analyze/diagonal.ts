// Is the Jacobian of a function's output in one input diagonal? It is when every value
// between the input x and the output is computed elementwise (the op's `elementwise`
// flag in its runtime file) from values of x's shape and 0-d scalars, and the output has
// x's shape: then output element i depends on x's element i alone. The gradient Jᵀ·1
// then equals J·1, which forward mode computes (compiler/3-differentiate/grad-forward.ts).
//
// Shapes are known at run time only, but which values share x's shape is known here:
// x has it, an elementwise op of x-shaped values and scalars has it, onesLike(v) has v's.
// A value whose shape is unknown (a captured tensor, a weight, a reduction) may
// broadcast x to a larger shape, so one that meets a value computed from x refuses.

import { Atom, Func, Stmt, childBlocks } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { analyzeActivity } from './activity.js';

/**
 * A value's shape as far as the analysis knows it: x's shape, 0-d, one of those two
 * (a variable assigned both), or anything else (`other`, never combined with x).
 */
type ShapeClass = 'x' | 'scalar' | 'x-or-scalar' | 'other' | 'tuple';

/** True when `output`, in `func`, has x's shape and a diagonal Jacobian in `func.params[position]`. */
export function diagonalIn(func: Func, position: number, output: string): boolean {
  if (func.functions?.length) return false;
  const x = func.params[position].name;
  // Only values on a path from x to the output count (an aux output may reduce x).
  const activity = analyzeActivity(func, [x], [output]);
  const active = new Set([...activity.varied].filter((name) => activity.isActive(name)));
  const classes = new Map<string, ShapeClass>([[x, 'x']]);
  for (const p of func.params) if (p.name !== x && p.ty.kind === 'number') classes.set(p.name, 'scalar');
  const tupleItems = new Map<string, readonly Atom[]>();
  // Mutable variables take the join of what is assigned to them: walk until nothing changes.
  for (let pass = 0; pass < 32; pass++) {
    const walk = new Walk(classes, tupleItems, active);
    walk.block(func.body);
    if (!walk.changed) return !walk.refused && active.has(output) && classes.get(output) === 'x';
  }
  return false;
}

class Walk {
  changed = false;
  refused = false;

  constructor(
    private readonly classes: Map<string, ShapeClass>,
    private readonly tupleItems: Map<string, readonly Atom[]>,
    /** The values computed from x that the output is computed from. */
    private readonly active: ReadonlySet<string>,
  ) {}

  block(stmts: readonly Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.kind) {
      case 'let':
        if (s.expr.kind === 'tuple') this.tupleItems.set(s.name, s.expr.items);
        return this.set(s.name, this.active.has(s.name) ? this.activeClass(s) : this.constantClass(s));
      case 'assign':
        return this.set(s.name, this.classOf(s.value));
      case 'store':
        if (s.value.kind === 'var' && this.active.has(s.value.name)) this.refused = true;
        return;
      default:
        for (const child of childBlocks(s)) this.block(child);
    }
  }

  /** Joins `c` into the variable's class (a mutable variable is assigned more than once). */
  private set(name: string, c: ShapeClass): void {
    const before = this.classes.get(name);
    const after = before === undefined ? c : join(before, c);
    if (after !== before) {
      this.classes.set(name, after);
      this.changed = true;
    }
  }

  private classOf(a: Atom): ShapeClass {
    if (a.kind === 'lit') return typeof a.value === 'number' ? 'scalar' : 'other';
    return this.classes.get(a.name) ?? 'other';
  }

  /** A value between x and the output: only elementwise ops of x-shaped values and scalars keep the Jacobian diagonal. */
  private activeClass(s: Extract<Stmt, { kind: 'let' }>): ShapeClass {
    const e = s.expr;
    switch (e.kind) {
      case 'copy':
        return this.classOf(e.value);
      case 'tuple':
        return 'tuple';
      case 'index': {
        const items = e.value.kind === 'var' ? this.tupleItems.get(e.value.name) : undefined;
        return items?.[e.index] ? this.classOf(items[e.index]) : this.refuse();
      }
      case 'prim': {
        const spec = primitiveSpec(e.op);
        if (e.op === 'sumToLike' || e.op === 'broadcastLike') {
          // The identity when the value already has the target's shape (shapes.ts removes it).
          return this.classOf(e.args[0]) === 'x' && this.classOf(e.args[1]) === 'x' ? 'x' : this.refuse();
        }
        if (!spec?.elementwise) return this.refuse();
        const operands = broadcastOperands(spec.shape, spec.params, e.args);
        const result = broadcastClass(operands.map((a) => this.classOf(a)));
        return result === 'other' ? this.refuse() : result;
      }
      default:
        return this.refuse();
    }
  }

  /** A value off the path from x to the output: its shape class, where its op says whose shape it has. */
  private constantClass(s: Extract<Stmt, { kind: 'let' }>): ShapeClass {
    if (s.ty.kind === 'number') return 'scalar';
    const e = s.expr;
    if (e.kind === 'copy') return this.classOf(e.value);
    if (e.kind === 'tuple') return 'tuple';
    if (e.kind !== 'prim') return 'other';
    const spec = primitiveSpec(e.op);
    if (!spec?.shape) return 'other';
    return broadcastClass(broadcastOperands(spec.shape, spec.params, e.args).map((a) => this.classOf(a)));
  }

  private refuse(): ShapeClass {
    this.refused = true;
    return 'other';
  }
}

/** The operands whose broadcast shape the output has (spec.shape: one parameter name or a list). */
function broadcastOperands(shape: string | readonly string[] | undefined, params: readonly string[], args: readonly Atom[]): Atom[] {
  const names = shape === undefined ? params : typeof shape === 'string' ? [shape] : shape;
  return names.map((n) => args[params.indexOf(n)]).filter((a): a is Atom => a !== undefined);
}

/** The class of a broadcast of operands of these classes. */
function broadcastClass(classes: readonly ShapeClass[]): ShapeClass {
  if (classes.some((c) => c === 'other' || c === 'tuple')) return 'other';
  if (classes.includes('x')) return 'x';
  return classes.includes('x-or-scalar') ? 'x-or-scalar' : 'scalar';
}

function join(a: ShapeClass, b: ShapeClass): ShapeClass {
  if (a === b) return a;
  if (a === 'other' || b === 'other' || a === 'tuple' || b === 'tuple') return 'other';
  return 'x-or-scalar';
}
