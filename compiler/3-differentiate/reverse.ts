// Reverse mode on the IR. The result runs the forward statements unchanged, seeds the
// output's adjoint with ones, then walks the statements backwards, applying each
// primitive's VJP rule (from the runtime registry, evaluated on symbolic values) and
// accumulating adjoints of reused values. `if` is mirrored by an `if` on the same
// condition; adjoints that differ between the branches are merged through mutable joins.

import { Activity, analyzeActivity, exhaustive } from '../2-analyze/activity.js';
import { Atom, Func, Loc, Stmt, Ty, childBlocks, isDifferentiableTy, lastComment, lit, numberTy, otherTy, tensorTy, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { RuleEvaluator } from './rules.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { differentiateRecursive, recursionError } from './recursion.js';
import { FunctionFacts, functionFacts, inductionVariables, planRestore, renameReads } from './rematerialize.js';
import { closedTripCount } from './trip-count.js';

export interface ReverseRequest {
  /** Indices into `func.params`. */
  readonly positions: readonly number[];
  /** Differentiate with respect to every Parameter the function reads. */
  readonly weights: boolean;
  /** 'sum': every output; 'first': only item 0 of a tuple result (hasAux). */
  readonly output: 'sum' | 'first';
  /** Put the function's own result first in the returned tuple (valueAndGrad, hasAux). */
  readonly withOutputs: boolean;
  /** Explicit output cotangents (vjp): per output item (index 0 for a lone output), instead of ones. */
  readonly sensitivity?: readonly Atom[];
  /** Put a `SPLIT` marker between the forward and the backward sweep (recursion.ts splits there). */
  readonly split?: boolean;
  /**
   * Differentiate recursive calls without tapes, in a form the compiler reads back for a
   * higher order (recursion.ts, "rereadable"): each call's backward recomputes its callee.
   */
  readonly rereadable?: boolean;
  /**
   * The enclosing function's namer, when the result is spliced into that function
   * (grad inside differentiated code, reverse-inline.ts): new names must be free there.
   */
  readonly namer?: Namer;
}

/** The marker statement of a split request. */
export const SPLIT: Stmt = { kind: 'effect', expr: { kind: 'js', template: '/* tsgrad: backward */', args: [] } };

/** A recursive function's forward/backward pair (compiler/3-differentiate/recursion.ts). */
export interface Pair {
  /** `(...params) => [output, tape]` */
  readonly forward: string;
  /** `(tape, dout) => [gradient per position]` */
  readonly backward: string;
}

/**
 * The rereadable form of a recursive function (no tape): per position, a function
 * `(...params, dout) => gradient` that recomputes what it needs; the forward sweep calls
 * the primal function as written.
 */
export interface Recomputed {
  readonly gradients: readonly string[];
  /** With weights: per Parameter the callee reads (the call's `weights`, in order), `(...params, dout) => its gradient`. */
  readonly weightGradients?: readonly string[];
}

/**
 * Makes (or finds) the pair of a recursive function for the positions it is differentiated
 * at; with `weights`, its backward also returns the gradients of the Parameters it reads.
 */
export type PairSource = (fn: string, positions: readonly number[], weights: boolean) => Pair | Recomputed;

/** A weight the gradient function differentiates: a Parameter read as `root.path`. */
export interface Slot {
  readonly root: string;
  readonly path: readonly string[];
}

export interface ReverseResult {
  readonly func: Func;
  /** How many statements at the top of `func.body` are its prologue: loop counters and tapes. */
  readonly prologue?: number;
  readonly slots: readonly Slot[];
  /** Requested positions and weights whose gradient is always zero. */
  readonly zeroGradients: readonly string[];
  /** Computed in forward mode instead (grad-forward.ts: the Jacobian is diagonal). */
  readonly forwardMode?: boolean;
}

export function differentiate(func: Func, request: ReverseRequest, name: string): ReverseResult {
  if (!func.functions?.length) return new Reverse(func, request).run(name);
  return differentiateRecursive(func, request, name, (f, r, n, pairs) => new Reverse(f, r, pairs).run(n));
}

type TupleAdjoint = (Atom | undefined)[];

class Reverse {
  private readonly namer: Namer;
  private readonly types = new Map<string, Ty>();
  private readonly tupleItems = new Map<string, readonly Atom[]>();
  private readonly slotKeys = new Map<string, Slot>();
  private readonly slotVars = new Map<string, string[]>();
  private activity!: Activity;
  /** Which values never change and which arrays nothing writes (for rematerialization). */
  private readonly facts: FunctionFacts;
  /** What runs before each loop in its block (where an induction variable gets its start). */
  private readonly preceding = new Map<Stmt, readonly Stmt[]>();
  /** The source line whose adjoint is being emitted. */
  private currentLoc: Loc | undefined;
  /** Counters and tapes, declared at the top of the generated function. */
  private readonly prologue: Stmt[] = [];
  /** Number tapes taken from the pool, given back before the function returns. */
  private readonly pooledTapes: string[] = [];
  /** Forward loops rewritten to count iterations and tape what their reverse reads. */
  private readonly augmented = new Map<Stmt, Stmt[]>();
  private block: Stmt[] = [];
  private readonly rules: RuleEvaluator;

  private readonly func: Func;

  constructor(
    original: Func,
    private readonly request: ReverseRequest,
    private readonly pairs?: PairSource,
  ) {
    const func = hoistSlotReads(original);
    this.func = func;
    this.facts = functionFacts(func);
    this.namer = request.namer ?? new Namer(collectNames(func));
    this.rules = new RuleEvaluator(
      (stmt) => {
        if (stmt.kind === 'let') this.types.set(stmt.name, stmt.ty);
        // Statements a rule emits belong to the source line being differentiated.
        this.block.push(stmt.kind === 'let' && !stmt.loc ? { ...stmt, loc: this.currentLoc } : stmt);
      },
      () => this.namer.tmp(),
      (atom) => this.tyOf(atom),
      (name) => this.tupleItems.get(name),
    );
    for (const p of func.params) this.types.set(p.name, p.ty);
    scan(func.body, (s) => {
      if (s.kind === 'let') {
        this.types.set(s.name, s.ty);
        if (s.expr.kind === 'tuple') this.tupleItems.set(s.name, s.expr.items);
        if (s.expr.kind === 'field' && s.expr.slot) {
          const key = [s.expr.root, ...s.expr.path].join('.');
          this.slotKeys.set(key, { root: s.expr.root, path: s.expr.path });
          this.slotVars.set(key, [s.name]);
        }
      } else if (s.kind === 'declare') this.types.set(s.name, s.ty);
    });
  }

  run(name: string): ReverseResult {
    const { func, request } = this;
    const positions = request.positions.map((p) => func.params[p]);
    const slotSources = request.weights ? [...this.slotVars.values()].flat() : [];
    const outputs = this.outputLeaves();
    this.activity = analyzeActivity(func, [...positions.map((p) => p.name), ...slotSources], outputs.map((o) => (o.kind === 'var' ? o.name : '')));

    const backward: Stmt[] = [];
    this.block = backward;
    const adjoints = new Map<string, Atom>();
    const tupleAdjoints = new Map<string, TupleAdjoint>();
    this.seed(adjoints, tupleAdjoints);
    for (const p of func.params) {
      if (p.ty.kind === 'numbers' && this.activity.isActive(p.name)) adjoints.set(p.name, this.zerosLike(v(p.name), p.ty));
    }
    // The tapes of generated loop code read back: one adjoint array each, made once the
    // forward sweep has filled them and updated in place, like a number[] input's.
    scan(func.body, (s) => {
      if (s.kind === 'let' && (s.ty.kind === 'tensors' || s.ty.kind === 'numbers') && this.activity.isActive(s.name)) adjoints.set(s.name, this.zerosLike(v(s.name), s.ty));
    });
    this.reverseBlock(func.body, adjoints, tupleAdjoints);
    const body: Stmt[] = [...this.prologue, ...this.forward(func.body), ...(request.split ? [SPLIT] : []), ...backward];
    this.block = body;

    const zeroGradients: string[] = [];
    const grads: Atom[] = positions.map((p) => {
      const d = adjoints.get(p.name);
      if (d) return d;
      zeroGradients.push(`input ${p.name}`);
      return this.zerosLike(v(p.name), p.ty);
    });
    const slots = request.weights ? [...this.slotKeys.values()] : [];
    if (request.weights) {
      for (const [key, vars] of this.slotVars) {
        const ds = vars.map((n) => adjoints.get(n)).filter((d): d is Atom => d !== undefined);
        if (ds.length === 0) {
          zeroGradients.push(`weight ${key}`);
          grads.push(this.zerosLike(v(vars[0]), tensorTy));
          continue;
        }
        grads.push(ds.slice(1).reduce((acc, d) => this.emitPrim('add', [acc, d], tensorTy), ds[0]));
      }
    }
    for (const tape of this.pooledTapes) body.push({ kind: 'effect', expr: { kind: 'js', template: 'giveTape($0)', args: [v(tape)] } });
    const items = request.withOutputs ? [func.result, ...grads] : grads;
    const resultName = this.namer.fresh('grads');
    const resultTy: Ty = { kind: 'tuple', items: items.map((a) => this.tyOf(a)) };
    body.push({ kind: 'let', name: resultName, ty: resultTy, expr: { kind: 'tuple', items } });
    return {
      func: { ...func, name, body, result: v(resultName), resultTy },
      slots,
      zeroGradients,
      prologue: this.prologue.length,
    };
  }

  /** The atoms whose sum is differentiated. */
  private outputLeaves(): Atom[] {
    const result = this.func.result;
    const items = result.kind === 'var' ? this.tupleItems.get(result.name) : undefined;
    if (!items) return [result];
    return this.request.output === 'first' ? [items[0]] : [...items];
  }

  private seed(adjoints: Map<string, Atom>, tupleAdjoints: Map<string, TupleAdjoint>): void {
    const result = this.func.result;
    if (result.kind !== 'var') return;
    const given = this.request.sensitivity !== undefined;
    this.block.push({ kind: 'comment', text: given ? "seed: the output's gradient is given" : 'seed: the output is differentiated as the sum of its elements' });
    const items = this.tupleItems.get(result.name);
    if (!items) {
      if (this.activity.isActive(result.name)) adjoints.set(result.name, this.request.sensitivity?.[0] ?? this.ones(result));
      return;
    }
    const leaves = this.request.output === 'first' ? [items[0]] : items;
    const sens = (k: number) => this.request.sensitivity?.[k];
    this.seedTuple(result.name, items, (item) => leaves.includes(item), sens, tupleAdjoints);
  }

  /**
   * Seeds the active items of a tuple result that `seeded` picks. A tuple item (the
   * `[output, ...aux]` of a valueAndGrad with hasAux read back) has its own items seeded,
   * from the matching items of its cotangent when one is given.
   */
  private seedTuple(
    name: string,
    items: readonly Atom[],
    seeded: (item: Atom) => boolean,
    sens: (k: number) => Atom | undefined,
    tupleAdjoints: Map<string, TupleAdjoint>,
  ): void {
    const adjoints = items.map((item, k) => {
      if (!seeded(item) || item.kind !== 'var' || !this.activity.isActive(item.name)) return undefined;
      const nested = this.tupleItems.get(item.name);
      if (!nested) return sens(k) ?? this.ones(item);
      const given = sens(k);
      this.seedTuple(item.name, nested, () => true, (j) => (given ? this.itemOf(given, j) : undefined), tupleAdjoints);
      return undefined;
    });
    tupleAdjoints.set(name, adjoints);
  }

  /** `tuple[k]`, read into a new variable. */
  private itemOf(tuple: Atom, k: number): Atom {
    const ty = this.tyOf(tuple);
    const itemTy = ty.kind === 'tuple' ? ty.items[k] : tensorTy;
    const name = this.namer.fresh(`${atomName(tuple)}_${k}`);
    this.block.push({ kind: 'let', name, ty: itemTy, expr: { kind: 'index', value: tuple, index: k } });
    this.types.set(name, itemTy);
    return v(name);
  }

  private ones(atom: Atom): Atom {
    const ty = this.tyOf(atom);
    if (ty.kind === 'number') return lit(1);
    return this.emitPrim('onesLike', [atom], tensorTy, `d_${atomName(atom)}`);
  }

  private zerosLike(atom: Atom, ty: Ty): Atom {
    if (ty.kind === 'number') return lit(0);
    if (ty.kind === 'tensors') {
      // Zeros shaped like each element (a 0-d zero where the tape has a hole).
      const name = this.namer.fresh(`d_${atomName(atom)}`);
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'js', template: 'zerosTape($0)', args: [atom] } });
      this.types.set(name, ty);
      return v(name);
    }
    if (ty.kind === 'numbers') {
      const name = this.namer.fresh(`d_${atomName(atom)}`);
      // Packed doubles from the start (runtime/zeros-array.ts): no conversion at the first +=.
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'js', template: 'zerosArray($0.length)', args: [atom] } });
      this.types.set(name, ty);
      return v(name);
    }
    return this.emitPrim('zerosLike', [atom], tensorTy);
  }

  // ------------------------------------------------------------------ the backward sweep

  private reverseBlock(stmts: readonly Stmt[], adj: Map<string, Atom>, tadj: Map<string, TupleAdjoint>): void {
    for (let i = stmts.length - 1; i >= 0; i--) {
      if (stmts[i].kind === 'loop') this.preceding.set(stmts[i], stmts.slice(0, i));
      this.reverseStmt(stmts[i], adj, tadj);
    }
  }

  private reverseStmt(s: Stmt, adj: Map<string, Atom>, tadj: Map<string, TupleAdjoint>): void {
    switch (s.kind) {
      case 'let':
        return this.reverseLet(s, adj, tadj);
      case 'assign': {
        const d = adj.get(s.name);
        adj.delete(s.name);
        if (d && s.value.kind === 'var' && this.activity.isActive(s.value.name)) this.accumulate(adj, s.value, d);
        return;
      }
      case 'if':
        return this.reverseIf(s, adj, tadj);
      case 'loop':
        return this.reverseLoop(s, adj, tadj);
      case 'store':
        return this.reverseStore(s, adj);
      case 'declare':
      case 'break':
      case 'continue':
      case 'effect':
      case 'comment':
        return;
      default:
        exhaustive(s);
    }
  }

  private reverseLet(s: Extract<Stmt, { kind: 'let' }>, adj: Map<string, Atom>, tadj: Map<string, TupleAdjoint>): void {
    const e = s.expr;
    if (e.kind === 'tuple') {
      const ds = tadj.get(s.name);
      if (!ds) return;
      e.items.forEach((item, i) => {
        const d = ds[i];
        if (d && item.kind === 'var' && this.activity.isActive(item.name)) this.accumulate(adj, item, d);
      });
      return;
    }
    const d = adj.get(s.name);
    if (!d || !this.activity.isActive(s.name)) return;
    this.currentLoc = s.loc;
    switch (e.kind) {
      case 'prim': {
        this.comment(s.loc);
        e.args.forEach((arg, i) => {
          if (arg.kind !== 'var' || !this.activity.isActive(arg.name)) return;
          if (this.rules.isVariadic(e.op, i)) {
            // One gradient per element of the array argument.
            const items = this.tupleItems.get(arg.name) ?? [];
            const gs = this.rules.vjpVariadic(e.op, i, e.args, v(s.name), d) ?? [];
            items.forEach((item, k) => {
              const g = gs[k];
              if (g && item.kind === 'var' && this.activity.isActive(item.name)) this.accumulate(adj, item, g);
            });
            return;
          }
          const g = this.rules.vjp(e.op, i, e.args, v(s.name), d);
          if (g) this.accumulate(adj, arg, g);
        });
        return;
      }
      case 'copy':
        if (e.value.kind === 'var' && this.activity.isActive(e.value.name)) this.accumulate(adj, e.value, d);
        return;
      case 'index': {
        if (e.value.kind !== 'var') return;
        const ds = tadj.get(e.value.name) ?? [];
        ds[e.index] = ds[e.index] ? this.emitPrim('add', [ds[e.index]!, d], this.tyOf(d)) : d;
        tadj.set(e.value.name, ds);
        return;
      }
      case 'custom':
        return this.reverseCustom(s, e, adj);
      case 'call':
        return this.reverseCall(s, e, adj);
      case 'elem': {
        // The adjoint of a number[] is one array, created before the backward sweep and
        // updated in place, so branches and loops need no merging for it.
        const container = e.array.kind === 'var' ? adj.get(e.array.name) : undefined;
        if (!container || container.kind !== 'var') return;
        this.comment(s.loc);
        if (this.tyOf(e.array).kind === 'tensors') {
          // Tensor tapes accumulate through ops, so that the next order differentiates this too.
          const old = this.namer.fresh(`${container.name}_item`);
          this.block.push({ kind: 'let', name: old, ty: tensorTy, expr: { kind: 'elem', array: container, index: e.index } });
          this.types.set(old, tensorTy);
          const sum = this.emitPrim('add', [v(old), d], tensorTy);
          this.block.push({ kind: 'store', array: container.name, index: e.index, value: sum });
          return;
        }
        this.block.push({ kind: 'effect', expr: { kind: 'js', template: '$0[$1] += $2', args: [container, e.index, d] } });
        return;
      }
      case 'field':
      case 'js':
        return;
      default:
        exhaustive(e);
    }
  }

  private reverseIf(s: Extract<Stmt, { kind: 'if' }>, adj: Map<string, Atom>, tadj: Map<string, TupleAdjoint>): void {
    const defined = new Set<string>();
    scan([s], (x) => {
      if (x.kind === 'let') defined.add(x.name);
    });
    const branch = (stmts: Stmt[]) => {
      const saved = this.block;
      const out: Stmt[] = [];
      this.block = out;
      const a = new Map(adj);
      const t = new Map(tadj);
      this.reverseBlock(stmts, a, t);
      this.block = saved;
      return { out, a };
    };
    const thenSide = branch(s.then);
    const elseSide = branch(s.else);
    const names = new Set([...thenSide.a.keys(), ...elseSide.a.keys()]);
    for (const name of [...names].sort()) {
      if (defined.has(name)) continue;
      const ta = thenSide.a.get(name);
      const ea = elseSide.a.get(name);
      if (ta && ea && sameAtom(ta, ea)) {
        adj.set(name, ta);
        continue;
      }
      const ty = this.types.get(name) ?? tensorTy;
      const join = this.namer.fresh(`d_${name}`);
      this.block.push({ kind: 'declare', name: join, ty });
      this.types.set(join, ty);
      for (const side of [thenSide, elseSide]) {
        const value = side.a.get(name) ?? this.inBlock(side.out, () => this.zerosLike(v(name), ty));
        side.out.push({ kind: 'assign', name: join, value });
      }
      adj.set(name, v(join));
    }
    for (const name of [...adj.keys()]) if (!names.has(name)) adj.delete(name);
    this.block.push({ kind: 'if', cond: s.cond, then: thenSide.out, else: elseSide.out, loc: s.loc });
  }

  /** A hand-written rule: `callee.bprop(...args, out, dout)` gives one gradient per argument. */
  private reverseCustom(s: Extract<Stmt, { kind: 'let' }>, e: Extract<Stmt, { kind: 'let' }>['expr'] & { kind: 'custom' }, adj: Map<string, Atom>): void {
    const d = adj.get(s.name)!;
    this.comment(s.loc);
    const grads = this.namer.fresh(`${s.name}_bprop`);
    const operands = [e.callee, ...e.args, v(s.name), d];
    const template = `$0.bprop(${operands.slice(1).map((_, i) => `$${i + 1}`).join(', ')})`;
    // After the inputs' gradients, bprop may return its Cell's own Parameters' (e.weights).
    const weights = e.weights ?? [];
    const itemTys = [...e.args.map((a) => this.tyOf(a)), ...weights.map(() => tensorTy)];
    this.block.push({ kind: 'let', name: grads, ty: { kind: 'tuple', items: itemTys }, expr: { kind: 'js', template, args: operands } });
    this.types.set(grads, { kind: 'tuple', items: itemTys });
    [...e.args, ...weights].forEach((arg, i) => {
      if (arg.kind !== 'var' || !this.activity.isActive(arg.name)) return;
      const g = this.namer.fresh(`d_${arg.name}`);
      this.block.push({ kind: 'let', name: g, ty: itemTys[i], expr: { kind: 'index', value: v(grads), index: i } });
      this.types.set(g, itemTys[i]);
      this.accumulate(adj, arg, v(g));
    });
  }

  /**
   * A call to a recursive function: the forward sweep calls its forward function, which
   * returns the output and a tape of what its backward needs (its own callees' tapes
   * inside, so memory follows the depth reached); the backward sweep hands the tape and
   * the output's adjoint to its backward function.
   */
  private reverseCall(s: Extract<Stmt, { kind: 'let' }>, e: Extract<Stmt, { kind: 'let' }>['expr'] & { kind: 'call' }, adj: Map<string, Atom>): void {
    const d = adj.get(s.name)!;
    const active = e.args.flatMap((a, i) => (a.kind === 'var' && this.activity.isActive(a.name) && isDifferentiableTy(this.tyOf(a)) ? [i] : []));
    const positions = active.filter((i) => this.tyOf(e.args[i]).kind === 'tensor' || this.tyOf(e.args[i]).kind === 'number');
    if (positions.length < active.length) throw recursionError(s.loc, 'a number[] differentiated through a recursive call', 'pass the array as a Tensor, or differentiate with respect to something else');
    // With weights, the backward returns every Parameter's gradient the callee reads, in e.weights' order.
    const weights = this.request.weights ? e.weights ?? [] : [];
    const weightsActive = weights.some((w) => w.kind === 'var' && this.activity.isActive(w.name));
    if ((positions.length === 0 && !weightsActive) || !this.pairs) return;
    const pair = this.pairs(e.fn, positions, weights.length > 0);
    if ('gradients' in pair) return this.recomputedCall(s, e, positions, pair, weights, d, adj);
    const both = this.namer.fresh(`${s.name}_forward`);
    const tape = this.namer.fresh(`${s.name}_tape`);
    this.augmented.set(s, [
      { kind: 'let', name: both, ty: { kind: 'tuple', items: [s.ty, otherTy] }, expr: { kind: 'call', fn: pair.forward, args: e.args }, loc: s.loc },
      { kind: 'let', name: s.name, ty: s.ty, expr: { kind: 'index', value: v(both), index: 0 }, loc: s.loc },
      { kind: 'let', name: tape, ty: otherTy, expr: { kind: 'index', value: v(both), index: 1 }, loc: s.loc },
    ]);
    this.currentLoc = s.loc;
    this.comment(s.loc);
    const gradTys = [...positions.map((i) => this.tyOf(e.args[i])), ...weights.map(() => tensorTy)];
    const grads = this.namer.fresh(`${s.name}_backward`);
    this.block.push({ kind: 'let', name: grads, ty: { kind: 'tuple', items: gradTys }, expr: { kind: 'call', fn: pair.backward, args: [v(tape), d] }, loc: s.loc });
    this.types.set(grads, { kind: 'tuple', items: gradTys });
    [...positions.map((i) => e.args[i]), ...weights].forEach((arg, k) => {
      if (arg.kind !== 'var' || !this.activity.isActive(arg.name)) return;
      const g = this.namer.fresh(`d_${arg.name}`);
      this.block.push({ kind: 'let', name: g, ty: gradTys[k], expr: { kind: 'index', value: v(grads), index: k }, loc: s.loc });
      this.types.set(g, gradTys[k]);
      this.accumulate(adj, arg, v(g));
    });
  }

  /**
   * A recursive call in the rereadable form: one call per position, and (with weights) one
   * per Parameter the callee reads, each returning its gradient.
   */
  private recomputedCall(s: Extract<Stmt, { kind: 'let' }>, e: Extract<Stmt, { kind: 'let' }>['expr'] & { kind: 'call' }, positions: readonly number[], pair: Recomputed, weights: readonly Atom[], d: Atom, adj: Map<string, Atom>): void {
    this.currentLoc = s.loc;
    this.comment(s.loc);
    const targets = [...positions.map((i, k) => [e.args[i], pair.gradients[k]] as const), ...weights.map((w, k) => [w, pair.weightGradients?.[k]] as const)];
    for (const [arg, fn] of targets) {
      if (arg.kind !== 'var' || !this.activity.isActive(arg.name)) continue;
      if (fn === undefined) throw new Error(`tsgrad: no gradient function for ${arg.name} of ${e.fn}`);
      const ty = this.tyOf(arg);
      const g = this.namer.fresh(`d_${arg.name}`);
      this.block.push({ kind: 'let', name: g, ty, expr: { kind: 'call', fn, args: [...e.args, d] }, loc: s.loc });
      this.types.set(g, ty);
      this.accumulate(adj, arg, v(g));
    }
  }

  /**
   * `array[index] = value`: the element's adjoint goes to `value`, and the element's is
   * cleared (an earlier value at that index gets none of it).
   */
  private reverseStore(s: Extract<Stmt, { kind: 'store' }>, adj: Map<string, Atom>): void {
    const container = adj.get(s.array);
    if (!container || container.kind !== 'var') return;
    this.currentLoc = s.loc;
    this.comment(s.loc);
    const itemTy = this.tyOf(v(s.array)).kind === 'tensors' ? tensorTy : numberTy;
    const g = this.namer.fresh(`d_${s.value.kind === 'var' ? s.value.name : s.array}`);
    this.block.push({ kind: 'let', name: g, ty: itemTy, expr: { kind: 'elem', array: container, index: s.index }, loc: s.loc });
    this.types.set(g, itemTy);
    const zero = itemTy.kind === 'tensor' ? this.emitPrim('zerosLike', [v(g)], tensorTy) : lit(0);
    this.block.push({ kind: 'store', array: container.name, index: s.index, value: zero, loc: s.loc });
    if (s.value.kind === 'var' && this.activity.isActive(s.value.name)) this.accumulate(adj, s.value, v(g));
  }

  // ------------------------------------------------------------------ loops

  /**
   * A loop is reversed by running its body's adjoint once per iteration, last first.
   * The forward loop counts iterations with a counter that never resets (so nested
   * loops index their tapes globally) and writes each value the adjoint reads to a tape
   * indexed by iteration; the backward loop restores them. Adjoints of values from
   * outside the loop are carried around the backward loop in mutable variables.
   */
  private reverseLoop(s: Extract<Stmt, { kind: 'loop' }>, adj: Map<string, Atom>, tadj: Map<string, TupleAdjoint>): void {
    const base = this.namer.fresh('loop');
    const count = this.namer.fresh(`${base}_n`);
    this.prologue.push({ kind: 'declare', name: count, ty: numberTy }, { kind: 'assign', name: count, value: lit(0) });
    const start = this.namer.fresh(`${base}_start`);
    const end = this.namer.fresh(`${base}_end`);
    const defined = new Set<string>();
    scan(s.body, (x) => {
      if (x.kind === 'let' || x.kind === 'declare') defined.add(x.name);
    });
    scan(s.head, (x) => {
      if (x.kind === 'let' || x.kind === 'declare') defined.add(x.name);
    });
    const carried = this.carriedAdjoints(s, defined);

    // Backward: j runs from end down to start.
    const j = this.namer.fresh(`${base}_j`);
    const carriedName = new Map(carried.map((c) => [c, this.namer.fresh(`d_${c}_${base}`)]));
    for (const c of carried) this.types.set(carriedName.get(c)!, this.types.get(c) ?? tensorTy);
    const inits = new Map(carried.map((c) => [c, adj.get(c) ?? this.zerosLike(v(c), this.types.get(c) ?? tensorTy)]));
    // The carried variables' declarations go here, once it is known which ones change.
    const declaredAt = this.block.length;
    this.block.push({ kind: 'declare', name: j, ty: numberTy }, { kind: 'assign', name: j, value: v(end) });
    const test = this.namer.fresh(`${base}_more`);
    const jPrev = this.namer.fresh(`${base}_k`);
    const saved = this.block;
    const reverseBody: Stmt[] = [];
    this.block = reverseBody;
    const inner = new Map(adj);
    for (const c of carried) inner.set(c, v(carriedName.get(c)!));
    this.reverseBlock(s.body, inner, new Map(tadj));
    // An adjoint that no iteration adds to (the seed of an accumulator, a number[]'s
    // adjoint array updated in place) keeps its value from before the loop: it is read as
    // that value, not carried in a variable, so its arithmetic folds.
    const constant = new Map<string, Atom>();
    for (const c of carried) {
      const name = carriedName.get(c)!;
      const value = inner.get(c) ?? this.zerosLike(v(c), this.types.get(c) ?? tensorTy);
      if (sameAtom(value, v(name))) constant.set(name, inits.get(c)!);
      else reverseBody.push({ kind: 'assign', name, value });
    }
    const changing = carried.filter((c) => !constant.has(carriedName.get(c)!));
    this.block = saved;
    this.block.splice(
      declaredAt,
      0,
      ...changing.flatMap((c): Stmt[] => [
        { kind: 'declare', name: carriedName.get(c)!, ty: this.types.get(c) ?? tensorTy },
        { kind: 'assign', name: carriedName.get(c)!, value: inits.get(c)! },
      ]),
    );
    // Names the forward body defines once its own inner loops are augmented (their bounds too).
    const forwardBody = this.forward(s.body);
    const definedNow = new Set(defined);
    scan(forwardBody, (x) => {
      if (x.kind === 'let' || x.kind === 'declare') definedNow.add(x.name);
    });
    const needed = [...usedNames(reverseBody)].filter((n) => definedNow.has(n)).sort();
    // Cheap pure values are recomputed from restored ones instead of taped (rematerialize.ts).
    // The iteration number within this run of the loop, for induction variables' snapshots.
    const iteration = this.namer.fresh(`${base}_iteration`);
    this.types.set(iteration, numberTy);
    const counters = { induction: inductionVariables({ ...s, body: forwardBody }, this.preceding.get(s) ?? []), iteration: v(iteration) };
    const plan = planRestore(forwardBody, needed, definedNow, this.facts, counters, (n) => this.types.get(n), (b) => this.namer.fresh(b));
    const taped = plan.taped;
    // With nothing taped, a loop whose trip count has a closed form is not counted: its
    // backward sweep runs from that count down to 0 (trip-count.ts).
    const forwardLoop = { ...s, head: this.forward(s.head), body: forwardBody };
    const trip = taped.length === 0 ? closedTripCount(forwardLoop, definedNow, this.facts, counters.induction, { base, count: end, fresh: (b) => this.namer.fresh(b) }) : undefined;
    for (const x of trip?.stmts ?? []) if (x.kind === 'let') this.types.set(x.name, x.ty);
    const first = trip ? lit(0) : v(start);
    const restore: Stmt[] = [
      { kind: 'let', name: jPrev, ty: numberTy, expr: { kind: 'js', template: '$0 - 1', args: [v(j)] } },
      { kind: 'assign', name: j, value: v(jPrev) },
      { kind: 'let', name: iteration, ty: numberTy, expr: { kind: 'prim', op: 'sub', args: [v(jPrev), first] } },
    ];
    const tapes = new Map<string, string>();
    for (const name of taped) {
      const tape = this.namer.fresh(`${name}_tape`);
      tapes.set(name, tape);
      const ty = this.types.get(name) ?? otherTy;
      // Number tapes of a whole gradient function come from a pool (runtime/tapes.ts) and go back at its end.
      const pooled = ty.kind === 'number' && !this.request.split;
      const make = pooled ? 'takeTape()' : `([] as ${tsArrayType(ty)})`;
      this.prologue.push({ kind: 'let', name: tape, ty: otherTy, expr: { kind: 'js', template: make, args: [] } });
      if (pooled) this.pooledTapes.push(tape);
      const read = this.namer.fresh(`${name}_saved`);
      restore.push({ kind: 'let', name: read, ty, expr: { kind: 'js', template: '$0[$1]', args: [v(tape), v(jPrev)] } });
      restore.push({ kind: 'assign', name, value: v(read) });
    }
    for (const r of plan.recompute) {
      this.types.set(r.name, r.ty);
      restore.push(r);
    }
    this.block.push({
      kind: 'loop',
      head: [{ kind: 'let', name: test, ty: otherTy, expr: { kind: 'js', template: '$0 > $1', args: [v(j), first] } }],
      cond: v(test),
      body: [...restore, ...renameReads(renameReads(reverseBody, constant), plan.renamed)],
      testFirst: true,
      loc: s.loc,
    });
    for (const c of carried) adj.set(c, constant.get(carriedName.get(c)!) ?? v(carriedName.get(c)!));
    if (trip) {
      // The forward loop runs only for what else it computes, and goes when that is nothing.
      const comment: Stmt[] = s.loc ? [{ kind: 'comment', text: `trip count of: ${s.loc.text}` }] : [];
      this.augmented.set(s, [...comment, ...trip.stmts, { ...forwardLoop, finite: true }]);
      return;
    }

    // Forward: count iterations, tape what the backward loop restores.
    const index = this.namer.fresh(`${base}_i`);
    const next = this.namer.fresh(`${base}_next`);
    const counting: Stmt[] = [
      { kind: 'let', name: index, ty: numberTy, expr: { kind: 'copy', value: v(count) } },
      { kind: 'let', name: next, ty: numberTy, expr: { kind: 'js', template: '$0 + 1', args: [v(index)] } },
      { kind: 'assign', name: count, value: v(next) },
    ];
    const body = [...counting, ...withTapeWrites(forwardBody, tapes, index)];
    // A tensor tape covers every iteration, holes included (an iteration that broke before
    // writing it), so that a higher order can size the tape's adjoint from its length.
    const covered: Stmt[] = [...tapes]
      .filter(([name]) => this.types.get(name)?.kind === 'tensor')
      .map(([, tape]) => ({ kind: 'effect', expr: { kind: 'js', template: '$0.length = $1', args: [v(tape), v(end)] } }));
    this.augmented.set(s, [
      { kind: 'let', name: start, ty: numberTy, expr: { kind: 'copy', value: v(count) } },
      { ...s, head: this.forward(s.head), body: s.testFirst ? body : body },
      { kind: 'let', name: end, ty: numberTy, expr: { kind: 'copy', value: v(count) } },
      ...covered,
    ]);
  }

  /** Active values from outside the loop that the loop reads or reassigns. */
  private carriedAdjoints(s: Extract<Stmt, { kind: 'loop' }>, defined: Set<string>): string[] {
    const names = new Set<string>();
    scan([s], (x) => {
      if (x.kind === 'assign' && !defined.has(x.name)) names.add(x.name);
      if (x.kind === 'let') for (const a of exprAtoms(x.expr)) if (a.kind === 'var') names.add(a.name);
      if (x.kind === 'assign' && x.value.kind === 'var') names.add(x.value.name);
    });
    // A tape's adjoint is one array updated in place: nothing to carry.
    const isTape = (n: string) => this.types.get(n)?.kind === 'tensors' || (this.types.get(n)?.kind === 'numbers' && !this.func.params.some((p) => p.name === n));
    return [...names].filter((n) => !defined.has(n) && this.activity.isActive(n) && this.types.get(n)?.kind !== 'tuple' && !isTape(n)).sort();
  }

  /** The forward statements with every loop replaced by its augmented form. */
  private forward(stmts: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of stmts) {
      const replaced = this.augmented.get(s);
      if (replaced) {
        out.push(...replaced);
        continue;
      }
      if (s.kind === 'if') out.push({ ...s, then: this.forward(s.then), else: this.forward(s.else) });
      else if (s.kind === 'loop') out.push({ ...s, head: this.forward(s.head), body: this.forward(s.body) });
      else out.push(s);
    }
    return out;
  }

  // ------------------------------------------------------------------ building

  private accumulate(adj: Map<string, Atom>, target: Atom, g: Atom): void {
    if (target.kind !== 'var') return;
    if (this.tyOf(target).kind === 'number' && this.tyOf(g).kind === 'tensor') {
      // A number that entered tensor code gets its gradient back as a number (the rule
      // summed it to a 0-d tensor). First order only: this read is not differentiated
      // again, and the lowerer refuses `numberGradient` in code it reads back.
      const name = this.namer.fresh(`d_${target.name}`);
      this.block.push({ kind: 'let', name, ty: numberTy, expr: { kind: 'js', template: 'numberGradient($0)', args: [g] }, loc: this.currentLoc });
      this.types.set(name, numberTy);
      g = v(name);
    }
    const prev = adj.get(target.name);
    if (!prev) {
      adj.set(target.name, g);
      return;
    }
    adj.set(target.name, this.emitPrim('add', [prev, g], this.tyOf(target), `d_${target.name}`));
  }

  private emitPrim(op: string, args: Atom[], ty: Ty, base?: string): Atom {
    const name = base ? this.namer.fresh(base) : this.namer.tmp();
    const resultTy = ty.kind === 'number' ? numberTy : tensorTy;
    this.block.push({ kind: 'let', name, ty: resultTy, expr: { kind: 'prim', op, args }, loc: this.currentLoc });
    this.types.set(name, resultTy);
    return v(name);
  }

  private comment(loc: Loc | undefined): void {
    if (!loc) return;
    const text = `grad of: ${loc.text}`;
    if (lastComment(this.block) === text) return;
    this.block.push({ kind: 'comment', text });
  }

  private inBlock<T>(stmts: Stmt[], body: () => T): T {
    const saved = this.block;
    this.block = stmts;
    try {
      return body();
    } finally {
      this.block = saved;
    }
  }

  private tyOf(atom: Atom): Ty {
    if (atom.kind === 'lit') return typeof atom.value === 'number' ? numberTy : otherTy;
    return this.types.get(atom.name) ?? otherTy;
  }
}

