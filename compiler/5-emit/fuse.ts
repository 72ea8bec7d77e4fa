// The fused form of a gradient function: runs of elementwise tensor statements become one
// loop over the elements (runtime/kernels/fused.ts: an f32x4 WebAssembly loop) instead of
// one tensor, one allocation and one pass over memory per op. It is an emit-time form
// only: the readable op-by-op function stays in the module and is what higher orders read
// and differentiate; the fused form is what the artifact calls.
//
// A run is a stretch of top-level statements whose ops act element by element on tensors
// of one shape: the ops a loop can compute (sin, mul, add, …), the gradient plumbing that
// passes a value on unchanged within one shape (sumToLike, broadcastLike), the seed
// (onesLike of a reduction, given back its axes) spread over the elements, and full sums.
// Each run becomes a helper whose guard checks at run time that its tensor inputs are
// float32 of one shape; any other call (broadcasting, float64, int32, plain kernels) runs
// the run's statements as ops, so the fused form changes how values are computed, not what.

import { Atom, Func, Param, Stmt, Ty, childBlocks, numberTy, tensorTy, v } from '../ir/nodes.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { loopOps } from '../../runtime/kernels/wasm/fused-kernel.js';
import { atom, emitFunctionLines } from './typescript.js';

export interface FusedPath {
  /** The fused function, its loops and their guarded helpers. */
  readonly code: string;
  /** The fused function's name (`<name>_fused`). */
  readonly name: string;
}

/** Runs with fewer elementwise ops than this stay ops: a loop would save nothing. */
const MIN_OPS = 2;

/** A loop operand: a value by name (an input, a scalar, a step) or a number. */
type Operand = { readonly name: string } | { readonly value: number };

/**
 * How a value of a run varies: `elem` per element (the run's shape), `uniform` one number
 * for the whole run (computed before the loop), `sum` a full reduction (known only after
 * the loop), `const` a number operand.
 */
type Kind = 'elem' | 'uniform' | 'sum' | 'const';

interface Value {
  readonly kind: Kind;
  /** Names whose values this one reads (operands read only for their shape excluded). */
  readonly reads: readonly string[];
  /** elem: the loop step computing it, or the operand it passes on unchanged. */
  readonly step?: { readonly op: string; readonly args: readonly Operand[] };
  readonly alias?: Operand;
  /** sum: what is summed. */
  readonly summand?: Operand;
  /** uniform and const: the number as a JavaScript expression. */
  readonly text?: string;
  /** Its value, when the compiler knows it (the seed's 1). */
  readonly known?: number;
}

/** One fusible run of top-level statements [start, end). */
interface Run {
  readonly start: number;
  readonly end: number;
  readonly values: ReadonlyMap<string, Value>;
  /** Inputs from before the run, in order of first use: tensors (guarded) and numbers. */
  readonly inputs: ReadonlyMap<string, 'tensor' | 'number'>;
}

/**
 * The fused form of `adjoint`, or undefined when no run is worth a loop. `name` is the
 * readable function's name; a run's loop is `<name>_loop<k>`, its helper `<name>_run<k>`.
 */
export function fusedPath(adjoint: Func, name: string, selfType: string | undefined): FusedPath | undefined {
  // Functions with local functions of their own keep the op form alone.
  if ((adjoint as { functions?: readonly unknown[] }).functions?.length) return undefined;
  const types = typesOf(adjoint);
  const runs = findRuns(adjoint, types);
  if (runs.length === 0) return undefined;
  const taken = new Set([...types.keys(), ...adjoint.roots.map((r) => r.name)]);
  const views = sliceViews(adjoint, runs);
  const helpers: string[] = [];
  const body: Stmt[] = [];
  let at = 0;
  runs.forEach((run, k) => {
    body.push(...adjoint.body.slice(at, run.start).map((s) => viewed(s, views)));
    at = run.end;
    const outs = liveOuts(adjoint, run);
    const helper = `${name}_run${k}`;
    helpers.push(loopCode(adjoint, run, name, `${name}_loop${k}`, helper, outs, views), opsHelper(adjoint, run, `${helper}_ops`, outs, taken));
    let result = `run${k}`;
    for (let i = 1; taken.has(result); i++) result = `run${k}_${i}`;
    taken.add(result);
    const inputs = [...run.inputs.keys()];
    body.push({
      kind: 'let',
      name: result,
      ty: outsTy(outs),
      expr: { kind: 'js', template: `${helper}(${inputs.map((_, i) => `$${i}`).join(', ')})`, args: inputs.map(v) },
    });
    outs.forEach((out, i) => body.push({ kind: 'let', name: out, ty: tensorTy, expr: { kind: 'index', value: v(result), index: i } }));
  });
  body.push(...adjoint.body.slice(at).map((s) => viewed(s, views)));
  const fusedBody = padSliceSums(body, adjoint.result);
  const fusedName = `${name}_fused`;
  const loops = runs.length === 1 ? 'one loop' : `${runs.length} loops`;
  const { text } = emitFunctionLines(
    { ...adjoint, body: fusedBody },
    { name: fusedName, selfType, doc: [`${name} with its elementwise runs fused into ${loops}: the same values,`, `computed in one pass each. ${name} is the form higher orders read.`] },
  );
  return { code: [text.join('\n'), ...helpers].join('\n\n'), name: fusedName };
}

