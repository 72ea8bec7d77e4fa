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
//
// Below the loops' 32 elements (and without WebAssembly) a run is the same steps as a plain
// JavaScript loop written into the module, float32 step by step (Math.fround), with each
// op's plain-kernel expression, so its bits are the ops' bits. A run whose ops are all
// exact IEEE operations (no sin, cos, exp, tanh) is framed (runtime/kernels/fused-frame.ts):
// it also takes in the slices of inputs it reads, as offsets into the input's data, and the
// padSlices of its results (one, or a sum of two), written in place into one new array, so
// a gradient such as Rosenbrock's is one pass with one output, as code written by hand.

import { Atom, Func, Param, Stmt, Ty, childBlocks, numberTy, tensorTy, v } from '../ir/nodes.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { loopOps } from '../../runtime/kernels/wasm/fused-kernel.js';
import { unaryMathNames } from '../../runtime/kernels/wasm/elementwise-kernel.js';
import { atom, emitFunctionLines } from './typescript.js';
import { JsStep, f32Literal, jsLoopLines, stepExpression } from './fuse-js.js';

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
 * the loop), `const` a number operand. In framed runs only: `shape` a tuple of numbers (a
 * slice's begin or size), `pad` a padSlice of an elem value, `padSum` the sum of two pads.
 */
type Kind = 'elem' | 'uniform' | 'sum' | 'const' | 'shape' | 'pad' | 'padSum';

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
  /** shape: its first item, when that is a number literal (a begin known at compile time). */
  readonly lead?: number;
  /** shape: how many items it has (one for a box of a vector). */
  readonly items?: number;
  /** shape of one item: that item as a JavaScript expression (a run over vectors passes it, not an array). */
  readonly item?: string;
  /** Its value, when the compiler knows it (the seed's 1). */
  readonly known?: number;
  /** elem: `slice(source, begin, size)` of an input, read in place by a framed loop. */
  readonly window?: { readonly source: string; readonly begin: string; readonly size: string };
  /** pad: `padSlice(value, like, begin)` of a loop value. */
  readonly pad?: { readonly value: Operand; readonly like: string; readonly begin: string };
  /** padSum: the two pads added (in order). */
  readonly pieces?: readonly string[];
}