/**
 * One read per Parameter, at the top: a weight read only inside a branch or a loop then
 * has an adjoint that merges like any value defined before the branch. (Parameters do
 * not change during a call, so reading them first is the same as reading them later.)
 */
function hoistSlotReads(func: Func): Func {
  const first = new Map<string, Extract<Stmt, { kind: 'let' }>>();
  const nonNull = new Set<string>();
  scan(func.body, (s) => {
    if (s.kind === 'let' && s.expr.kind === 'field' && s.expr.slot) {
      const key = [s.expr.root, ...s.expr.path].join('.');
      if (!first.has(key)) first.set(key, s);
      if (s.expr.nonNull) nonNull.add(key);
    }
  });
  if (first.size === 0) return func;
  const hoisted = new Set([...first.values()].map((s) => s.name));
  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.flatMap((s): Stmt[] => {
      if (s.kind === 'let' && s.expr.kind === 'field' && s.expr.slot) {
        if (hoisted.has(s.name)) return [];
        const top = first.get([s.expr.root, ...s.expr.path].join('.'))!;
        return [{ ...s, expr: { kind: 'copy', value: v(top.name) } }];
      }
      if (s.kind === 'if') return [{ ...s, then: rewrite(s.then), else: rewrite(s.else) }];
      if (s.kind === 'loop') return [{ ...s, head: rewrite(s.head), body: rewrite(s.body) }];
      return [s];
    });
  const top: Stmt[] = [...first].map(([key, s]) => ({
    ...s,
    expr: { ...(s.expr as Extract<Stmt, { kind: 'let' }>['expr'] & { kind: 'field' }), nonNull: nonNull.has(key) || undefined },
  }));
  return { ...func, body: [...top, ...rewrite(func.body)] };
}

