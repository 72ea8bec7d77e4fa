// Reverse mode through recursion. A recursive function cannot be inlined (its depth is
// only known at run time), so the lowerer keeps it as a function of its own, and reverse
// mode gives it a pair, as Tangent and Clad do for calls:
//   f_forward(...params) => [output, tape]   runs f and keeps what the backward needs,
//                                            its own recursive calls' tapes included;
//   f_backward(tape, dout) => [d per position, then (with weights) d per Parameter it reads]
// The tape of a call holds the tapes of the calls it made, so memory follows the depth
// actually reached. One pair is made per function and set of differentiated positions;
// recursive calls reuse the pair being made. Names are prefixed with the gradient's name
// so that several gradients in one module never clash.
//
// A gradient the compiler will read back for a higher order is made in a rereadable form
// instead, without tapes (tuples of tapes are not values it differentiates): per function
// and position, f_gradient_i(...params, dout) => the gradient of input i, a recursive
// function of numbers and tensors like the user's own. With weights, each Parameter f reads
// (itself or through its callees) gets one too: f_gradient_<root>_<path>(...params, dout).
// Its forward sweep calls the primal f, and its backward sweep calls the gradient functions
// of its callees, which recompute their own forward sweeps: time grows with the square of
// the depth, memory with the depth. Read back, these functions are called, not inlined
// (lower.ts), so each order differentiates each of them once.