/** One fusible run of top-level statements [start, end). */
interface Run {
  readonly start: number;
  readonly end: number;
  readonly values: ReadonlyMap<string, Value>;
  /** Inputs from before the run, in order of first use: tensors (guarded) and numbers. */
  readonly inputs: ReadonlyMap<string, 'tensor' | 'number'>;
  /** A JavaScript loop over slices and padSlices at any size, with no WebAssembly form. */
  readonly framed: boolean;
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
    const code = run.framed ? frameCode(adjoint, run, name, helper, `${name}_loop${k}`, outs, new Set(taken)) : loopCode(adjoint, run, name, `${name}_loop${k}`, helper, outs, views, new Set(taken));
    helpers.push(code, opsHelper(adjoint, run, `${helper}_ops`, outs, taken));
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

/** A framed run from `start` when it reads a slice or writes a padSlice in place; else a plain one. */
function bestRunAt(func: Func, start: number, types: ReadonlyMap<string, Ty>): Run | undefined {
  const framed = longestRunAt(func, start, types, true);
  if (framed && framable(func, framed)) return framed;
  return longestRunAt(func, start, types, false);
}

/** What leaves a run only as a tensor it returns: not a number, a slice's shape or a window. */
const strays = (value: Value) => value.kind === 'uniform' || value.kind === 'shape' || value.window !== undefined;

/**
 * The longest run from `start` whose results leave it as tensors: a uniform value read
 * after the run has no tensor in the loop, so the run stops before it.
 */
function longestRunAt(func: Func, start: number, types: ReadonlyMap<string, Ty>, framed: boolean): Run | undefined {
  let limit = func.body.length;
  for (;;) {
    const run = scan(func.body, start, limit, types, framed);
    if (run.end === start) return undefined;
    const outs = liveOuts(func, run);
    const stray = outs.find((o) => strays(run.values.get(o)!));
    if (stray !== undefined) {
      limit = func.body.findIndex((s, i) => i >= start && s.kind === 'let' && s.name === stray);
      continue;
    }
    const work = [...needed(run, outs)].filter((n) => run.values.get(n)?.step !== undefined);
    if (work.length < MIN_OPS || ![...run.inputs.values()].includes('tensor')) return undefined;
    return run;
  }
}

/** Ops whose float32 kernel is WebAssembly from 32 elements on: a JavaScript loop matches them only below. */
const wasmOnlyOps: ReadonlySet<string> = new Set(unaryMathNames);

/**
 * True when a framed run is worth it and sound: it reads a slice or writes a padSlice in
 * place, computes no op whose kernel is WebAssembly (the frame is a JavaScript loop at any
 * size), and each padSlice is either returned or one of the two pieces of one sum.
 */
function framable(func: Func, run: Run): boolean {
  const outs = liveOuts(func, run);
  const need = [...needed(run, outs)].filter((n) => run.values.has(n));
  const values = need.map((n) => run.values.get(n)!);
  if (!values.some((x) => x.window || x.pad)) return false;
  if (values.some((x) => x.step && wasmOnlyOps.has(x.step.op))) return false;
  return need.every((n) => {
    if (run.values.get(n)!.kind !== 'pad') return true;
    const readers = need.filter((m) => run.values.get(m)!.reads.includes(n));
    return outs.includes(n) ? readers.length === 0 : readers.length === 1 && run.values.get(readers[0])!.kind === 'padSum';
  });
}

/** Classifies statements from `start` while they fuse; the run ends at the first that does not. */
function scan(body: readonly Stmt[], start: number, limit: number, types: ReadonlyMap<string, Ty>, framed: boolean): Run {
  const values = new Map<string, Value>();
  const inputs = new Map<string, 'tensor' | 'number'>();
  let end = start;
  for (let i = start; i < limit; i++) {
    const s = body[i];
    if (s.kind === 'comment') continue;
    if (s.kind !== 'let' || s.mutable) break;
    let value: Value | undefined;
    if (framed && s.expr.kind === 'tuple') value = shapeValue(s.expr.items, values, inputs, types);
    else if (s.ty.kind === 'tensor' && s.expr.kind === 'prim') value = classify(s.expr.op, s.expr.args, values, inputs, types, framed);
    if (!value) break;
    values.set(s.name, value);
    end = i + 1;
  }
  return { start, end, values, inputs, framed };
}

/** A tuple of numbers (a slice's begin or size) in a framed run; its items are inputs or literals. */
function shapeValue(items: readonly Atom[], values: ReadonlyMap<string, Value>, inputs: Map<string, 'tensor' | 'number'>, types: ReadonlyMap<string, Ty>): Value | undefined {
  const reads: string[] = [];
  for (const a of items) {
    if (a.kind === 'lit' && typeof a.value === 'number') continue;
    if (a.kind !== 'var' || values.has(a.name) || types.get(a.name)?.kind !== 'number') return undefined;
    reads.push(a.name);
  }
  for (const r of reads) inputs.set(r, 'number');
  const lead = items[0]?.kind === 'lit' && typeof items[0].value === 'number' ? items[0].value : undefined;
  const item = items.length === 1 ? atom(items[0]) : undefined;
  return { kind: 'shape', reads, text: `[${items.map(atom).join(', ')}]`, lead, items: items.length, item };
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

/** True when `a` names a tensor from before the run. */
const isInputTensor = (a: Atom | undefined, values: ReadonlyMap<string, Value>, types: ReadonlyMap<string, Ty>): a is Atom & { kind: 'var' } =>
  a?.kind === 'var' && !values.has(a.name) && types.get(a.name)?.kind === 'tensor';

/** True when `a` names a shape value of the run. */
const isShape = (a: Atom | undefined, values: ReadonlyMap<string, Value>): a is Atom & { kind: 'var' } =>
  a?.kind === 'var' && values.get(a.name)?.kind === 'shape';

function classify(op: string, args: readonly Atom[], values: ReadonlyMap<string, Value>, inputs: Map<string, 'tensor' | 'number'>, types: ReadonlyMap<string, Ty>, framed: boolean): Value | undefined {
  // Operands register inputs on a copy, kept only if the statement fuses.
  const seen = new Map(inputs);
  const get = (a: Atom | undefined) => (a === undefined ? undefined : use(a, values, seen, types));
  const done = (value: Value | undefined) => {
    if (value) for (const [k, t] of seen) inputs.set(k, t);
    return value;
  };
  if (framed) {
    const [a, b, c] = args;
    // slice(x, begin, size) of an input: read in place.
    if (op === 'slice' && args.length === 3 && isInputTensor(a, values, types) && isShape(b, values) && isShape(c, values)) {
      seen.set(a.name, 'tensor');
      return done({ kind: 'elem', reads: [a.name, b.name, c.name], window: { source: a.name, begin: b.name, size: c.name } });
    }
    // padSlice(g, like, begin) of a loop value: written in place.
    if (op === 'padSlice' && args.length === 3 && isInputTensor(b, values, types) && isShape(c, values)) {
      const g = get(a);
      if (g?.kind !== 'elem') return undefined;
      seen.set(b.name, 'tensor');
      return done({ kind: 'pad', reads: [...g.reads, b.name, c.name], pad: { value: g.operand, like: b.name, begin: c.name } });
    }
    // The sum of two padSlices like one tensor: both written into one array.
    const [pa, pb] = [a?.kind === 'var' ? values.get(a.name)?.pad : undefined, b?.kind === 'var' ? values.get(b.name)?.pad : undefined];
    if (op === 'add' && args.length === 2 && pa && pb && pa.like === pb.like && a.kind === 'var' && b.kind === 'var' && a.name !== b.name) {
      return done({ kind: 'padSum', reads: [a.name, b.name], pieces: [a.name, b.name] });
    }
  }
  switch (op) {
    case 'onesLike':
    case 'zerosLike': {
      // Only the shape is read: ones of the run's shape, or one number for a reduction's.
      const x = get(args[0]);
      if (!x || (x.kind !== 'elem' && x.kind !== 'uniform' && x.kind !== 'sum')) return undefined;
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
      if (ops.some((o) => !o || (o.kind !== 'elem' && o.kind !== 'uniform' && o.kind !== 'const'))) return undefined;
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
 * The run's loop program (a module-level `fused.loop`) and its helper: the uniform numbers,
 * then the WebAssembly loop, or below its 32 elements the same steps as a JavaScript loop.
 */
function loopCode(func: Func, run: Run, owner: string, loop: string, helper: string, outs: readonly string[], views: ReadonlySet<string>, taken: Set<string>): string {
  const stmts = func.body.slice(run.start, run.end);
  const need = needed(run, outs);
  const tensors = [...run.inputs].filter(([, k]) => k === 'tensor').map(([n]) => n);
  const scalars = new Set<string>();
  const scalar = (o: Operand) => {
    if ('name' in o && (run.inputs.get(o.name) === 'number' || run.values.get(o.name)?.kind === 'uniform')) scalars.add(o.name);
  };
  const steps: string[] = [];
  for (const step of loopSteps(func, run, need)) {
    step.args.forEach(scalar);
    if (step.comment !== undefined) steps.push(`    // ${step.comment}`);
    steps.push(`    [${[quote(step.name), quote(step.op), ...step.args.map(operandText)].join(', ')}],`);
  }
  // Outputs are stored from loop values; one that is a constant is copied into one first.
  const stored = (n: string): string => {
    const o = valueOperand(run, n);
    scalar(o);
    if ('name' in o) return o.name;
    steps.push(`    [${quote(n)}, 'copy', ${operandText(o)}],`);
    return n;
  };
  const elemOuts = outs.filter((o) => run.values.get(o)!.kind === 'elem');
  const sumOuts = outs.filter((o) => run.values.get(o)!.kind === 'sum');
  const outputs = elemOuts.map(stored);
  const sums = sumOuts.map(stored);
  const span = spanOf(stmts, owner);
  const program = loopDeclaration(`${span} as one pass over the elements (an f32x4 WebAssembly loop).`, loop, { inputs: tensors, scalars: [...scalars], steps, outputs, sums });
  const params = paramsOf(run);
  const results = [...elemOuts, ...sumOuts];
  const call = `${loop}.run([${tensors.join(', ')}], [${[...scalars].join(', ')}])`;
  // Views of slices are copied before the ops, which may return an input as it is.
  const opsCall = `${helper}_ops(${params.map((p) => (views.has(p.name) ? `fused.owned(${p.name})` : p.name)).join(', ')})`;
  const fresh = namer(taken);
  const js = new JsFrame(run, fresh);
  for (const t of tensors) js.whole(t);
  const fn = [
    '/**',
    ` * ${span} in ${loop} when every tensor input is float32 of one shape and at least 32`,
    ' * elements; below that the same steps as a JavaScript loop; otherwise the same statements as ops.',
    ' */',
    `function ${helper}(${params.map((p) => `${p.name}: ${p.tsType}`).join(', ')}): ${tsTuple(outs)} {`,
    ...prologue(run, need),
    `  if (fused.accepts(${tensors.join(', ')})) {`,
    `    const [${results.join(', ')}] = ${call} as ${tsTuple(results)};`,
    `    return [${outs.join(', ')}];`,
    '  }',
    '  // Fewer elements, or no WebAssembly: the op kernels are these plain expressions.',
    ...js.body(func, need, outs, opsCall),
    '}',
  ];
  return [...program, '', ...fn].join('\n');
}

/**
 * A framed run's helper: one JavaScript loop that reads the run's slices in place and
 * writes its padSlices in place, when every tensor is float32 and every box contiguous.
 */
function frameCode(func: Func, run: Run, owner: string, helper: string, loopName: string, outs: readonly string[], taken: Set<string>): string {
  const stmts = func.body.slice(run.start, run.end);
  const need = needed(run, outs);
  const params = paramsOf(run);
  const fresh = namer(taken);
  const js = new JsFrame(run, fresh);
  // Inputs read whole first: they and the windows set the loop's shape.
  const operands = [...loopSteps(func, run, need).flatMap((s) => s.args), ...outs.flatMap((o) => outOperands(run, o))];
  for (const o of operands) if ('name' in o && run.inputs.get(o.name) === 'tensor') js.whole(o.name);
  for (const [n, value] of run.values) if (value.window && need.has(n)) js.window(n, value.window);
  // Over vectors the checks take a box's one item itself: no array is made for it.
  const shapes = js.vectorsOnly() ? [] : [...run.values].filter(([n, value]) => value.kind === 'shape' && need.has(n)).map(([n, value]) => `  const ${n} = ${value.text};`);
  const wasm = new WasmProgram(loopName, run, loopSteps(func, run, need), fresh, spanOf(stmts, owner));
  const fn = [
    '/**',
    ` * ${spanOf(stmts, owner)} as one loop over the elements (JavaScript, or the WebAssembly loop`,
    ' * when it takes the count): slices read in place, padSlices written in place, when every tensor',
    ' * is float32 and every box one contiguous block; otherwise the same statements as ops.',
    ' */',
    `function ${helper}(${params.map((p) => `${p.name}: ${p.tsType}`).join(', ')}): ${tsTuple(outs)} {`,
    ...shapes,
    ...prologue(run, need),
    ...js.body(func, need, outs, `${helper}_ops(${params.map((p) => p.name).join(', ')})`, wasm),
    '}',
  ];
  return [...(wasm.text.length > 0 ? [...wasm.text, ''] : []), ...fn].join('\n');
}

/** The lines declaring loop `name`: `fused.loop({...})` of a program whose steps are already lines. */
function loopDeclaration(
  doc: string,
  name: string,
  program: { inputs: readonly string[]; scalars: readonly string[]; steps: readonly string[]; outputs: readonly string[]; sums: readonly string[] },
): string[] {
  const list = (items: readonly string[]) => `[${items.map(quote).join(', ')}]`;
  return [
    `/** ${doc} */`,
    `const ${name} = fused.loop({`,
    `  inputs: ${list(program.inputs)},`,
    `  scalars: ${list(program.scalars)},`,
    '  steps: [',
    ...program.steps,
    '  ],',
    `  outputs: ${list(program.outputs)},`,
    `  sums: ${list(program.sums)},`,
    '});',
  ];
}

/** `first … last of owner`: the statements a run covers. */
function spanOf(stmts: readonly Stmt[], owner: string): string {
  const names = (stmts.filter((s) => s.kind === 'let') as { name: string }[]).map((s) => s.name);
  return `${names[0]} … ${names[names.length - 1]} of ${owner}`;
}

/** A loop step: the value it defines, its op and operands, and the source comment to show above it. */
interface LoopStepOf {
  readonly name: string;
  readonly op: string;
  readonly args: readonly Operand[];
  readonly comment?: string;
}

/** The steps that `need` needs, in statement order, each with its comment where that changes. */
function loopSteps(func: Func, run: Run, need: ReadonlySet<string>): LoopStepOf[] {
  const steps: LoopStepOf[] = [];
  let comment: string | undefined;
  let said: string | undefined;
  for (const s of func.body.slice(run.start, run.end)) {
    if (s.kind === 'comment') comment = s.text;
    if (s.kind !== 'let' || !need.has(s.name)) continue;
    const step = run.values.get(s.name)!.step;
    if (!step) continue;
    steps.push({ name: s.name, op: step.op, args: step.args, comment: comment !== said ? comment : undefined });
    said = comment;
  }
  return steps;
}

/** What an output stores: the value it passes on, what it sums, or itself. */
function valueOperand(run: Run, n: string): Operand {
  const value = run.values.get(n)!;
  return value.alias ?? value.summand ?? { name: n };
}

/** The operands an output of a framed run stores: its own, or its padSlices' values. */
function outOperands(run: Run, n: string): Operand[] {
  const value = run.values.get(n)!;
  if (value.pieces) return value.pieces.map((p) => run.values.get(p)!.pad!.value);
  if (value.pad) return [value.pad.value];
  return [valueOperand(run, n)];
}

/** The run's uniform numbers, each rounded to float32 as the op that makes it rounds it. */
function prologue(run: Run, need: ReadonlySet<string>): string[] {
  return [...run.values]
    .filter(([n, value]) => value.kind === 'uniform' && need.has(n))
    .map(([n, value]) => `  const ${n} = ${/^[\w$.]+$/.test(value.text!) ? value.text : `Math.fround(${value.text})`};`);
}

/** Fresh local names, unlike every name in `taken` and each other. */
function namer(taken: Set<string>): (base: string) => string {
  return (base) => {
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  };
}

/**
 * The WebAssembly program of a framed run (a module-level `fused.loop`), defined once the
 * frame knows which inputs the loop reads and which values it writes where.
 */
class WasmProgram {
  text: string[] = [];

  constructor(readonly name: string, private readonly run: Run, private readonly steps: readonly LoopStepOf[], private readonly fresh: (base: string) => string, private readonly span: string) {}

  /** Defines the program for `inputs` and `outputs`; returns the scalars its call passes. */
  define(inputs: readonly string[], outputs: readonly Operand[]): { scalars: string[] } {
    const { run } = this;
    const scalars = new Set<string>();
    const scalar = (o: Operand) => {
      if ('name' in o && (run.inputs.get(o.name) === 'number' || run.values.get(o.name)?.kind === 'uniform')) scalars.add(o.name);
    };
    const steps: string[] = [];
    for (const step of this.steps) {
      step.args.forEach(scalar);
      if (step.comment !== undefined) steps.push(`    // ${step.comment}`);
      steps.push(`    [${[quote(step.name), quote(step.op), ...step.args.map(operandText)].join(', ')}],`);
    }
    // Outputs are stored from loop values; a constant is copied into one first.
    const stored = outputs.map((o) => {
      scalar(o);
      if ('name' in o) return o.name;
      const name = this.fresh('constant');
      steps.push(`    [${quote(name)}, 'copy', ${operandText(o)}],`);
      return name;
    });
    this.text = loopDeclaration(`${this.span} as one pass over the elements (an f32x4 WebAssembly loop), from fused.framedLoopMin elements on.`, this.name, {
      inputs,
      scalars: [...scalars],
      steps,
      outputs: stored,
      sums: [],
    });
    return { scalars: [...scalars] };
  }
}

/** A padded output of a framed run: its tensor, the input it is like, and its one or two pieces. */
interface PadTarget {
  readonly name: string;
  readonly like: string;
  readonly data: string;
  /** In the order the loop writes them; `stored` for the piece written with `=`. */
  readonly pieces: readonly { readonly at: string; readonly begin: string; readonly stored: boolean }[];
}

/** Any other output of a framed run: a new array of the loop's elements, or a sum's summands. */
interface PlainOutput {
  readonly data: string;
  readonly sum: boolean;
  /**
   * A sum over vectors: the JavaScript loop adds each element into one of four partial
   * sums, as ops.sum's kernel does (element i into partial i mod 4, those past the last
   * whole four into the first), so no array of summands is made; the WebAssembly loop
   * adds them up in the same order into a `fused.sumSink()`.
   */
  readonly partials?: readonly string[];
}

/**
 * A run as a JavaScript loop in its helper: the operands' checks and offsets, then the loop.
 * Inside the loop each run value's name is one element. A Frame does the checks
 * (runtime/kernels/fused-frame.ts), or, when every box of the run has one item (slices and
 * padSlices of vectors), plain functions with the offsets in locals and no Frame object
 * (runtime/kernels/fused-vector.ts), which costs less on small vectors.
 */
class JsFrame {
  /** Tensor inputs read whole, in order: with the windows they set the loop's shape. */
  private readonly wholes: string[] = [];
  /** Slices of inputs read in place: the source, its box, and the local of its offset. */
  private readonly windows: { readonly window: NonNullable<Value['window']>; readonly at: string }[] = [];
  /** Each input the loop may read: its array and the offset of its elements there. */
  private readonly loads = new Map<string, { readonly data: string; readonly at?: string }>();
  /** The local holding each tensor input's array, in order of first use. */
  private readonly data = new Map<string, string>();
  private readonly frame: string;
  private readonly index: string;

  constructor(private readonly run: Run, private readonly fresh: (base: string) => string) {
    this.frame = fresh('frame');
    this.index = fresh('i');
  }

  /** A tensor input read whole: float32 of the loop's shape. */
  whole(name: string): void {
    if (this.data.has(name)) return;
    const data = this.fresh(`${name}_data`);
    this.data.set(name, data);
    this.wholes.push(name);
    this.loads.set(name, { data });
  }

  /** A slice of an input, read in place. */
  window(name: string, w: NonNullable<Value['window']>): void {
    let data = this.data.get(w.source);
    if (data === undefined) {
      data = this.fresh(`${w.source}_data`);
      this.data.set(w.source, data);
    }
    const at = this.fresh(`${name}_at`);
    this.windows.push({ window: w, at });
    this.loads.set(name, { data, at });
  }

  /**
   * The helper's statements from the checks on: the guard, the loop, the results.
   * With `wasm`, when its results are all padSlices written in place or its boxes are all
   * vectors (where plain results are whole arrays made before the loop and sums' summands
   * are added up as the loop leaves them),
   * from `fused.loopTakes` elements on the loop is that WebAssembly program, reading and
   * writing the same arrays at the same offsets (`Loop.runInto`).
   */
  body(func: Func, need: ReadonlySet<string>, outs: readonly string[], opsCall: string, wasm?: WasmProgram): string[] {
    const { run, fresh } = this;
    const i = this.index;
    const used = new Set<string>();
    const rounded = new Map<string, string>();
    const text = (o: Operand): string => {
      if ('value' in o) return f32Literal(o.value);
      used.add(o.name);
      if (run.inputs.get(o.name) !== 'number') return o.name;
      if (!rounded.has(o.name)) rounded.set(o.name, fresh(`${o.name}_f32`));
      return rounded.get(o.name)!;
    };
    // Steps of numbers alone (the seed times a constant) are the same for every element: before the loop.
    const invariant = new Set<string>();
    const varies = (o: Operand) => 'name' in o && !invariant.has(o.name) && run.inputs.get(o.name) !== 'number' && run.values.get(o.name)?.kind !== 'uniform';
    const before: JsStep[] = [];
    const steps: JsStep[] = [];
    let comment: string | undefined;
    for (const s of loopSteps(func, run, need)) {
      comment = s.comment ?? comment;
      const step = { name: s.name, op: s.op, args: s.args.map(text) };
      if (!s.args.some(varies)) before.push(step), invariant.add(s.name);
      else steps.push({ ...step, comment }), (comment = undefined);
    }
    const targets: PadTarget[] = [];
    const plain = new Map<string, PlainOutput>();
    const stores: string[] = [];
    const sinks: { value: Operand; sink: string }[] = [];
    const vectors = this.vectorsOnly();
    let quadsName: string | undefined;
    const quads = () => (quadsName ??= fresh('quads'));
    for (const o of outs) {
      const value = run.values.get(o)!;
      if (value.kind === 'pad' || value.kind === 'padSum') {
        const pads = value.pieces ?? [o];
        const data = fresh(`${o}_data`);
        // The piece that reaches each element first is stored, the other added: the piece
        // further along when both begins are known (a loop that goes up reaches it first).
        const leads = pads.map((p) => run.values.get(run.values.get(p)!.pad!.begin)!.lead);
        const first = leads.length === 1 ? 0 : leads[0] !== undefined && leads[1] !== undefined ? (leads[0] >= leads[1] ? 0 : 1) : -1;
        const order = first === 1 ? [pads[1], pads[0]] : pads;
        const pieces = order.map((p, k) => {
          const pad = run.values.get(p)!.pad!;
          const piece = { at: fresh(`${p}_at`), begin: pad.begin, stored: k === 0 && first >= 0 };
          stores.push(`${data}[${piece.at} + ${i}] ${piece.stored ? '=' : '+='} ${text(pad.value)};`);
          sinks.push({ value: pad.value, sink: `[${data}, ${piece.at}, ${piece.stored}]` });
          return piece;
        });
        targets.push({ name: o, like: run.values.get(pads[0])!.pad!.like, data, pieces });
        continue;
      }
      const sum = value.kind === 'sum';
      const added = sum && vectors;
      const data = fresh(added ? `${o}_sink` : sum ? `${o}_summands` : `${o}_data`);
      const partials = added ? [0, 1, 2, 3].map((k) => fresh(`${o}_s${k}`)) : undefined;
      plain.set(o, { data, sum, partials });
      const v = text(valueOperand(run, o));
      if (partials === undefined) stores.push(`${data}[${i}] = ${v};`);
      else {
        const [s0, s1, s2, s3] = partials;
        stores.push(`if (${i} >= ${quads()} || (${i} & 3) === 0) ${s0} += ${v};`, `else if ((${i} & 3) === 1) ${s1} += ${v};`, `else if ((${i} & 3) === 2) ${s2} += ${v};`, `else ${s3} += ${v};`);
      }
      // On vectors the WebAssembly loop stores it into the same array, or adds a sum's summands up as they leave it.
      sinks.push({ value: valueOperand(run, o), sink: partials === undefined ? `[${data}, 0, true]` : data });
    }
    const count = fresh('count');
    const read = [...this.loads].filter(([n]) => used.has(n));
    const loads = read.map(([name, { data, at }]) => ({ name, expr: at === undefined ? `${data}[${i}]` : `${data}[${at} + ${i}]` }));
    const summed = [...plain.values()].filter((out) => out.partials !== undefined);
    const partialLines = summed.length === 0 ? [] : [`  const ${quads()} = ${count} - (${count} % 4);`, ...summed.flatMap((out) => out.partials!.map((p) => `  let ${p} = 0;`))];
    let loop = [...partialLines, ...jsLoopLines({ index: i, count, loads, steps, stores }, '  ')];
    if (wasm && (plain.size === 0 || vectors)) {
      // The WebAssembly loop takes number operands as they are (its f32 parameters round them).
      const program = wasm.define(read.map(([n]) => n), sinks.map((k) => k.value));
      const call = `${wasm.name}.runInto([${read.map(([, l]) => l.data).join(', ')}], [${read.map(([, l]) => l.at ?? '0').join(', ')}], ${count}, [${program.scalars.join(', ')}], [${sinks.map((k) => k.sink).join(', ')}]);`;
      const allocate = summed.map((out) => `    const ${out.data} = fused.sumSink();`);
      const add = summed.map((out) => `    ${out.partials![0]} = ${out.data}.total();`);
      loop = [...partialLines, `  if (fused.loopTakes(${count})) {`, ...allocate, `    ${call}`, ...add, '  } else {', ...jsLoopLines({ index: i, count, loads, steps, stores }, '    '), '  }'];
    }
    const checked = vectors ? this.vectorLines(targets, plain, count, opsCall) : this.frameLines(outs, targets, plain, count, opsCall);
    return [
      ...checked.head,
      ...[...rounded].map(([n, local]) => `  const ${local} = Math.fround(${n});`),
      ...checked.setup,
      ...(before.length > 0 ? ['  // the same for every element'] : []),
      ...before.map((step) => `  const ${step.name} = ${stepExpression(step.op, step.args)};`),
      ...loop,
      ...checked.tail,
      `  return [${outs.map((o) => checked.result(o)).join(', ')}];`,
    ];
  }

  /** True when every box the run reads or writes has one item: slices and padSlices of vectors. */
  vectorsOnly(): boolean {
    const shapes = [...this.run.values.values()].filter((value) => value.kind === 'shape');
    return (this.wholes.length > 0 || this.windows.length > 0) && shapes.length > 0 && shapes.every((value) => value.items === 1);
  }

  /** The checks through a Frame, which takes boxes of any rank. */
  private frameLines(outs: readonly string[], targets: readonly PadTarget[], plain: ReadonlyMap<string, PlainOutput>, count: string, opsCall: string): CheckedLines {
    const { frame } = this;
    const head = [`  const ${frame} = fused.frame();`];
    for (const name of this.wholes) head.push(`  const ${this.data.get(name)} = ${frame}.whole(${name});`);
    const sourced = new Set(this.wholes);
    for (const { window: w, at } of this.windows) {
      if (!sourced.has(w.source)) head.push(`  const ${this.data.get(w.source)} = ${frame}.source(${w.source});`), sourced.add(w.source);
      head.push(`  const ${at} = ${frame}.window(${w.source}, ${w.begin}, ${w.size});`);
    }
    for (const o of outs) {
      const t = targets.find((target) => target.name === o);
      if (t === undefined) head.push(`  const ${plain.get(o)!.data} = ${frame}.output();`);
      else {
        head.push(`  const ${t.name} = ${frame}.target(${t.like});`);
        for (const p of t.pieces) head.push(`  const ${p.at} = ${frame}.${p.stored ? 'firstPiece' : 'piece'}(${t.name}, ${p.begin});`);
      }
    }
    head.push(`  if (!${frame}.ready()) return ${opsCall};`);
    const setup = [...targets.map((t) => `  const ${t.data} = ${t.name}.data as Float32Array;`), `  const ${count} = ${frame}.count;`];
    const finish = targets.some((t) => t.pieces[0].stored);
    const result = (o: string) => {
      const out = plain.get(o);
      return out === undefined ? o : out.sum ? `${frame}.sum(${out.data})` : `${frame}.tensor(${out.data})`;
    };
    return { head, setup, tail: finish ? [`  ${frame}.finish();`] : [], result };
  }

  /**
   * The checks of a run over vectors: each window's and piece's offset in a local, -1 when
   * the fast loop cannot take it (then the ops run, and give the result or the op's error).
   */
  private vectorLines(targets: readonly PadTarget[], plain: ReadonlyMap<string, PlainOutput>, count: string, opsCall: string): CheckedLines {
    const head = ['  // Boxes of one item: the loop takes float32 vectors with every box inside them (else the ops).'];
    const item = (shape: string) => this.run.values.get(shape)!.item!;
    // Each tensor read is checked once (a float32 vector: its length, else -1); the boxes
    // are then checked against the lengths with integer arithmetic alone.
    const lengths = new Map<string, string>();
    const lengthOf = (tensor: string) => {
      if (!lengths.has(tensor)) {
        const local = this.fresh(`${tensor}_length`);
        lengths.set(tensor, local);
        head.push(`  const ${local} = fused.vector.length(${tensor});`);
      }
      return lengths.get(tensor)!;
    };
    const [first] = this.windows;
    const refused = [`${count} < 0`];
    if (this.wholes.length > 0) {
      const [lead, ...rest] = this.wholes.map(lengthOf);
      head.push(`  const ${count} = ${lead};`);
      refused.push(...rest.map((length) => `${length} !== ${count}`));
    } else {
      head.push(`  const ${count} = fused.vector.extent(${lengthOf(first.window.source)}, ${item(first.window.begin)}, ${item(first.window.size)});`);
    }
    for (const { window: w, at } of this.windows) {
      // The window that set the count was checked by vector.extent: it starts at its begin.
      if (this.wholes.length === 0 && w === first.window) {
        head.push(`  const ${at} = ${item(w.begin)};`);
        continue;
      }
      head.push(`  const ${at} = fused.vector.window(${lengthOf(w.source)}, ${item(w.begin)}, ${item(w.size)}, ${count});`);
      refused.push(`${at} < 0`);
    }
    for (const t of targets) {
      // A padSlice's like may be of any dtype: a float32 vector the loop reads is checked already.
      const piece = (begin: string) =>
        lengths.has(t.like) ? `fused.vector.pieceIn(${lengths.get(t.like)}, ${item(begin)}, ${count})` : `fused.vector.piece(${t.like}, ${item(begin)}, ${count})`;
      for (const p of t.pieces) head.push(`  const ${p.at} = ${piece(p.begin)};`), refused.push(`${p.at} < 0`);
      // A stored piece must not start before the other, or the loop would store over its sums.
      if (t.pieces.length === 2 && t.pieces[0].stored) refused.push(`${t.pieces[1].at} > ${t.pieces[0].at}`);
    }
    head.push(`  if (${refused.join(' || ')}) return ${opsCall};`);
    const setup: string[] = [];
    for (const [name, data] of this.data) setup.push(`  const ${data} = ${name}.data as Float32Array;`);
    for (const t of targets) {
      setup.push(`  const ${t.name} = fused.vector.target(${t.like});`, `  const ${t.data} = ${t.name}.data as Float32Array;`);
      const [a, b] = t.pieces;
      if (b !== undefined && !a.stored) setup.push(`  fused.vector.fillInside(${t.data}, ${a.at}, ${b.at}, ${count});`);
    }
    for (const out of plain.values()) if (out.partials === undefined) setup.push(`  const ${out.data} = new Float32Array(${count});`);
    const tail = targets
      .filter((t) => t.pieces.length === 2 && t.pieces[0].stored)
      .map((t) => `  fused.vector.padAlone(${t.data}, ${t.pieces[0].at}, ${t.pieces[1].at}, ${count});`);
    const result = (o: string) => {
      const out = plain.get(o);
      if (out?.partials !== undefined) {
        const [s0, s1, s2, s3] = out.partials;
        return `fused.vector.total(${s0} + ${s1} + (${s2} + ${s3}))`;
      }
      return out === undefined ? o : out.sum ? `fused.vector.sum(${out.data})` : `fused.vector.tensor(${out.data})`;
    };
    return { head, setup, tail, result };
  }
}

/**
 * A framed run's checks: the lines up to the guard, those after it that bind the arrays and
 * the count, those after the loop, and each output's result expression.
 */
interface CheckedLines {
  readonly head: readonly string[];
  readonly setup: readonly string[];
  readonly tail: readonly string[];
  readonly result: (out: string) => string;
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