// ------------------------------------------------------------------ finding runs

function typesOf(func: Func): Map<string, Ty> {
  const types = new Map<string, Ty>(func.params.map((p) => [p.name, p.ty]));
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'let' || s.kind === 'declare') types.set(s.name, s.ty);
      childBlocks(s).forEach(visit);
    }
  };
  visit(func.body);
  return types;
}

function findRuns(func: Func, types: ReadonlyMap<string, Ty>): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < func.body.length) {
    const run = bestRunAt(func, i, types);
    if (run) {
      runs.push(run);
      i = run.end;
    } else i++;
  }
  return runs;
}

/**
 * The longest run from `start` whose results leave it as tensors: a uniform value read
 * after the run has no tensor in the loop, so the run stops before it.
 */
function bestRunAt(func: Func, start: number, types: ReadonlyMap<string, Ty>): Run | undefined {
  let limit = func.body.length;
  for (;;) {
    const run = scan(func.body, start, limit, types);
    if (run.end === start) return undefined;
    const outs = liveOuts(func, run);
    const stray = outs.find((o) => run.values.get(o)!.kind === 'uniform');
    if (stray !== undefined) {
      limit = func.body.findIndex((s, i) => i >= start && s.kind === 'let' && s.name === stray);
      continue;
    }
    const work = [...needed(run, outs)].filter((n) => run.values.get(n)?.step !== undefined);
    if (work.length < MIN_OPS || ![...run.inputs.values()].includes('tensor')) return undefined;
    return run;
  }
}

/** Classifies statements from `start` while they fuse; the run ends at the first that does not. */
function scan(body: readonly Stmt[], start: number, limit: number, types: ReadonlyMap<string, Ty>): Run {
  const values = new Map<string, Value>();
  const inputs = new Map<string, 'tensor' | 'number'>();
  let end = start;
  for (let i = start; i < limit; i++) {
    const s = body[i];
    if (s.kind === 'comment') continue;
    if (s.kind !== 'let' || s.mutable || s.ty.kind !== 'tensor' || s.expr.kind !== 'prim') break;
    const value = classify(s.expr.op, s.expr.args, values, inputs, types);
    if (!value) break;
    values.set(s.name, value);
    end = i + 1;
  }
  return { start, end, values, inputs };
}

interface Use {
  readonly kind: Kind;
  /** The number it is, when known at compile time. */
  readonly known?: number;
  /** What a loop step reads for it. */
  readonly operand: Operand;
  readonly reads: readonly string[];
  readonly text: string;
}

/** An operand as the run sees it, registering inputs from before the run; undefined: it does not fuse. */
function use(a: Atom, values: ReadonlyMap<string, Value>, inputs: Map<string, 'tensor' | 'number'>, types: ReadonlyMap<string, Ty>): Use | undefined {
  if (a.kind === 'lit') {
    if (typeof a.value !== 'number') return undefined;
    const text = atom(a);
    return { kind: 'const', operand: { value: a.value }, reads: [], text: text.startsWith('-') ? `(${text})` : text, known: a.value };
  }
  const known = values.get(a.name);
  if (known) {
    const operand = known.alias ?? { name: a.name };
    const value = known.known ?? (operand && 'value' in operand ? operand.value : undefined);
    return { kind: known.kind, operand, reads: [a.name], text: a.name, known: value };
  }
  const ty = types.get(a.name);
  if (ty?.kind !== 'tensor' && ty?.kind !== 'number') return undefined;
  inputs.set(a.name, ty.kind);
  return { kind: ty.kind === 'tensor' ? 'elem' : 'const', operand: { name: a.name }, reads: [a.name], text: a.name };
}