/** After each definition of a taped name, write it to its tape at the iteration index. */
function withTapeWrites(stmts: readonly Stmt[], tapes: Map<string, string>, index: string): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if (s.kind === 'if') out.push({ ...s, then: withTapeWrites(s.then, tapes, index), else: withTapeWrites(s.else, tapes, index) });
    else if (s.kind === 'loop') out.push({ ...s, body: withTapeWrites(s.body, tapes, index) });
    else out.push(s);
    const name = s.kind === 'let' || s.kind === 'assign' ? s.name : undefined;
    const tape = name !== undefined ? tapes.get(name) : undefined;
    if (tape) out.push({ kind: 'effect', expr: { kind: 'js', template: '$0[$1] = $2', args: [v(tape), v(index), v(name!)] } });
  }
  return out;
}

function usedNames(stmts: readonly Stmt[]): Set<string> {
  const names = new Set<string>();
  scan(stmts, (s) => {
    const atoms: Atom[] =
      s.kind === 'let' ? [...exprAtoms(s.expr)] : s.kind === 'assign' ? [s.value] : s.kind === 'if' || s.kind === 'loop' ? [s.cond] : s.kind === 'effect' ? [...exprAtoms(s.expr)] : [];
    for (const a of atoms) if (a.kind === 'var') names.add(a.name);
  });
  return names;
}

function tsArrayType(ty: Ty): string {
  return ty.kind === 'tensor' ? 'Tensor[]' : ty.kind === 'number' ? 'number[]' : 'any[]';
}

function atomName(atom: Atom): string {
  return atom.kind === 'var' ? atom.name : 'out';
}

function sameAtom(a: Atom, b: Atom): boolean {
  return a.kind === 'var' ? b.kind === 'var' && a.name === b.name : b.kind === 'lit' && a.value === b.value;
}

/** Visits every statement, nested ones included. */
export function scan(stmts: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    for (const block of childBlocks(s)) scan(block, visit);
  }
}

function collectNames(func: Func): string[] {
  const names: string[] = [...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)];
  scan(func.body, (s) => {
    if (s.kind === 'let' || s.kind === 'declare') names.push(s.name);
  });
  return names;
}