import { readFileSync } from 'node:fs';
import { CompileError, codes } from '../diagnostics.js';
import { Atom, Expr, Func, Loc, Param, Stmt, Ty, childBlocks, otherTy, tensorTy, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { exprAtoms, simplify } from '../4-simplify/simplify.js';
import type { Pair, PairSource, ReverseRequest, ReverseResult } from './reverse.js';
import type { ForwardRequest, ForwardResult, TangentSource } from './forward.js';
import { SPLIT } from './reverse.js';

type Run = (func: Func, request: ReverseRequest, name: string, pairs: PairSource) => ReverseResult;

/** Differentiates `func`, whose body calls the recursive functions in `func.functions`. */
export function differentiateRecursive(func: Func, request: ReverseRequest, name: string, run: Run): ReverseResult {
  const helpers = func.functions ?? [];
  // With weights, every call says which Parameters its callee reads (and reads them first).
  const slots = request.weights ? transitiveSlots(helpers) : undefined;
  const differentiated = slots ? helpers.map((h) => withWeights(h, slots)) : helpers;
  const main = slots ? withWeights({ ...func, functions: undefined }, slots) : { ...func, functions: undefined };
  const pairs = new PairMaker(differentiated, name, run, request.rereadable ?? false, slots);
  const result = run(main, request, name, pairs.source);
  const primals = prefixFunctions({ ...result.func, functions: helpers }, name);
  const rename = (f: Func): Func => ({ ...f, body: renameCalls(f.body, new Map(helpers.map((h) => [h.name, `${name}_${h.name}`]))) });
  return { ...result, func: { ...primals, functions: [...pairs.functions().map(rename), ...(primals.functions ?? [])] } };
}

type ForwardRun = (func: Func, request: ForwardRequest, name: string, tangents: TangentSource) => ForwardResult;

/**
 * Forward mode through recursion: per function and set of positions carrying tangents,
 * `<name>_<f>_tangent_<positions>(...params, ...tangents) => output tangent`, a recursive
 * function that calls the primal for its callees' outputs and their tangent functions for
 * their tangents. No tape: it recomputes, so time grows with the square of the depth.
 */
export function differentiateForwardRecursive(func: Func, request: ForwardRequest, name: string, run: ForwardRun): ForwardResult {
  const helpers = func.functions ?? [];
  const made: Func[] = [];
  const names = new Set<string>();
  const source: TangentSource = (fn, positions) => {
    const tangentName = `${name}_${fn}_tangent_${positions.join('_')}`;
    if (names.has(tangentName)) return tangentName;
    names.add(tangentName);
    const helper = helpers.find((h) => h.name === fn);
    if (!helper) throw new Error(`tsgrad: no recursive function named ${fn}`);
    const result = run(helper, { positions }, tangentName, source).func;
    made.push(loneTangent(simplify(result), tangentName, helper, positions));
    return tangentName;
  };
  const result = run({ ...func, functions: undefined }, request, name, source);
  const primals = prefixFunctions({ ...result.func, functions: helpers }, name);
  const rename = (f: Func): Func => ({ ...f, body: renameCalls(f.body, new Map(helpers.map((h) => [h.name, `${name}_${h.name}`]))) });
  return { ...result, func: { ...primals, functions: [...made.map(rename), ...(primals.functions ?? [])] } };
}

/** A tangent function returns the output's tangent alone (forward mode makes `[output, tangent]`). */
export function loneTangent(made: Func, name: string, helper: Func, positions: readonly number[]): Func {
  const result = made.result;
  const at = made.body.findIndex((s) => s.kind === 'let' && result.kind === 'var' && s.name === result.name);
  const last = made.body[at];
  if (!last || last.kind !== 'let' || last.expr.kind !== 'tuple' || last.expr.items.length !== 2) throw new Error('tsgrad: a tangent function must end with its output and tangent');
  return {
    ...made,
    name,
    body: made.body.filter((_, i) => i !== at),
    result: last.expr.items[1],
    resultTy: helper.resultTy,
    doc: `The tangent of ${helper.origin.name} (${fileName(helper.origin.file)}:${helper.origin.line}) given the tangents of ${positions.map((i) => helper.params[i].name).join(', ')}; it recomputes what it needs.`,
  };
}

/**
 * Names the recursive functions a function calls `<prefix>_<name>` (its calls too), simplified
 * and documented as the primal they are, so that several gradients in one module never clash.
 */
export function prefixFunctions(func: Func, prefix: string): Func {
  if (!func.functions?.length) return func;
  const names = new Map(func.functions.map((f) => [f.name, `${prefix}_${f.name}`]));
  const rename = (f: Func): Func => ({ ...f, body: renameCalls(f.body, names) });
  const functions = func.functions.map((h) =>
    rename({ ...simplify(h), name: names.get(h.name)!, doc: `${h.origin.name} as written (${fileName(h.origin.file)}:${h.origin.line}), where nothing is differentiated.` }),
  );
  return { ...rename(func), functions };
}

/** Makes pairs on demand; a recursive request for a pair being made gets its names. */
class PairMaker {
  private readonly made = new Map<string, Pair>();
  private readonly gradients = new Set<string>();
  /** `<fn> <Parameter key>` → the name of its weight gradient function. */
  private readonly weightGradients = new Map<string, string>();
  private readonly order: Func[][] = [];

  constructor(
    private readonly helpers: readonly Func[],
    private readonly prefix: string,
    private readonly run: Run,
    private readonly rereadable: boolean,
    /** With weights: per function, the Parameters it reads itself or through its callees. */
    private readonly slots?: ReadonlyMap<string, SlotRead[]>,
  ) {}

  readonly source: PairSource = (fn, positions, weights) => {
    if (this.rereadable) {
      const gradients = positions.map((p) => this.gradient(fn, p));
      if (!weights) return { gradients };
      const reads = this.slots?.get(fn);
      if (!reads) throw new Error(`tsgrad: no Parameters known for ${fn}`);
      return { gradients, weightGradients: reads.map((r) => this.weightGradient(fn, r)) };
    }
    const key = `${fn}(${positions.join(',')})${weights ? 'w' : ''}`;
    const existing = this.made.get(key);
    if (existing) return existing;
    const helper = this.helper(fn);
    const suffix = [...positions, ...(weights ? ['w'] : [])].join('_');
    const base = `${this.prefix}_${fn}`;
    const pair: Pair = { forward: `${base}_forward_${suffix}`, backward: `${base}_backward_${suffix}` };
    this.made.set(key, pair);
    const slot: Func[] = [];
    this.order.push(slot);
    const dout = new Namer(namesOf(helper)).fresh('dout');
    const seeded: Func = { ...helper, params: [...helper.params, { name: dout, ty: helper.resultTy, tsType: '' }] };
    const request: ReverseRequest = { positions, weights, output: 'sum', withOutputs: true, sensitivity: [v(dout)], split: true };
    const combined = simplify(this.run(seeded, request, pair.forward, this.source).func);
    slot.push(...split(combined, helper, dout, pair, positions));
    return pair;
  };

  /** Makes (or finds) `<prefix>_<fn>_gradient_<p>(...params, dout)`, the rereadable form. */
  private gradient(fn: string, p: number): string {
    const name = `${this.prefix}_${fn}_gradient_${p}`;
    if (this.gradients.has(name)) return name;
    this.gradients.add(name);
    const helper = this.helper(fn);
    const slot: Func[] = [];
    this.order.push(slot);
    const dout = new Namer(namesOf(helper)).fresh('dout');
    const seeded: Func = { ...helper, params: [...helper.params, { name: dout, ty: helper.resultTy, tsType: '' }] };
    const request: ReverseRequest = { positions: [p], weights: false, output: 'sum', withOutputs: false, sensitivity: [v(dout)], rereadable: true };
    const made = simplify(this.run(seeded, request, name, this.source).func);
    slot.push(loneGradient(made, name, helper, p));
    return name;
  }

  /**
   * Makes (or finds) `<prefix>_<fn>_gradient_<root>_<path>(...params, dout)`: the gradient of
   * one Parameter the function reads (itself or through its callees), in the rereadable form.
   */
  private weightGradient(fn: string, read: SlotRead): string {
    const made = this.weightGradients.get(`${fn} ${read.key}`);
    if (made) return made;
    // `self.a_b` and `self.a.b` would both read `self_a_b`: a name already taken gets a suffix.
    const base = `${this.prefix}_${fn}_gradient_${read.key.replace(/\./g, '_')}`;
    let name = base;
    for (let i = 1; this.gradients.has(name); i++) name = `${base}_${i}`;
    this.gradients.add(name);
    this.weightGradients.set(`${fn} ${read.key}`, name);
    const helper = this.helper(fn);
    const slot: Func[] = [];
    this.order.push(slot);
    const dout = new Namer(namesOf(helper)).fresh('dout');
    const seeded: Func = { ...helper, params: [...helper.params, { name: dout, ty: helper.resultTy, tsType: '' }] };
    const request: ReverseRequest = { positions: [], weights: true, output: 'sum', withOutputs: false, sensitivity: [v(dout)], rereadable: true };
    const result = this.run(seeded, request, name, this.source);
    const k = result.slots.findIndex((s) => [s.root, ...s.path].join('.') === read.key);
    if (k < 0) throw new Error(`tsgrad: ${fn} does not read ${read.key}`);
    // Every Parameter's gradient is made; the one asked for stays, dead code takes the others.
    slot.push(
      simplify(
        pickGradient(result.func, k, name, tensorTy, `The gradient of ${helper.origin.name} (${fileName(helper.origin.file)}:${helper.origin.line}) with respect to the Parameter ${read.key}, given the output's gradient; it recomputes what it needs, so that the compiler can read it back for a higher order.`),
      ),
    );
    return name;
  }

  private helper(fn: string): Func {
    const helper = this.helpers.find((h) => h.name === fn);
    if (!helper) throw new Error(`tsgrad: no recursive function named ${fn}`);
    return helper;
  }

  functions(): Func[] {
    return this.order.flat();
  }
}

/** A gradient function of one position returns that gradient itself, not a one-item tuple. */
function loneGradient(made: Func, name: string, helper: Func, p: number): Func {
  if (made.resultTy.kind !== 'tuple' || made.resultTy.items.length !== 1) throw new Error('tsgrad: a gradient function must end with its gradient');
  return pickGradient(
    made,
    0,
    name,
    helper.params[p].ty,
    `The gradient of ${helper.origin.name} (${fileName(helper.origin.file)}:${helper.origin.line}) with respect to ${helper.params[p].name}, given the output's gradient; it recomputes what it needs, so that the compiler can read it back for a higher order.`,
  );
}

/** A function that ends with a tuple of gradients, made to return item `k` of it alone. */
function pickGradient(made: Func, k: number, name: string, ty: Ty, doc: string): Func {
  const result = made.result;
  const at = made.body.findIndex((s) => s.kind === 'let' && result.kind === 'var' && s.name === result.name);
  const last = made.body[at];
  if (!last || last.kind !== 'let' || last.expr.kind !== 'tuple' || last.expr.items.length <= k) throw new Error('tsgrad: a gradient function must end with its gradients');
  return { ...made, name, body: made.body.filter((_, i) => i !== at), result: last.expr.items[k], resultTy: ty, doc };
}

/**
 * Cuts a differentiated function at the `SPLIT` marker. Everything the backward half reads
 * from the forward half (params included) travels in the tape, in order of definition.
 */
function split(combined: Func, helper: Func, dout: string, pair: Pair, positions: readonly number[]): [Func, Func] {
  const at = combined.body.findIndex(isSplit);
  const forward = combined.body.slice(0, at);
  const backward = combined.body.slice(at + 1);
  const last = backward.pop();
  if (!last || last.kind !== 'let' || last.expr.kind !== 'tuple') throw new Error('tsgrad: a split function must end with its gradients');
  const [output, ...grads] = last.expr.items;

  const types = new Map<string, Ty>(helper.params.map((p) => [p.name, p.ty]));
  const order = helper.params.map((p) => p.name);
  scanStmts(forward, (s) => {
    if ((s.kind === 'let' || s.kind === 'declare') && !types.has(s.name)) {
      types.set(s.name, s.ty);
      order.push(s.name);
    }
  });
  const read = new Set<string>();
  const assigned = new Set<string>();
  scanStmts(backward, (s) => {
    for (const a of atomsOf(s)) if (a.kind === 'var') read.add(a.name);
    if (s.kind === 'assign') assigned.add(s.name);
  });
  for (const g of grads) if (g.kind === 'var') read.add(g.name);
  const taped = order.filter((n) => read.has(n) || assigned.has(n));

  const names = new Namer(namesOf(combined));
  const tape = names.fresh('tape');
  const tapeTy: Ty = { kind: 'tuple', items: taped.map((n) => types.get(n) ?? otherTy) };
  const out = names.fresh('out');
  const gradsName = names.fresh('grads');
  // The positions' gradients, then (with weights) one per Parameter the function reads.
  const gradTys = grads.map((_, k) => (k < positions.length ? helper.params[positions[k]].ty : tensorTy));
  const fwd: Func = {
    ...helper,
    name: pair.forward,
    body: [
      ...forward,
      { kind: 'comment', text: `the tape: what ${pair.backward} reads` },
      { kind: 'let', name: tape, ty: tapeTy, expr: { kind: 'tuple', items: taped.map(v) } },
      { kind: 'let', name: out, ty: { kind: 'tuple', items: [helper.resultTy, tapeTy] }, expr: { kind: 'tuple', items: [output, v(tape)] } },
    ],
    result: v(out),
    resultTy: { kind: 'tuple', items: [helper.resultTy, tapeTy] },
    doc: `Forward sweep of ${helper.origin.name} (${fileName(helper.origin.file)}:${helper.origin.line}): its output, and the tape ${pair.backward} reads.`,
  };
  const restore: Stmt[] = taped.map((n, i) => ({ kind: 'let', name: n, ty: types.get(n) ?? otherTy, expr: { kind: 'index', value: v(tape), index: i }, mutable: assigned.has(n) || undefined }));
  const params: Param[] = [
    { name: tape, ty: tapeTy, tsType: '' },
    { name: dout, ty: helper.resultTy, tsType: '' },
  ];
  const bwd: Func = {
    ...helper,
    name: pair.backward,
    params,
    body: [...restore, ...backward, { kind: 'let', name: gradsName, ty: { kind: 'tuple', items: gradTys }, expr: { kind: 'tuple', items: grads } }],
    result: v(gradsName),
    resultTy: { kind: 'tuple', items: gradTys },
    doc: `Backward sweep of ${helper.origin.name}: the gradients of ${[...positions.map((i) => helper.params[i].name), ...(grads.length > positions.length ? ['the Parameters it reads'] : [])].join(', ')} from its tape and the output's gradient.`,
  };
  return [fwd, bwd];
}

function isSplit(s: Stmt): boolean {
  return s.kind === 'effect' && s.expr.kind === 'js' && SPLIT.kind === 'effect' && s.expr.template === (SPLIT.expr as { template: string }).template;
}

/** Renames the functions `call` expressions name. */
function renameCalls(stmts: readonly Stmt[], names: ReadonlyMap<string, string>): Stmt[] {
  return stmts.map((s): Stmt => {
    if (s.kind === 'let' && s.expr.kind === 'call') return { ...s, expr: { ...s.expr, fn: names.get(s.expr.fn) ?? s.expr.fn } };
    if (s.kind === 'if') return { ...s, then: renameCalls(s.then, names), else: renameCalls(s.else, names) };
    if (s.kind === 'loop') return { ...s, head: renameCalls(s.head, names), body: renameCalls(s.body, names) };
    return s;
  });
}

/** A Parameter read: `root.path…` (a `field` with `slot`). */
interface SlotRead {
  readonly key: string;
  readonly expr: Extract<Expr, { kind: 'field' }>;
}

/** Per recursive function, the Parameters it reads itself or through its callees, in order. */
function transitiveSlots(helpers: readonly Func[]): Map<string, SlotRead[]> {
  const slots = new Map<string, SlotRead[]>();
  const calls = new Map<string, string[]>();
  for (const h of helpers) {
    const own: SlotRead[] = [];
    const callees: string[] = [];
    scanStmts(h.body, (s) => {
      if (s.kind !== 'let') return;
      if (s.expr.kind === 'field' && s.expr.slot) own.push({ key: [s.expr.root, ...s.expr.path].join('.'), expr: s.expr });
      if (s.expr.kind === 'call') callees.push(s.expr.fn);
    });
    slots.set(h.name, unique(own));
    calls.set(h.name, callees);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const h of helpers) {
      const before = slots.get(h.name)!;
      const after = unique([...before, ...calls.get(h.name)!.flatMap((c) => slots.get(c) ?? [])]);
      if (after.length !== before.length) {
        slots.set(h.name, after);
        changed = true;
      }
    }
  }
  return slots;
}