const isDefault = (a: Atom | undefined) => a === undefined || (a.kind === 'lit' && (a.value === undefined || a.value === null || a.value === false));

function classify(op: string, args: readonly Atom[], values: ReadonlyMap<string, Value>, inputs: Map<string, 'tensor' | 'number'>, types: ReadonlyMap<string, Ty>): Value | undefined {
  // Operands register inputs on a copy, kept only if the statement fuses.
  const seen = new Map(inputs);
  const get = (a: Atom | undefined) => (a === undefined ? undefined : use(a, values, seen, types));
  const done = (value: Value | undefined) => {
    if (value) for (const [k, t] of seen) inputs.set(k, t);
    return value;
  };
  switch (op) {
    case 'onesLike':
    case 'zerosLike': {
      // Only the shape is read: ones of the run's shape, or one number for a reduction's.
      const x = get(args[0]);
      if (!x || x.kind === 'const') return undefined;
      const one = op === 'onesLike' ? 1 : 0;
      return done(x.kind === 'elem' ? { kind: 'elem', reads: [], alias: { value: one } } : { kind: 'uniform', reads: [], text: String(one), known: one });
    }
    case 'restoreReduced': {
      // A full reduction's value given back its axes as size 1: the same one number.
      const [g, x] = [get(args[0]), get(args[1])];
      if (g?.kind !== 'uniform' || !x || !isDefault(args[2]) || !isDefault(args[3])) return undefined;
      return done({ kind: 'uniform', reads: g.reads, text: g.text, known: g.known });
    }
    case 'broadcastLike': {
      // Within the run's shape, or one number spread over it: the value passes on.
      const [g, like] = [get(args[0]), get(args[1])];
      if (like?.kind !== 'elem' || (g?.kind !== 'elem' && g?.kind !== 'uniform')) return undefined;
      return done({ kind: 'elem', reads: g.reads, alias: g.operand, known: g.known });
    }
    case 'sumToLike': {
      const [g, like] = [get(args[0]), get(args[1])];
      if (g?.kind !== 'elem' || like?.kind !== 'elem') return undefined;
      return done({ kind: 'elem', reads: g.reads, alias: g.operand, known: g.known });
    }
    case 'sum': {
      const x = get(args[0]);
      if (x?.kind !== 'elem' || !('name' in x.operand) || !isDefault(args[1]) || !isDefault(args[2])) return undefined;
      return done({ kind: 'sum', reads: x.reads, summand: x.operand });
    }
    default: {
      const spec = primitiveSpec(op);
      const loop = loopOps[op];
      if (!spec?.number || !loop || args.length !== loop.arity) return undefined;
      const ops = args.map(get);
      if (ops.some((o) => !o || o.kind === 'sum')) return undefined;
      // x·1 (the seed times a value) passes x on: no step.
      if (op === 'mul') {
        const [a, b] = ops as Use[];
        const other = a.known === 1 ? b : b.known === 1 ? a : undefined;
        if (other?.kind === 'elem') return done({ kind: 'elem', reads: other.reads, alias: other.operand });
      }
      const kinds = ops.map((o) => o!.kind);
      const reads = ops.flatMap((o) => o!.reads);
      if (kinds.includes('elem')) return done({ kind: 'elem', reads, step: { op, args: ops.map((o) => o!.operand) } });
      if (!kinds.includes('uniform')) return undefined;
      // One number for the whole run, computed before the loop with the op's number form.
      const text = spec.number.syntax.replace(/\$(\d+)/g, (_, i: string) => ops[Number(i)]!.text);
      return done({ kind: 'uniform', reads, text });
    }
  }
}

// ------------------------------------------------------------------ liveness

/** How many times each name is read in `stmts` (nested blocks included). */
function readCounts(stmts: readonly Stmt[], into = new Map<string, number>()): Map<string, number> {
  const add = (a: Atom) => {
    if (a.kind === 'var') into.set(a.name, (into.get(a.name) ?? 0) + 1);
  };
  for (const s of stmts) {
    if (s.kind === 'let' || s.kind === 'effect') exprAtoms(s.expr).forEach(add);
    else if (s.kind === 'assign') add(s.value);
    else if (s.kind === 'if' || s.kind === 'loop') add(s.cond);
    childBlocks(s).forEach((b) => readCounts(b, into));
  }
  return into;
}

/** Names read anywhere in `stmts` (nested blocks included). */
function readsOf(stmts: readonly Stmt[]): Set<string> {
  return new Set(readCounts(stmts).keys());
}

