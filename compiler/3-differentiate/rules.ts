// Turns a primitive's derivative rule into IR. The rules live in the runtime, written in
// runtime ops; here they run on symbolic values with a recorder installed, so each op
// they call becomes one IR `let`. The compiler itself knows no derivative.

import { Atom, Stmt, Ty, lit, numberTy, otherTy, tensorTy, v } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { withRecorder } from '../../runtime/ops/primitive.js';

/** A value inside a rule: an IR atom standing for a tensor or a number. */
class Sym {
  constructor(readonly atom: Atom, readonly ty: Ty) {}
}

export class RuleEvaluator {
  constructor(
    private readonly emit: (stmt: Stmt) => void,
    private readonly fresh: () => string,
    private readonly tyOf: (atom: Atom) => Ty,
    /** The items of a tuple variable, for a variadic parameter (concat's `tensors`). */
    private readonly tupleItems: (name: string) => readonly Atom[] | undefined = () => undefined,
  ) {}

  /**
   * For a variadic parameter: one gradient per element of the array argument (undefined
   * entries for elements without one).
   */
  vjpVariadic(op: string, index: number, args: readonly Atom[], out: Atom, dy: Atom): (Atom | undefined)[] | undefined {
    const spec = primitiveSpec(op);
    const param = spec?.params[index];
    const rule = param !== undefined ? spec?.vjp?.[param] : undefined;
    if (!spec || !rule || spec.variadic !== param) return undefined;
    const p = this.ruleArgs(spec.params, args, out);
    const result = withRecorder((o, a) => this.record(o, a), () => rule(p as never, this.sym(dy) as never)) as unknown as unknown[];
    return result.map((g) => (g === undefined || g === null ? undefined : this.toAtom(g)));
  }

  /** True when argument `index` of `op` is its variadic (array) parameter. */
  isVariadic(op: string, index: number): boolean {
    const spec = primitiveSpec(op);
    return spec?.variadic !== undefined && spec.params[index] === spec.variadic;
  }

  /** The gradient flowing to argument `index` of `op(args) = out` from `dy`, or undefined. */
  vjp(op: string, index: number, args: readonly Atom[], out: Atom, dy: Atom): Atom | undefined {
    const spec = primitiveSpec(op);
    if (!spec) throw new Error(`no primitive named ${op}`);
    const param = spec.params[index];
    const rule = spec.vjp?.[param];
    if (!rule) return undefined;
    const p = this.ruleArgs(spec.params, args, out);
    return this.run(() => rule(p as never, this.sym(dy) as never));
  }

  /**
   * The output tangent contributed by argument `index`'s tangent `dx` (for a variadic
   * parameter, one tangent per element of the array).
   */
  jvp(op: string, index: number, args: readonly Atom[], out: Atom, dx: Atom | readonly Atom[]): Atom | undefined {
    const spec = primitiveSpec(op);
    if (!spec) throw new Error(`no primitive named ${op}`);
    const rule = spec.jvp?.[spec.params[index]];
    if (!rule) return undefined;
    const p = this.ruleArgs(spec.params, args, out);
    const tangent = Array.isArray(dx) ? (dx as readonly Atom[]).map((d) => this.sym(d)) : this.sym(dx as Atom);
    return this.run(() => rule(p as never, tangent as never));
  }

  private ruleArgs(params: readonly string[], args: readonly Atom[], out: Atom): Record<string, unknown> {
    const p: Record<string, unknown> = { out: this.sym(out) };
    params.forEach((name, i) => {
      const a = args[i];
      const items = a?.kind === 'var' ? this.tupleItems(a.name) : undefined;
      p[name] = a === undefined ? undefined : a.kind === 'lit' ? a.value : items ? items.map((item) => (item.kind === 'lit' ? item.value : this.sym(item))) : this.sym(a);
    });
    return p;
  }

  private sym(atom: Atom): Sym {
    return new Sym(atom, this.tyOf(atom));
  }

  private run(rule: () => unknown): Atom {
    const result = withRecorder((op, args) => this.record(op, args), rule);
    return this.toAtom(result);
  }

  /** One op application inside a rule → one IR let (numbers fold where both are literal). */
  private record(op: string, args: readonly unknown[]): Sym {
    const spec = primitiveSpec(op);
    if (!spec) throw new Error(`a derivative rule called ${op}, which is not a registered primitive`);
    const atoms = args.map((a) => this.toAtom(a));
    const numeric = spec.number !== undefined && atoms.every((a) => this.isNumberAtom(a));
    if (numeric && atoms.every((a) => a.kind === 'lit')) {
      const value = spec.number!.fn(...atoms.map((a) => (a as { value: number }).value));
      return new Sym(lit(value), numberTy);
    }
    // A number form that is one of its operands or a constant (`$0`, `0`, `1`: sumToLike,
    // zerosLike, onesLike on numbers) is that operand or constant: no statement.
    if (numeric) {
      const m = spec.number!.syntax.match(/^\$(\d)$/);
      if (m) return new Sym(atoms[Number(m[1])], numberTy);
      if (/^-?\d+(\.\d+)?$/.test(spec.number!.syntax)) return new Sym(lit(Number(spec.number!.syntax)), numberTy);
    }
    const ty = numeric ? numberTy : tensorTy;
    const name = this.fresh();
    this.emit({ kind: 'let', name, ty, expr: { kind: 'prim', op, args: atoms } });
    return new Sym(v(name), ty);
  }

  private isNumberAtom(a: Atom): boolean {
    return a.kind === 'lit' ? typeof a.value === 'number' : this.tyOf(a).kind === 'number';
  }

  private toAtom(value: unknown): Atom {
    if (value instanceof Sym) return value.atom;
    if (value === undefined || value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      return lit(value);
    }
    if (Array.isArray(value)) {
      const items = value.map((x) => this.toAtom(x));
      const name = this.fresh();
      this.emit({ kind: 'let', name, ty: otherTy, expr: { kind: 'tuple', items } });
      return v(name);
    }
    throw new Error(`a derivative rule produced a value the compiler cannot represent: ${String(value)}`);
  }
}