/**
 * Reads, first thing, every Parameter the function's calls depend on, and names them on
 * each call (`weights`), so that reverse mode can give them their gradients.
 */
function withWeights(func: Func, slots: ReadonlyMap<string, SlotRead[]>): Func {
  const own = slots.get(func.name) ?? [];
  const needed: SlotRead[] = [...own];
  scanStmts(func.body, (s) => {
    if (s.kind === 'let' && s.expr.kind === 'call') needed.push(...(slots.get(s.expr.fn) ?? []));
  });
  const names = new Namer(namesOf(func));
  const reads = unique(needed).map((r): Stmt => ({ kind: 'let', name: names.fresh(r.expr.path[r.expr.path.length - 1] ?? 'w'), ty: tensorTy, expr: r.expr }));
  const byKey = new Map(unique(needed).map((r, i) => [r.key, v((reads[i] as { name: string }).name)]));
  const rewrite = (stmts: readonly Stmt[]): Stmt[] =>
    stmts.map((s): Stmt => {
      if (s.kind === 'let' && s.expr.kind === 'call') return { ...s, expr: { ...s.expr, weights: (slots.get(s.expr.fn) ?? []).map((r) => byKey.get(r.key)!) } };
      if (s.kind === 'if') return { ...s, then: rewrite(s.then), else: rewrite(s.else) };
      if (s.kind === 'loop') return { ...s, head: rewrite(s.head), body: rewrite(s.body) };
      return s;
    });
  return { ...func, body: [...reads, ...rewrite(func.body)] };
}