/** Values of the run read after it, in definition order. */
function liveOuts(func: Func, run: Run): string[] {
  const after = readsOf(func.body.slice(run.end));
  if (func.result.kind === 'var') after.add(func.result.name);
  return [...run.values.keys()].filter((n) => after.has(n));
}

/** The run's values (and inputs) that `outs` read, transitively. */
function needed(run: Run, outs: readonly string[]): Set<string> {
  const need = new Set<string>();
  const stack = [...outs];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (need.has(n)) continue;
    need.add(n);
    stack.push(...(run.values.get(n)?.reads ?? []));
  }
  return need;
}

// ------------------------------------------------------------------ emitting

function outsTy(outs: readonly string[]): Ty {
  return { kind: 'tuple', items: outs.map(() => tensorTy) };
}

const quote = (name: string) => `'${name}'`;
const operandText = (o: Operand) => ('name' in o ? quote(o.name) : atom({ kind: 'lit', value: o.value }));

/**
 * The run's loop program (a module-level `fused.loop`) and its helper: the guard, the
 * uniform numbers, then one call.
 */
function loopCode(func: Func, run: Run, owner: string, loop: string, helper: string, outs: readonly string[], views: ReadonlySet<string>): string {
  const stmts = func.body.slice(run.start, run.end);
  const need = needed(run, outs);
  const tensors = [...run.inputs].filter(([, k]) => k === 'tensor').map(([n]) => n);
  const scalars = new Set<string>();
  const scalar = (o: Operand) => {
    if ('name' in o && (run.inputs.get(o.name) === 'number' || run.values.get(o.name)?.kind === 'uniform')) scalars.add(o.name);
  };
  const steps: string[] = [];
  let comment: string | undefined;
  let said: string | undefined;
  for (const s of stmts) {
    if (s.kind === 'comment') comment = s.text;
    if (s.kind !== 'let' || !need.has(s.name)) continue;
    const step = run.values.get(s.name)!.step;
    if (!step) continue;
    step.args.forEach(scalar);
    if (comment !== undefined && comment !== said) steps.push(`    // ${comment}`);
    said = comment;
    steps.push(`    [${[quote(s.name), quote(step.op), ...step.args.map(operandText)].join(', ')}],`);
  }
  // Outputs are stored from loop values; one that is a constant is copied into one first.
  const stored = (n: string): string => {
    const value = run.values.get(n)!;
    const o = value.alias ?? value.summand ?? { name: n };
    scalar(o);
    if ('name' in o) return o.name;
    steps.push(`    [${quote(n)}, 'copy', ${operandText(o)}],`);
    return n;
  };
  const elemOuts = outs.filter((o) => run.values.get(o)!.kind === 'elem');
  const sumOuts = outs.filter((o) => run.values.get(o)!.kind === 'sum');
  const outputs = elemOuts.map(stored);
  const sums = sumOuts.map(stored);
  const names = (stmts.filter((s) => s.kind === 'let') as { name: string }[]).map((s) => s.name);
  const span = `${names[0]} … ${names[names.length - 1]} of ${owner}`;
  const list = (items: readonly string[]) => `[${items.map(quote).join(', ')}]`;
  const program = [
    `/** ${span} as one pass over the elements (an f32x4 WebAssembly loop). */`,
    `const ${loop} = fused.loop({`,
    `  inputs: ${list(tensors)},`,
    `  scalars: ${list([...scalars])},`,
    '  steps: [',
    ...steps,
    '  ],',
    `  outputs: ${list(outputs)},`,
    `  sums: ${list(sums)},`,
    '});',
  ];
  const params = paramsOf(run);
  const prologue = [...run.values]
    .filter(([n, value]) => value.kind === 'uniform' && need.has(n))
    // A uniform value is a float32 tensor in the ops: each is rounded as the op rounds it.
    .map(([n, value]) => `  const ${n} = ${/^[\w$.]+$/.test(value.text!) ? value.text : `Math.fround(${value.text})`};`);
  const results = [...elemOuts, ...sumOuts];
  const call = `${loop}.run([${tensors.join(', ')}], [${[...scalars].join(', ')}])`;
  const fn = [
    '/**',
    ` * ${span} in ${loop} when every tensor input is float32 of one shape;`,
    ' * otherwise the same statements as ops.',
    ' */',
    `function ${helper}(${params.map((p) => `${p.name}: ${p.tsType}`).join(', ')}): ${tsTuple(outs)} {`,
    // Views of slices are copied before the ops, which may return an input as it is.
    `  if (!fused.accepts(${tensors.join(', ')})) return ${helper}_ops(${params.map((p) => (views.has(p.name) ? `fused.owned(${p.name})` : p.name)).join(', ')});`,
    ...prologue,
    `  const [${results.join(', ')}] = ${call} as ${tsTuple(results)};`,
    `  return [${outs.join(', ')}];`,
    '}',
  ];
  return [...program, '', ...fn].join('\n');
}

