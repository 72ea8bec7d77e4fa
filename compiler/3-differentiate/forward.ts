// Forward mode on the IR. The result runs the primal statements unchanged and, right
// after each one, the statements of its tangent: each primitive's JVP rule (from the
// runtime registry, evaluated on symbolic values) applied to every input that carries a
// tangent, the contributions summed. `if` and loops are mirrored in place; a mutable
// variable that carries a tangent gets a mutable tangent beside it, assigned wherever it
// is, so tangents of loop-carried values are loop-carried too (no tape of its own). In
// generated reverse code read back (jvp or hessian of a gradient through a loop), each
// tape of the forward sweep gets a tangent tape beside it, stored where it is stored and
// read where it is read, so the backward sweep's tangents see each iteration's. Only values
// that depend on an input with a tangent get one (activity); a primitive that has a
// reverse rule but no forward rule is an error, never a silent zero.

import path from 'node:path';
import { analyzeActivity, exhaustive } from '../2-analyze/activity.js';
import { Atom, Func, Loc, Param, Stmt, Ty, lastComment, lit, numberTy, tensorTy, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { RuleEvaluator } from './rules.js';
import { scan } from './reverse.js';
import { differentiateForwardRecursive, loneTangent } from './recursion.js';

export interface ForwardRequest {
  /** Indices into `func.params` of the inputs that receive a tangent parameter. */
  readonly positions: readonly number[];
  /** Names new statements from this namer (code spliced into a function being lowered: forward-inline.ts). */
  readonly namer?: Namer;
  /**
   * The result is differentiated again in reverse mode (forward-inline.ts): a mutable
   * tangent is read through a copy, as the lowerer reads a mutable variable, so that
   * reverse mode, which tapes what a loop body defines, sees each iteration's tangent.
   */
  readonly reversedNext?: boolean;
  /** Names (making it) the tangent function of a recursive function the code calls (forward-inline.ts). */
  readonly tangentFunctions?: TangentSource;
  /** What the comments above each line's tangent say it is: `jvp` (the default), or `grad` (grad-forward.ts). */
  readonly derivative?: 'jvp' | 'grad';
}

export interface ForwardResult {
  /** `(…params, …tangents) => [output, outputTangent]`; a tuple output has a tuple tangent. */
  readonly func: Func;
  /** The tangent parameters' names, one per requested position. */
  readonly tangentParams: readonly string[];
}

/** Thrown when forward mode meets something it cannot differentiate (the pipeline turns it into TSG3010). */
export class ForwardModeError extends Error {
  override name = 'ForwardModeError';
}

/** Names (making it if needed) the tangent function of a recursive function for the positions that carry tangents. */
export type TangentSource = (fn: string, positions: readonly number[]) => string;

/**
 * Differentiates `func` in forward mode; the recursive functions it calls (in
 * `func.functions`) get the derivative's name first, and tangent functions (recursion.ts).
 */
export function differentiateForward(func: Func, request: ForwardRequest, name: string): ForwardResult {
  if (!func.functions?.length) return new Forward(func, request, request.tangentFunctions).run(name);
  return differentiateForwardRecursive(func, request, name, (f, r, n, tangents) => new Forward(f, r, tangents).run(n));
}

/**
 * Tangent functions of the recursive functions in `helpers`, made on demand into `sink`,
 * for forward mode spliced into code that is reversed next (forward-inline.ts): they read
 * mutable tangents through copies too, and are left unsimplified, as lowered code is.
 */
export function tangentFunctionsInto(helpers: readonly Func[], fresh: (base: string) => string, sink: Func[]): TangentSource {
  const made = new Map<string, string>();
  const source: TangentSource = (fn, positions) => {
    const key = `${fn}(${positions.join(',')})`;
    const known = made.get(key);
    if (known !== undefined) return known;
    const helper = helpers.find((h) => h.name === fn);
    if (!helper) throw new Error(`tsgrad: no recursive function named ${fn}`);
    const name = fresh(`${fn}_tangent_${positions.join('_')}`);
    made.set(key, name);
    const result = new Forward(helper, { positions, reversedNext: true }, source).run(name).func;
    sink.push(loneTangent(result, name, helper, positions));
    return name;
  };
  return source;
}

class Forward {
  private readonly namer: Namer;
  private readonly types = new Map<string, Ty>();
  /** Tangent of an immutable variable. */
  private readonly tangents = new Map<string, Atom>();
  /** Mutable variable → its mutable tangent variable. */
  private readonly mutableTangents = new Map<string, string>();
  /** Tuple variable → tangent per item (undefined: zero). */
  private readonly tupleTangents = new Map<string, (Atom | undefined)[]>();
  private readonly tupleItems = new Map<string, readonly Atom[]>();
  /** A loop's tape (a run-time array of generated code read back) → its tangent tape. */
  private readonly tapeTangents = new Map<string, string>();
  private varied!: ReadonlySet<string>;
  /** The source line whose tangent is being emitted. */
  private currentLoc: Loc | undefined;
  private block: Stmt[] = [];
  private readonly rules: RuleEvaluator;

  constructor(
    private readonly func: Func,
    private readonly request: ForwardRequest,
    private readonly tangentFunctions?: TangentSource,
  ) {
    const names: string[] = [...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)];
    for (const p of func.params) this.types.set(p.name, p.ty);
    scan(func.body, (s) => {
      if (s.kind === 'let' || s.kind === 'declare') {
        names.push(s.name);
        this.types.set(s.name, s.ty);
        if (s.kind === 'let' && s.expr.kind === 'tuple') this.tupleItems.set(s.name, s.expr.items);
      }
    });
    this.namer = request.namer ?? new Namer(names);
    this.rules = new RuleEvaluator(
      (stmt) => {
        if (stmt.kind === 'let') this.types.set(stmt.name, stmt.ty);
        // Statements a rule emits belong to the source line being differentiated.
        this.block.push(stmt.kind === 'let' && !stmt.loc ? { ...stmt, loc: this.currentLoc } : stmt);
      },
      () => this.namer.tmp(),
      (atom) => this.tyOf(atom),
    );
  }

  run(name: string): ForwardResult {
    const { func } = this;
    const inputs = this.request.positions.map((p) => func.params[p]);
    this.varied = analyzeActivity(func, inputs.map((p) => p.name), []).varied;
    const tangentParams: Param[] = inputs.map((p) => {
      const dname = this.namer.fresh(`d_${p.name}`);
      this.types.set(dname, p.ty);
      this.tangents.set(p.name, v(dname));
      return { name: dname, ty: p.ty, tsType: p.tsType };
    });
    const body: Stmt[] = [];
    this.block = body;
    this.forwardBlock(func.body);
    const outTangent = this.resultTangent(func.result);
    const resultName = this.namer.fresh('jvps');
    const resultTy: Ty = { kind: 'tuple', items: [func.resultTy, this.tyOf(outTangent)] };
    body.push({ kind: 'let', name: resultName, ty: resultTy, expr: { kind: 'tuple', items: [func.result, outTangent] } });
    return {
      func: { ...func, name, params: [...func.params, ...tangentParams], body, result: v(resultName), resultTy },
      tangentParams: tangentParams.map((p) => p.name),
    };
  }

  /**
   * The tangent of the function's result: a tuple result gets a tuple of tangents, item by
   * item, and a tuple inside it one of its own (`[[loss, ...aux], ...gradients]` of a
   * gradient with hasAux read back).
   */
  private resultTangent(result: Atom): Atom {
    if (result.kind === 'var' && this.tupleItems.has(result.name)) {
      const items = this.tupleItems.get(result.name)!;
      const ds = this.tupleTangents.get(result.name) ?? [];
      const atoms = items.map((item, i) => ds[i] ?? (item.kind === 'var' && this.tupleItems.has(item.name) ? this.resultTangent(item) : this.zeroTangent(item)));
      const name = this.namer.fresh(`d_${result.name}`);
      const ty: Ty = { kind: 'tuple', items: atoms.map((a) => this.tyOf(a)) };
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'tuple', items: atoms } });
      this.types.set(name, ty);
      return v(name);
    }
    return this.tangentOf(result) ?? this.zeroTangent(result);
  }

  // ------------------------------------------------------------------ the forward sweep

  private forwardBlock(stmts: readonly Stmt[]): void {
    for (const s of stmts) this.forwardStmt(s);
  }

  private nested(stmts: readonly Stmt[]): Stmt[] {
    const saved = this.block;
    const out: Stmt[] = [];
    this.block = out;
    try {
      this.forwardBlock(stmts);
    } finally {
      this.block = saved;
    }
    return out;
  }

  private forwardStmt(s: Stmt): void {
    switch (s.kind) {
      case 'let':
        this.block.push(s);
        return this.tangentLet(s);
      case 'declare':
        this.block.push(s);
        // A variable assigned on some paths only has a tangent assigned on the same paths.
        if (this.carriesTangent(s.name, s.ty)) this.declareTangent(s.name, s.ty, s.partial);
        return;
      case 'assign': {
        this.block.push(s);
        const dname = this.mutableTangents.get(s.name);
        if (dname) this.block.push({ kind: 'assign', name: dname, value: this.tangentOf(s.value) ?? this.zeroTangent(s.value) });
        return;
      }
      case 'if':
        this.block.push({ ...s, then: this.nested(s.then), else: this.nested(s.else) });
        return;
      case 'loop':
        this.block.push({ ...s, head: this.nested(s.head), body: this.nested(s.body) });
        return;
      case 'store': {
        // A tape of generated loop code: its tangent tape gets the value's tangent at the same index.
        this.block.push(s);
        const tape = this.tapeTangents.get(s.array);
        if (tape) this.block.push({ kind: 'store', array: tape, index: s.index, value: this.tangentOf(s.value) ?? this.zeroTangent(s.value), loc: s.loc });
        return;
      }
      case 'effect': {
        this.block.push(s);
        // A tape sized to its loop's iterations (holes included): its tangent tape is sized alike.
        const e = s.expr;
        if (e.kind !== 'js' || e.template !== '$0.length = $1' || e.args[0].kind !== 'var') return;
        const tape = this.tapeTangents.get(e.args[0].name);
        if (tape) this.block.push({ ...s, expr: { ...e, args: [v(tape), ...e.args.slice(1)] } });
        return;
      }
      case 'break':
      case 'continue':
      case 'comment':
        this.block.push(s);
        return;
      default:
        exhaustive(s);
    }
  }

  private carriesTangent(name: string, ty: Ty): boolean {
    return this.varied.has(name) && (ty.kind === 'tensor' || ty.kind === 'number');
  }

  /** The tangent of `s = copy(value)`: a mutable tangent's value now, in a variable of its own. */
  private snapshotTangent(s: Extract<Stmt, { kind: 'let' }>, value: Atom): Atom | undefined {
    const mutable = value.kind === 'var' ? this.mutableTangents.get(value.name) : undefined;
    if (mutable === undefined) return this.tangentOf(value);
    const name = this.namer.fresh(`d_${s.name}`);
    this.block.push({ kind: 'let', name, ty: s.ty, expr: { kind: 'copy', value: v(mutable) }, loc: s.loc });
    this.types.set(name, s.ty);
    return v(name);
  }

  private declareTangent(name: string, ty: Ty, partial?: boolean): string {
    const dname = this.namer.fresh(`d_${name}`);
    this.block.push({ kind: 'declare', name: dname, ty, ...(partial ? { partial } : {}) });
    this.types.set(dname, ty);
    this.mutableTangents.set(name, dname);
    return dname;
  }

  private tangentLet(s: Extract<Stmt, { kind: 'let' }>): void {
    const e = s.expr;
    this.currentLoc = s.loc;
    if (!this.varied.has(s.name)) {
      if (s.mutable && this.carriesTangent(s.name, s.ty)) this.declareTangent(s.name, s.ty);
      return;
    }
    let d: Atom | undefined;
    switch (e.kind) {
      case 'prim':
        d = this.primTangent(s, e.op, e.args);
        break;
      case 'copy':
        d = this.request.reversedNext ? this.snapshotTangent(s, e.value) : this.tangentOf(e.value);
        break;
      case 'tuple':
        this.tupleTangents.set(s.name, e.items.map((item) => this.tangentOf(item)));
        return;
      case 'index':
        d = e.value.kind === 'var' ? this.tupleTangents.get(e.value.name)?.[e.index] : undefined;
        break;
      case 'field':
        break;
      case 'js':
        if (s.ty.kind === 'tensors' || s.ty.kind === 'numbers') return this.tangentTape(s);
        break;
      case 'elem': {
        const tape = e.array.kind === 'var' ? this.tapeTangents.get(e.array.name) : undefined;
        if (tape) {
          const read = this.namer.fresh(`d_${s.name}`);
          this.block.push({ kind: 'let', name: read, ty: s.ty, expr: { kind: 'elem', array: v(tape), index: e.index }, loc: s.loc });
          this.types.set(read, s.ty);
          d = v(read);
        } else if (this.tangentOf(e.array) !== undefined) {
          throw new Error('tsgrad: forward mode over number[] inputs is not supported yet; use a Tensor');
        }
        break;
      }
      case 'custom':
        // A hand-written rule gives a VJP only; a tangent cannot pass through it.
        if (e.args.some((a) => this.tangentOf(a) !== undefined)) {
          throw new ForwardModeError(`forward mode cannot pass through a call with a custom rule (bprop/customVjp) at ${s.loc ? `${path.basename(s.loc.file)}:${s.loc.line}` : s.name}`);
        }
        break;
      case 'call':
        d = this.callTangent(s, e.fn, e.args);
        break;
      default:
        exhaustive(e);
    }
    if (s.mutable && (s.ty.kind === 'tensor' || s.ty.kind === 'number')) {
      const dname = this.declareTangent(s.name, s.ty);
      this.block.push({ kind: 'assign', name: dname, value: d ?? this.zeroTangent(v(s.name)) });
      return;
    }
    if (d) this.tangents.set(s.name, d);
  }

  /**
   * A loop's tape in generated code read back (`([] as Tensor[])`, `zerosTape(tape)`, …)
   * that holds values with tangents: a tangent tape beside it, made the same way (empty,
   * or zeros where the tape's adjoint starts at zeros). Stores write both, reads read both.
   */
  private tangentTape(s: Extract<Stmt, { kind: 'let' }>): void {
    const name = this.namer.fresh(`d_${s.name}`);
    this.block.push({ kind: 'let', name, ty: s.ty, expr: s.expr, loc: s.loc });
    this.types.set(name, s.ty);
    this.tapeTangents.set(s.name, name);
  }

  /**
   * A recursive call: its tangent is its tangent function's result, called with the call's
   * arguments and the tangents of those that carry one (no tape: it recomputes the primal).
   */
  private callTangent(s: Extract<Stmt, { kind: 'let' }>, fn: string, args: readonly Atom[]): Atom | undefined {
    const positions = args.flatMap((a, i) => (this.tangentOf(a) !== undefined ? [i] : []));
    if (positions.length === 0) return undefined;
    const at = s.loc ? `${path.basename(s.loc.file)}:${s.loc.line}` : s.name;
    if (!this.tangentFunctions && this.request.reversedNext) {
      // Spliced into differentiated code there are no tangent functions to call (forward-inline.ts).
      throw new ForwardModeError(`jvp inside differentiated code cannot pass through a recursive call at ${at}; take the jvp outside it (jvp(grad(f), …)) or write the recursion as a loop`);
    }
    if (!this.tangentFunctions || (s.ty.kind !== 'tensor' && s.ty.kind !== 'number')) {
      throw new ForwardModeError(`forward mode cannot pass through a recursive call at ${at}`);
    }
    if (positions.some((i) => { const ty = this.tyOf(args[i]).kind; return ty !== 'tensor' && ty !== 'number'; })) {
      throw new ForwardModeError(`forward mode cannot pass a tangent of a number[] through a recursive call at ${s.loc ? `${path.basename(s.loc.file)}:${s.loc.line}` : s.name}`);
    }
    this.comment(s.loc);
    const name = this.namer.fresh(`d_${s.name}`);
    const tangents = positions.map((i) => this.tangentOf(args[i])!);
    this.block.push({ kind: 'let', name, ty: s.ty, expr: { kind: 'call', fn: this.tangentFunctions(fn, positions), args: [...args, ...tangents] }, loc: s.loc });
    this.types.set(name, s.ty);
    return v(name);
  }

  /** Σ over inputs with a tangent of jvp_i(args, out, d_i). */
  private primTangent(s: Extract<Stmt, { kind: 'let' }>, op: string, args: readonly Atom[]): Atom | undefined {
    const spec = primitiveSpec(op);
    if (!spec) throw new ForwardModeError(`no primitive named ${op}`);
    let sum: Atom | undefined;
    let commented = false;
    args.forEach((arg, i) => {
      if (arg.kind !== 'var' || !this.varied.has(arg.name)) return;
      const param = spec.params[i];
      const variadic = spec.variadic !== undefined && spec.variadic === param;
      let dx: Atom | Atom[] | undefined;
      if (variadic) {
        const items = this.tupleItems.get(arg.name);
        const ds = this.tupleTangents.get(arg.name);
        if (!items || !ds || ds.every((d) => d === undefined)) return;
        dx = items.map((item, k) => ds[k] ?? this.zeroTangent(item));
      } else {
        dx = this.tangentOf(arg);
        if (!dx) return;
      }
      const hasRule = spec.jvp?.[param] !== undefined;
      if (!hasRule) {
        if (spec.vjp?.[param] !== undefined) {
          throw new ForwardModeError(`${op} has a reverse-mode rule for ${param} but no forward-mode (jvp) rule${s.loc ? ` (at ${s.loc.text})` : ''}`);
        }
        return; // not differentiable in this argument (comparisons, stopGradient): zero tangent
      }
      if (!commented) {
        this.comment(s.loc);
        commented = true;
      }
      const contribution = this.rules.jvp(op, i, args, v(s.name), dx);
      if (!contribution) return;
      sum = sum ? this.emitPrim('add', [sum, contribution], s.ty) : contribution;
    });
    return sum;
  }

  // ------------------------------------------------------------------ building

  private tangentOf(atom: Atom): Atom | undefined {
    if (atom.kind !== 'var') return undefined;
    const mutable = this.mutableTangents.get(atom.name);
    if (mutable) return v(mutable);
    return this.tangents.get(atom.name);
  }

  private zeroTangent(atom: Atom): Atom {
    const ty = this.tyOf(atom);
    if (ty.kind === 'number') return lit(0);
    if (ty.kind === 'tensor') return this.emitPrim('zerosLike', [atom], tensorTy);
    return lit(null);
  }

  private emitPrim(op: string, args: Atom[], ty: Ty): Atom {
    const name = this.namer.tmp();
    const resultTy = ty.kind === 'number' ? numberTy : tensorTy;
    this.block.push({ kind: 'let', name, ty: resultTy, expr: { kind: 'prim', op, args }, loc: this.currentLoc });
    this.types.set(name, resultTy);
    return v(name);
  }

  private comment(loc: Loc | undefined): void {
    if (!loc) return;
    const text = `${this.request.derivative ?? 'jvp'} of: ${loc.text}`;
    if (lastComment(this.block) === text) return;
    this.block.push({ kind: 'comment', text });
  }

  private tyOf(atom: Atom): Ty {
    if (atom.kind === 'lit') return typeof atom.value === 'number' ? numberTy : { kind: 'other' };
    return this.types.get(atom.name) ?? { kind: 'other' };
  }
}