function unique(reads: readonly SlotRead[]): SlotRead[] {
  return [...new Map(reads.map((r) => [r.key, r])).values()];
}

/** A TSG1007 error at a lowered statement's place (reverse mode has no syntax nodes). */
export function recursionError(loc: Loc | undefined, detail: string, hint: string): CompileError {
  return new CompileError(diagnosticAtLoc(loc, detail, hint));
}

function diagnosticAtLoc(loc: Loc | undefined, detail: string, hint: string) {
  const entry = codes.TSG1007;
  return {
    code: 'TSG1007' as const,
    severity: 'error' as const,
    message: `${entry.message}: ${detail}`,
    hint,
    file: loc?.file ?? '',
    line: loc?.line ?? 0,
    column: loc?.column ?? 0,
    frame: frameAt(loc),
  };
}

/** The source line with a caret under the column, as diagnosticAt draws it. */
function frameAt(loc: Loc | undefined): string {
  if (!loc) return '';
  let text = loc.text;
  try {
    text = readFileSync(loc.file, 'utf8').split(/\r?\n/)[loc.line - 1] ?? text;
  } catch {
    // A file only in memory: the trimmed line, without the caret's indentation.
  }
  const caret = text === loc.text && !/^\s/.test(text) ? '^' : `${' '.repeat(loc.column - 1)}^`;
  return `${String(loc.line).padStart(4)} | ${text}\n     | ${caret}`;
}

function atomsOf(s: Stmt): readonly Atom[] {
  switch (s.kind) {
    case 'let':
    case 'effect':
      return exprAtoms(s.expr);
    case 'assign':
      return [s.value];
    case 'if':
    case 'loop':
      return [s.cond];
    default:
      return [];
  }
}

function scanStmts(stmts: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of stmts) {
    visit(s);
    for (const block of childBlocks(s)) scanStmts(block, visit);
  }
}

function namesOf(func: Func): string[] {
  const names = [...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)];
  scanStmts(func.body, (s) => {
    if (s.kind === 'let' || s.kind === 'declare') names.push(s.name);
  });
  return names;
}

function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