function paramsOf(run: Run): Param[] {
  return [...run.inputs].map(([name, kind]) => ({ name, ty: kind === 'tensor' ? tensorTy : numberTy, tsType: kind === 'tensor' ? 'Tensor' : 'number' }));
}

/** The run's statements as ops, for calls the loop does not take. */
function opsHelper(func: Func, run: Run, helper: string, outs: readonly string[], taken: Set<string>): string {
  let result = 'outs';
  for (let k = 1; taken.has(result); k++) result = `outs${k}`;
  const body: Stmt[] = [
    ...func.body.slice(run.start, run.end),
    { kind: 'let', name: result, ty: outsTy(outs), expr: { kind: 'tuple', items: outs.map(v) } },
  ];
  const ops: Func = { ...func, roots: [], params: paramsOf(run), body, result: v(result), resultTy: outsTy(outs) };
  const { text } = emitFunctionLines(ops, { name: helper });
  return text.join('\n').replace(/^export function /, 'function ');
}

function tsTuple(outs: readonly string[]): string {
  return `[${outs.map(() => 'Tensor').join(', ')}]`;
}

// ------------------------------------------------------------------ slices around loops

/**
 * Slices read only by loops: the fused form takes them as views of their source (the
 * loop copies what it reads), with no array of their own.
 */
function sliceViews(func: Func, runs: readonly Run[]): Set<string> {
  const outside = func.body.filter((_, i) => !runs.some((r) => i >= r.start && i < r.end));
  const read = readsOf(outside);
  if (func.result.kind === 'var') read.add(func.result.name);
  const views = new Set<string>();
  for (const s of func.body) {
    if (s.kind !== 'let' || s.ty.kind !== 'tensor' || s.expr.kind !== 'prim' || s.expr.op !== 'slice' || s.expr.args.length !== 3) continue;
    if (!read.has(s.name) && runs.some((r) => r.inputs.get(s.name) === 'tensor')) views.add(s.name);
  }
  return views;
}

/** A slice statement of a view, as the view. */
function viewed(s: Stmt, views: ReadonlySet<string>): Stmt {
  if (s.kind !== 'let' || !views.has(s.name) || s.expr.kind !== 'prim') return s;
  return { ...s, expr: { kind: 'js', template: 'fused.slice($0, $1, $2)', args: s.expr.args } };
}

/**
 * `add(padSlice(g0, like, b0), padSlice(g1, like, b1))` whose padSlices are read only
 * there (the adjoint of two slices of one tensor): one array, written once.
 */
function padSliceSums(body: readonly Stmt[], result: Atom): Stmt[] {
  const counts = readCounts(body);
  if (result.kind === 'var') counts.set(result.name, (counts.get(result.name) ?? 0) + 1);
  const pads = new Map<string, readonly Atom[]>();
  for (const s of body) {
    if (s.kind === 'let' && s.ty.kind === 'tensor' && s.expr.kind === 'prim' && s.expr.op === 'padSlice' && s.expr.args.length === 3 && counts.get(s.name) === 1) {
      pads.set(s.name, s.expr.args);
    }
  }
  const merged = new Map<string, Stmt>();
  const dropped = new Set<string>();
  for (const s of body) {
    if (s.kind !== 'let' || s.expr.kind !== 'prim' || s.expr.op !== 'add' || s.expr.args.length !== 2) continue;
    const [a, b] = s.expr.args;
    if (a.kind !== 'var' || b.kind !== 'var' || a.name === b.name) continue;
    const [pa, pb] = [pads.get(a.name), pads.get(b.name)];
    const like = pa?.[1];
    if (!pa || !pb || like?.kind !== 'var' || pb[1].kind !== 'var' || pb[1].name !== like.name) continue;
    merged.set(s.name, { ...s, expr: { kind: 'js', template: 'fused.padSlices($0, [$1, $2], [$3, $4])', args: [like, pa[0], pa[2], pb[0], pb[2]] } });
    dropped.add(a.name).add(b.name);
  }
  return body.filter((s) => !(s.kind === 'let' && dropped.has(s.name))).map((s) => (s.kind === 'let' ? merged.get(s.name) ?? s : s));
}
