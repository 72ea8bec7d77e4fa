// Random differentiable programs for the fuzzer. A program is built from a list of
// choices (integers) and a data seed: every choice list builds a valid program of the
// accepted language, 0 is always the simplest choice and a list that runs out reads as
// 0s, so fast-check's shrinking of the list shrinks the program. Ops come from the
// registry (runtime/ops/registry.ts): elementwise ops by arity, sampled inside their
// `domain` (an operand whose domain is narrow is squashed into it with a sigmoid).

import fc from 'fast-check';
import { primitives } from '../../../runtime/ops/registry.js';
import type { PrimitiveSpec } from '../../../runtime/ops/primitive.js';
import { buildGradInside } from './grad-inside.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);
const smooth = (s: PrimitiveSpec) => s.domain !== undefined && s.vjp !== undefined && s.number !== undefined;

/** Elementwise unary ops: one operand, a number form, a reverse rule, a domain. */
export const unaryOps = specs.filter((s) => smooth(s) && s.params.length === 1 && s.vjp!.x);
/** Elementwise binary ops (broadcasting): operands `a`, `b`. */
export const binaryOps = specs.filter((s) => smooth(s) && s.params.length === 2 && s.vjp!.a && s.vjp!.b);

/** What a generated program is made of: choices for its shape, a seed for its data. */
export interface Recipe {
  readonly choices: readonly number[];
  readonly seed: number;
}

export const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  choices: fc.array(fc.nat({ max: 1000 }), { maxLength: 160, size: 'max' }),
  seed: fc.nat({ max: 1_000_000 }),
});

export type Ty = { kind: 'number' } | { kind: 'tensor'; shape: number[] };
export interface Var {
  name: string;
  ty: Ty;
}

/** An input of a program: its literal value in the check, and whether it is a trip count (never differentiated). */
export interface Input {
  name: string;
  ty: Ty;
  literal: string;
  control: boolean;
}

/** The rendered program: declarations (gradient side and reference side) and its check. */
export interface Program {
  readonly id: string;
  readonly source: string;
  readonly hasLoop: boolean;
  readonly summary: string;
}

export class Choices {
  private at = 0;
  constructor(private readonly list: readonly number[]) {}
  /** An integer in [0, n). */
  pick(n: number): number {
    if (n <= 1) return 0;
    const v = this.at < this.list.length ? this.list[this.at] : 0;
    this.at++;
    return v % n;
  }
  /** True with probability about 1/n (false when the choices run out). */
  one(n: number): boolean {
    return this.pick(n) === n - 1;
  }
}

/** mulberry32, for data. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bases: number[][] = [[3], [2, 3], [], [2, 2, 3]];
/**
 * One program in this many, of those whose choice list lasts that far (about one in eight of
 * CI's batch), gets a grad-inside program beside it (programs/grad-inside.ts).
 */
const GRAD_INSIDE_ONE_IN = 4;

/** Shapes that broadcast against `base` and whose broadcast stays in the family. */
function family(base: number[]): number[][] {
  const out: number[][] = [];
  for (let len = 0; len <= base.length; len++) {
    const tail = base.slice(base.length - len);
    const count = 1 << len;
    for (let mask = 0; mask < count; mask++) out.push(tail.map((d, i) => (mask & (1 << i) ? 1 : d)));
  }
  return out;
}

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function tyOf(a: Ty, b: Ty): Ty {
  if (a.kind === 'number' && b.kind === 'number') return a;
  return { kind: 'tensor', shape: broadcast(a.kind === 'tensor' ? a.shape : [], b.kind === 'tensor' ? b.shape : []) };
}

/** An expression rendered twice: for the compiler, and for the finite-difference reference. */
export interface Code {
  g: string;
  r: string;
  ty: Ty;
}

const same = (s: string, ty: Ty): Code => ({ g: s, r: s, ty });
/** A tensor op's operand in the reference: a number is widened to float64 for finite differences (fixtures/fuzz/support.ts). */
const widen = (x: Code): string => (x.ty.kind === 'number' ? `sg.f64(${x.r})` : x.r);
const asTensor = (ty: Ty): Ty => (ty.kind === 'tensor' ? ty : { kind: 'tensor', shape: [] });

/**
 * Builds one program. `mode` 'tensor' writes ops.* code, 'number' plain arithmetic and
 * Math.*, 'cell' a Cell with Parameters and a sub-cell. Statements: values, if/else and
 * early returns on run-time values, loops and recursive helpers whose trip count or
 * depth is the run-time input `n`.
 */
export function buildProgram(id: string, recipe: Recipe): Program {
  const c = new Choices(recipe.choices);
  const next = rng(recipe.seed + 1);
  const mode = (['tensor', 'number', 'cell'] as const)[c.pick(3)];
  const numeric = mode === 'number';
  const base = numeric ? [] : bases[c.pick(bases.length)];
  const shapes = family(base);
  const lines: string[] = [];
  const refLines: string[] = [];
  let sgCount = 0;
  let hasLoop = false;
  let hasSg = false;
  let counter = 0;
  const fresh = (p: string) => `${p}${counter++}`;
  const num = (v: number) => (v < 0 ? `(${v})` : `${v}`);
  const value = (lo = -1.5, hi = 1.5) => +(lo + (hi - lo) * next()).toFixed(4);
  const tensorLiteral = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return `new Tensor([${Array.from({ length: size }, () => value()).join(', ')}], float64, { shape: ${JSON.stringify(shape)} })`;
  };

  // Squash `x` into [lo, hi] when the op's domain is narrower than `wide`.
  const inDomain = (x: Code, range: readonly [number, number], wide: number): Code => {
    const [lo, hi] = range;
    if (lo <= -wide && hi >= wide) return x;
    if (numeric) {
      const s = (e: string) => `${num(lo)} + ${hi - lo} / (1 + Math.exp(-(${e})))`;
      return { g: s(x.g), r: s(x.r), ty: x.ty };
    }
    const s = (e: string) => `ops.add(ops.mul(ops.sigmoid(${e}), ${hi - lo}), ${lo})`;
    return { g: s(x.g), r: s(widen(x)), ty: asTensor(x.ty) };
  };
  const unary = (spec: PrimitiveSpec, x0: Code): Code => {
    const x = inDomain(x0, spec.domain!.ranges.x, 3);
    if (numeric) {
      const s = (e: string) => `(${spec.number!.syntax.replaceAll('$0', `(${e})`)})`;
      return { g: s(x.g), r: s(x.r), ty: x.ty };
    }
    return { g: `ops.${spec.name}(${x.g})`, r: `ops.${spec.name}(${widen(x)})`, ty: asTensor(x.ty) };
  };
  const binary = (spec: PrimitiveSpec, a0: Code, b0: Code): Code => {
    const a = inDomain(a0, spec.domain!.ranges.a, 2);
    const b = inDomain(b0, spec.domain!.ranges.b, 2);
    const ty = tyOf(a.ty, b.ty);
    if (numeric) {
      const s = (x: string, y: string) => `(${spec.number!.syntax.replaceAll('$0', `(${x})`).replaceAll('$1', `(${y})`)})`;
      return { g: s(a.g, b.g), r: s(a.r, b.r), ty };
    }
    // In tensor code an op gives a Tensor even of two numbers.
    return { g: `ops.${spec.name}(${a.g}, ${b.g})`, r: `ops.${spec.name}(${widen(a)}, ${widen(b)})`, ty: asTensor(ty) };
  };

  /** A random expression over `scope`, at most `depth` deep. */
  const expr = (scope: Var[], depth: number, helpers: Helper[]): Code => {
    const leaf = (): Code => {
      const v = scope[c.pick(scope.length)];
      return same(v.name, v.ty);
    };
    if (depth <= 0) return leaf();
    const kind = c.pick(numeric ? 5 : 12);
    switch (kind) {
      case 0:
        return leaf();
      case 1:
        return unary(unaryOps[c.pick(unaryOps.length)], expr(scope, depth - 1, helpers));
      case 2:
      case 3:
        return binary(binaryOps[c.pick(binaryOps.length)], expr(scope, depth - 1, helpers), expr(scope, depth - 1, helpers));
      case 4: {
        // A literal number operand.
        const k = value();
        return binary(binaryOps[c.pick(binaryOps.length)], expr(scope, depth - 1, helpers), same(num(k), { kind: 'number' }));
      }
      case 5: {
        // A reduction that stays in the shape family.
        const x = expr(scope, depth - 1, helpers);
        if (x.ty.kind !== 'tensor' || x.ty.shape.length === 0) return x;
        const op = (['sum', 'mean', 'max', 'min'] as const)[c.pick(4)];
        const shape = x.ty.shape;
        const axis = c.pick(shape.length + 1) - 1;
        if (axis < 0) return { g: `ops.${op}(${x.g})`, r: `ops.${op}(${x.r})`, ty: { kind: 'tensor', shape: [] } };
        let out = shape.filter((_, i) => i !== axis);
        let keep = c.one(2);
        if (!shapes.some((s) => sameShape(s, out))) keep = true;
        if (keep) out = shape.map((d, i) => (i === axis ? 1 : d));
        const args = `${axis}${keep ? ', true' : ''}`;
        return { g: `ops.${op}(${x.g}, ${args})`, r: `ops.${op}(${x.r}, ${args})`, ty: { kind: 'tensor', shape: out } };
      }
      case 6: {
        const x = expr(scope, depth - 1, helpers);
        if (mode === 'number') return x;
        hasSg = true;
        const k = sgCount++;
        // ops.stopGradient of a number gives a (float32) Tensor: the reference does too.
        const r = x.ty.kind === 'number' ? `ops.stopGradient(${x.r})` : x.r;
        return { g: `ops.stopGradient(${x.g})`, r: `sg.at(${k}, ${r})`, ty: asTensor(x.ty) };
      }
      case 7: {
        if (helpers.length === 0) return leaf();
        const h = helpers[c.pick(helpers.length)];
        const args = h.params.map(() => expr(scope, depth - 1, helpers));
        // Tensor helpers take Tensors of the base shape: other arguments are broadcast to it.
        const sh = JSON.stringify(base);
        const fixed = args.map((a): Code => {
          if (numeric || (a.ty.kind === 'tensor' && sameShape(a.ty.shape, base))) return a;
          // A number is broadcast as a float64 Tensor in the reference (a float32 one is too coarse for differences).
          return { g: `ops.broadcastTo(${a.g}, ${sh})`, r: `ops.broadcastTo(${widen(a)}, ${sh})`, ty: { kind: 'tensor', shape: base } };
        });
        const tyFinal = h.ty;
        return { g: `${h.name}(${fixed.map((a) => a.g).join(', ')})`, r: `${h.name}_ref(sg, ${fixed.map((a) => a.r).join(', ')})`, ty: tyFinal };
      }
      case 8: {
        // ?: on a run-time value.
        const cond = condition(scope);
        const a = expr(scope, depth - 1, helpers);
        let b = expr(scope, depth - 1, helpers);
        if (a.ty.kind !== b.ty.kind || (a.ty.kind === 'tensor' && !sameShape(a.ty.shape, (b.ty as { shape: number[] }).shape))) b = a;
        return { g: `(${cond.g} ? ${a.g} : ${b.g})`, r: `(${cond.r} ? ${a.r} : ${b.r})`, ty: a.ty };
      }
      case 9: {
        // softmax / logSoftmax along the last axis keep the shape.
        const x = expr(scope, depth - 1, helpers);
        if (x.ty.kind !== 'tensor' || x.ty.shape.length === 0) return x;
        const op = c.one(2) ? 'logSoftmax' : 'softmax';
        return { g: `ops.${op}(${x.g}, -1)`, r: `ops.${op}(${x.r}, -1)`, ty: x.ty };
      }
      case 10: {
        // gather along the last axis with as many indices as the axis is long.
        const x = expr(scope, depth - 1, helpers);
        if (x.ty.kind !== 'tensor' || x.ty.shape.length === 0) return x;
        const n = x.ty.shape[x.ty.shape.length - 1];
        const idx = JSON.stringify(Array.from({ length: n }, () => c.pick(n)));
        const axis = x.ty.shape.length - 1;
        return { g: `ops.gather(${x.g}, ${idx}, ${axis})`, r: `ops.gather(${x.r}, ${idx}, ${axis})`, ty: x.ty };
      }
      default: {
        // Shape plumbing that comes back to the same shape: expandDims+squeeze,
        // reshape round trip, stack+sum, where on a mask.
        const x = expr(scope, depth - 1, helpers);
        if (x.ty.kind !== 'tensor') return x;
        const sh = JSON.stringify(x.ty.shape);
        switch (c.pick(4)) {
          case 0:
            return { g: `ops.squeeze(ops.expandDims(${x.g}, 0), 0)`, r: `ops.squeeze(ops.expandDims(${x.r}, 0), 0)`, ty: x.ty };
          case 1: {
            const size = x.ty.shape.reduce((a, b) => a * b, 1);
            return { g: `ops.reshape(ops.reshape(${x.g}, [${size}]), ${sh})`, r: `ops.reshape(ops.reshape(${x.r}, [${size}]), ${sh})`, ty: x.ty };
          }
          case 2: {
            const y = expr(scope, depth - 1, helpers);
            const ty = tyOf(x.ty, y.ty) as { kind: 'tensor'; shape: number[] };
            const s = JSON.stringify(ty.shape);
            const mk = (a: string, b: string) => `ops.sum(ops.stack([ops.broadcastTo(${a}, ${s}), ops.broadcastTo(ops.mul(${b}, ops.onesLike(${a})), ${s})], 0), 0)`;
            return { g: mk(x.g, y.g), r: mk(x.r, y.r), ty };
          }
          default: {
            const y = expr(scope, depth - 1, helpers);
            const ty = tyOf(x.ty, y.ty);
            const mk = (a: string, b: string) => `ops.where(ops.greater(${a}, 0), ${a}, ${b})`;
            return { g: mk(x.g, y.g), r: mk(x.r, y.r), ty };
          }
        }
      }
    }
  };

  /** A condition on run-time values (never within FD reach of flipping, in practice). */
  const condition = (scope: Var[]): Code => {
    const v = scope[c.pick(scope.length)];
    const t = value(-0.5, 0.5);
    if (v.ty.kind === 'number') return same(`${v.name} > ${num(t)}`, { kind: 'number' });
    const op = c.one(2) ? 'max' : 'sum';
    return same(`ops.${op}(${v.name}).item() > ${num(t)}`, { kind: 'number' });
  };

  interface Helper {
    name: string;
    params: string[];
    ty: Ty;
  }
  const T = numeric ? 'number' : 'Tensor';

  // Helpers: module-level functions the program calls (inlined by the compiler).
  const helpers: Helper[] = [];
  const nHelpers = c.pick(3) === 2 ? 1 + c.pick(2) : 0;
  for (let h = 0; h < nHelpers; h++) {
    const name = `${id}_h${h}`;
    const params = ['a', 'b'].slice(0, 1 + c.pick(2));
    const scope: Var[] = params.map((p) => ({ name: p, ty: numeric ? { kind: 'number' } : { kind: 'tensor', shape: base } }));
    const body = expr(scope, 2, helpers.slice());
    // The helper's result type is whatever the body gives; make it a Tensor for tensor code.
    const ret = !numeric && body.ty.kind === 'number' ? { g: `ops.mul(${body.g}, ops.onesLike(a))`, r: `ops.mul(${body.r}, ops.onesLike(a))` } : body;
    lines.push(`function ${name}(${params.map((p) => `${p}: ${T}`).join(', ')}): ${T} {`, `  return ${ret.g};`, '}');
    refLines.push(`function ${name}_ref(sg: Sg, ${params.map((p) => `${p}: ${T}`).join(', ')}): ${T} {`, `  return ${ret.r};`, '}');
    helpers.push({ name, params, ty: numeric ? { kind: 'number' } : body.ty });
  }

  // Inputs: differentiable tensors/numbers, and control integers (trip counts) never differentiated.
  const inputs: Input[] = [];
  const nTensors = numeric ? 0 : 1 + c.pick(3);
  for (let i = 0; i < nTensors; i++) {
    const shape = i === 0 ? base : shapes[c.pick(shapes.length)];
    inputs.push({ name: `x${i}`, ty: { kind: 'tensor', shape }, literal: tensorLiteral(shape), control: false });
  }
  const nNumbers = numeric ? 1 + c.pick(3) : c.pick(2);
  for (let i = 0; i < nNumbers; i++) inputs.push({ name: `k${i}`, ty: { kind: 'number' }, literal: `${value()}`, control: false });
  const wantLoop = c.one(3);
  if (wantLoop) inputs.push({ name: 'n', ty: { kind: 'number' }, literal: `${c.pick(4)}`, control: true });

  // Cell: Parameters and, maybe, a sub-cell.
  const params: { name: string; shape: number[] }[] = [];
  let subCell: { cls: string; unary: PrimitiveSpec } | undefined;
  if (mode === 'cell') {
    const nParams = 1 + c.pick(2);
    for (let i = 0; i < nParams; i++) params.push({ name: `w${i}`, shape: shapes[c.pick(shapes.length)] });
    if (c.one(2)) {
      const cls = `${id}_Sub`;
      const u = unaryOps[c.pick(unaryOps.length)];
      subCell = { cls, unary: u };
      const inner = unary(u, same('ops.mul(x, this.v)', { kind: 'tensor', shape: base }));
      lines.push(
        `class ${cls} extends nn.Cell {`,
        `  v = new Parameter(${tensorLiteral([])}, 'v');`,
        `  construct(x: Tensor): Tensor {`,
        `    return ${inner.g};`,
        '  }',
        '}',
      );
      refLines.push(`function ${cls}_ref(sg: Sg, self: ${cls}, x: Tensor): Tensor {`, `  return ${inner.r.replaceAll('this.', 'self.')};`, '}');
    }
  }

  // The body.
  const scope: Var[] = inputs.filter((i) => !i.control).map((i) => ({ name: i.name, ty: i.ty }));
  for (const p of params) scope.push({ name: `this.${p.name}`, ty: { kind: 'tensor', shape: p.shape } });
  const body: string[] = [];
  const refBody: string[] = [];
  const emit = (g: string, r: string = g) => {
    body.push(g);
    refBody.push(r);
  };
  const nStatements = 1 + c.pick(4);
  let earlyReturn = false;
  for (let s = 0; s < nStatements; s++) {
    const kind = c.pick(6);
    if (kind <= 2 || (kind === 4 && !wantLoop)) {
      const name = fresh('v');
      let e = expr(scope, 1 + c.pick(3), helpers);
      if (subCell && c.one(2) && e.ty.kind === 'tensor') {
        const arg = e.ty.shape.length === base.length && sameShape(e.ty.shape, base) ? e : { g: `ops.broadcastTo(${e.g}, ${JSON.stringify(base)})`, r: `ops.broadcastTo(${e.r}, ${JSON.stringify(base)})`, ty: e.ty };
        e = { g: `this.sub(${arg.g})`, r: `${subCell.cls}_ref(sg, this.sub, ${arg.r})`, ty: { kind: 'tensor', shape: base } };
      }
      emit(`const ${name} = ${e.g};`, `const ${name} = ${e.r};`);
      scope.push({ name, ty: e.ty });
    } else if (kind === 3) {
      // if/else assigning one variable, or an early return.
      const cond = condition(scope);
      const a = expr(scope, 1 + c.pick(2), helpers);
      if (c.one(3) && !earlyReturn) {
        earlyReturn = true;
        const out = finalOutput(a);
        emit(`if (${cond.g}) {`, `if (${cond.r}) {`);
        emit(`  return ${out.g};`, `  return ${out.r};`);
        emit('}');
        continue;
      }
      let b = expr(scope, 1 + c.pick(2), helpers);
      if (a.ty.kind !== b.ty.kind || (a.ty.kind === 'tensor' && !sameShape(a.ty.shape, (b.ty as { shape: number[] }).shape))) b = { ...a, g: a.g, r: a.r };
      const name = fresh('v');
      const ty = a.ty.kind === 'number' ? 'number' : 'Tensor';
      emit(`let ${name}: ${ty};`);
      emit(`if (${cond.g}) {`, `if (${cond.r}) {`);
      emit(`  ${name} = ${a.g};`, `  ${name} = ${a.r};`);
      emit('} else {');
      emit(`  ${name} = ${b.g};`, `  ${name} = ${b.r};`);
      emit('}');
      scope.push({ name, ty: a.ty });
    } else if (kind === 5 && wantLoop && c.one(2)) {
      // A recursive helper whose depth is the run-time input n.
      hasLoop = true;
      const rec = `${id}_rec${counter++}`;
      const seedVar = scope[c.pick(scope.length)];
      const recTy: Ty = numeric ? { kind: 'number' } : { kind: 'tensor', shape: base };
      const call: Code = { g: `${rec}(a, m - 1)`, r: `${rec}_ref(sg, a, m - 1)`, ty: recTy };
      const step = unary(unaryOps[c.pick(unaryOps.length)], binary(binaryOps[c.pick(binaryOps.length)], call, same('a', recTy)));
      lines.push(`function ${rec}(a: ${T}, m: number): ${T} {`, '  if (m <= 0) return a;', `  return ${step.g};`, '}');
      refLines.push(`function ${rec}_ref(sg: Sg, a: ${T}, m: number): ${T} {`, '  if (m <= 0) return a;', `  return ${step.r};`, '}');
      const arg = numeric ? seedVar.name : seedVar.ty.kind === 'number' ? `ops.mul(ops.onesLike(x0), ${seedVar.name})` : `ops.broadcastTo(${seedVar.name}, ${JSON.stringify(base)})`;
      const name = fresh('v');
      emit(`const ${name} = ${rec}(${arg}, n);`, `const ${name} = ${rec}_ref(sg, ${arg}, n);`);
      scope.push({ name, ty: recTy });
    } else {
      if (!wantLoop) continue;
      hasLoop = true;
      // An accumulator updated in a loop with a data-dependent trip count.
      const seedVar = scope[c.pick(scope.length)];
      const acc = fresh('acc');
      const accTy: Ty = numeric ? { kind: 'number' } : { kind: 'tensor', shape: base };
      const init = numeric || seedVar.ty.kind === 'number' ? (numeric ? seedVar.name : `ops.mul(ops.onesLike(x0), ${seedVar.name})`) : `ops.broadcastTo(${seedVar.name}, ${JSON.stringify(base)})`;
      emit(`let ${acc}: ${T} = ${init};`);
      const inner: Var[] = [...scope, { name: acc, ty: accTy }];
      const update = binary(binaryOps[c.pick(binaryOps.length)], same(acc, accTy), unary(unaryOps[c.pick(unaryOps.length)], expr(inner, 1 + c.pick(2), helpers)));
      const loopKind = c.pick(3);
      const skip = c.one(3) ? (c.one(2) ? 'continue' : 'break') : undefined;
      if (loopKind === 0) {
        const i = fresh('i');
        emit(`for (let ${i} = 0; ${i} < n; ${i}++) {`);
        if (skip) emit(`  if (${i} === 1) ${skip};`);
      } else if (loopKind === 1) {
        const i = fresh('i');
        const limit = value(1, 4);
        const size = numeric ? '' : '';
        void size;
        const measure = numeric ? `Math.abs(${acc})` : `ops.sum(ops.abs(${acc})).item()`;
        emit(`let ${i} = 0;`);
        emit(`while (${i} < n + 1 && ${measure} < ${limit * (numeric ? 1 : 3)}) {`);
        emit(`  ${i}++;`);
        if (skip) emit(`  if (${i} === 2) ${skip};`);
      } else {
        const i = fresh('i');
        emit(`let ${i} = 0;`);
        emit('do {');
        emit(`  ${i} += 1;`);
        if (skip) emit(`  if (${i} === 2) ${skip};`);
        emit(`  ${acc} = ${update.g};`, `  ${acc} = ${update.r};`);
        emit(`} while (${i} < n);`);
        scope.push({ name: acc, ty: accTy });
        continue;
      }
      emit(`  ${acc} = ${update.g};`, `  ${acc} = ${update.r};`);
      emit('}');
      scope.push({ name: acc, ty: accTy });
    }
  }

  // The output: one value, or several (an array) — the sum of their elements is differentiated.
  function finalOutput(e: Code): Code {
    if (numeric || e.ty.kind === 'tensor') return e;
    return { g: `ops.mul(ops.onesLike(x0), ${e.g})`, r: `ops.mul(ops.onesLike(x0), ${e.r})`, ty: { kind: 'tensor', shape: base } };
  }
  const nOutputs = c.one(3) ? 2 + c.pick(2) : 1;
  const outs: Code[] = [];
  for (let o = 0; o < nOutputs; o++) {
    // Prefer the latest variables so the body's statements matter.
    const recent = scope.slice(-3);
    const v = o === 0 ? scope[scope.length - 1] : recent[c.pick(recent.length)];
    let e = same(v.name, v.ty);
    if (c.pick(3) !== 0) {
      const w = scope[c.pick(scope.length)];
      e = binary(binaryOps[c.pick(binaryOps.length)], e, same(w.name, w.ty));
    }
    if (c.one(2)) e = unary(unaryOps[c.pick(unaryOps.length)], e);
    outs.push(finalOutput(e));
  }
  const multi = outs.length > 1;
  const retTy = multi ? `${T}[]` : T;
  const retG = multi ? `[${outs.map((o) => o.g).join(', ')}]` : outs[0].g;
  const retR = multi ? `[${outs.map((o) => o.r).join(', ')}]` : outs[0].r;
  if (earlyReturn && multi) {
    // Early returns give one output; keep every return the same structure.
    for (let k = 0; k < body.length; k++) {
      if (body[k].startsWith('  return ')) {
        body[k] = body[k].replace(/^  return (.*);$/, (_m, x: string) => `  return [${outs.map(() => x).join(', ')}];`);
        refBody[k] = refBody[k].replace(/^  return (.*);$/, (_m, x: string) => `  return [${outs.map(() => x).join(', ')}];`);
      }
    }
  }
  emit(`return ${retG};`, `return ${retR};`);

  const sig = inputs.map((i) => `${i.name}: ${i.ty.kind === 'number' ? 'number' : 'Tensor'}`).join(', ');
  const argNames = inputs.map((i) => i.name).join(', ');
  const indent = (xs: string[], n: number) => xs.map((x) => ' '.repeat(n) + x);
  let target: string;
  if (mode === 'cell') {
    const cls = `${id}_Net`;
    lines.push(`class ${cls} extends nn.Cell {`);
    for (const p of params) lines.push(`  ${p.name} = new Parameter(${tensorLiteral(p.shape)}, '${p.name}');`);
    if (subCell) lines.push(`  sub = new ${subCell.cls}();`);
    lines.push(`  construct(${sig}): ${retTy} {`, ...indent(body, 4), '  }', '}');
    refLines.push(`function ${id}_ref(sg: Sg, self: ${cls}, ${sig}): ${retTy} {`, ...indent(refBody.map((l) => l.replaceAll('this.', 'self.')), 2), '}');
    lines.push(`const ${id}_net = new ${cls}();`);
    target = `${id}_net`;
  } else {
    lines.push(`function ${id}(${sig}): ${retTy} {`, ...indent(body, 2), '}');
    refLines.push(`function ${id}_ref(sg: Sg, ${sig}): ${retTy} {`, ...indent(refBody, 2), '}');
    target = id;
  }

  // The request: positions among the differentiable inputs, weights among the Parameters.
  const diffInputs = inputs.map((inp, k) => ({ ...inp, k })).filter((i) => !i.control);
  const chosen = diffInputs.filter(() => c.pick(2) === 0).map((i) => i.k);
  const allParams = [...params.map((p) => `${target}.${p.name}`), ...(subCell ? [`${target}.sub.v`] : [])];
  const weights = mode === 'cell' && c.pick(3) !== 0 ? allParams.filter(() => c.pick(3) !== 2) : [];
  let positions: number[] | number | null;
  if (chosen.length === 0 && weights.length > 0) positions = null;
  else if (chosen.length === 0) positions = 0;
  else if (chosen.length === 1 && c.pick(2) === 0) positions = chosen[0];
  else positions = chosen;
  const useWeights = weights.length > 0;
  const weightsText = c.one(4) && weights.length === allParams.length ? `${target}.trainableParams()` : `[${weights.join(', ')}]`;
  const posList = positions === null ? [] : Array.isArray(positions) ? positions : [positions];
  const hasAux = multi && c.one(3);
  const api = c.one(3) ? 'valueAndGrad' : 'grad';
  const opts = [`gradPosition: ${JSON.stringify(positions)}`, ...(useWeights ? [`weights: ${weightsText}`] : []), ...(hasAux ? ['hasAux: true'] : [])].join(', ');
  const layout = useWeights ? (positions === null ? 'list' : 'pair') : Array.isArray(positions) ? 'list' : 'single';
  const targets = [...posList.map((p) => `{ arg: ${p} }`), ...(useWeights ? weights.map((w) => `{ weight: ${w} }`) : [])];
  const refCall = mode === 'cell' ? `(sg: Sg, ...a: any[]) => ${id}_ref(sg, ${target}, ...(a as [${inputs.map((i) => (i.ty.kind === 'number' ? 'number' : 'Tensor')).join(', ')}]))` : `(sg: Sg, ...a: any[]) => ${id}_ref(sg, ...(a as [${inputs.map((i) => (i.ty.kind === 'number' ? 'number' : 'Tensor')).join(', ')}]))`;
  const checkLines = [
    `check(${JSON.stringify(id)}, {`,
    `  args: [${inputs.map((i) => i.literal).join(', ')}],`,
    `  targets: [${targets.join(', ')}],`,
    `  layout: '${layout}',`,
    ...(layout === 'pair' ? [`  positionsArray: ${Array.isArray(positions)},`] : []),
    `  grad: (${sig}) => ${api}(${target}, { ${opts} })(${argNames}),`,
    `  ref: ${refCall},`,
    ...(hasAux ? ['  hasAux: true,'] : []),
    ...(api === 'valueAndGrad' ? ['  value: true,'] : []),
  ];
  // Second order: grad(grad(f, {i}), {j}), checked by finite differences of the compiled
  // first order (through loops and recursion too: their tapes are read back). Not with stopGradient: it stops the
  // second order too (as in JAX and MindSpore), which differences of the first order
  // cannot see. In tensor code a number input can flow through float32 ops (an op on
  // numbers alone), too coarse for differences: tensor inputs only.
  const secondInputs = diffInputs.filter((d) => numeric || d.ty.kind === 'tensor');
  if (!hasSg && secondInputs.length > 0 && c.pick(2) === 0) {
    const i = secondInputs[c.pick(secondInputs.length)].k;
    const j = secondInputs[c.pick(secondInputs.length)].k;
    checkLines.push(
      `  second: {`,
      `    j: ${j},`,
      `    g1: (${sig}) => grad(${target}, { gradPosition: ${i} })(${argNames}),`,
      `    g2: (${sig}) => grad(grad(${target}, { gradPosition: ${i} }), { gradPosition: ${j} })(${argNames}),`,
      `  },`,
    );
  }
  // Second order with weights at the first level (and sometimes the second), through loops
  // and recursion above all: checked by differences of the compiled first order along the input
  // and, in place, along each Parameter. Weights are all of them (a higher order
  // differentiates the sum of every gradient the first order returns).
  if (mode === 'cell' && !hasSg && secondInputs.length > 0 && (hasLoop || c.one(3))) {
    const i = secondInputs[c.pick(secondInputs.length)].k;
    const j = secondInputs[c.pick(secondInputs.length)].k;
    const both = c.one(2);
    const inner = `grad(${target}, { gradPosition: ${i}, weights: ${target}.trainableParams() })`;
    checkLines.push(
      `  secondWeights: {`,
      `    j: ${j},`,
      `    weights: ${both ? `${target}.trainableParams()` : 'null'},`,
      `    g1: (${sig}) => ${inner}(${argNames}),`,
      `    g2: (${sig}) => grad(${inner}, { gradPosition: ${j}${both ? `, weights: ${target}.trainableParams()` : ''} })(${argNames}),`,
      `  },`,
    );
  }
  // Forward over reverse: jvp of the gradient (and the Hessian of a tensor input), through
  // loops and recursion above all: the tangent against differences of the compiled gradient along
  // the tangents. Number inputs of tensor code get no tangent (float32 ops are too coarse).
  if (!hasSg && secondInputs.length > 0 && (hasLoop || c.one(4))) {
    const i = secondInputs[c.pick(secondInputs.length)].k;
    const tangents = inputs.map((inp) => (inp.ty.kind === 'tensor' ? tensorLiteral(inp.ty.shape) : numeric && !inp.control ? `${value()}` : '0'));
    // hessian wants a one-element output.
    const scalarOutput = !multi && outs[0].ty.kind === 'tensor' && outs[0].ty.shape.every((d) => d === 1);
    const withHessian = inputs[i].ty.kind === 'tensor' && scalarOutput && c.one(2);
    checkLines.push(
      `  forward: {`,
      `    i: ${i},`,
      `    tangents: [${tangents.join(', ')}],`,
      `    g1: (${sig}) => grad(${target}, { gradPosition: ${i} })(${argNames}),`,
      `    jvp: (args: (Tensor | number)[], tangents: (Tensor | number)[]) => jvp(grad(${target}, { gradPosition: ${i} }), args, tangents),`,
      ...(withHessian ? [`    hessian: (${sig}) => hessian(${target}, { gradPosition: ${i} })(${argNames}),`] : []),
      `  },`,
    );
  }
  // The checks below come after every earlier choice, so that the programs and checks above
  // stay what they were for a given recipe.
  // Forward over the request itself: jvp of the gradient function the program asks for,
  // with weights, valueAndGrad or hasAux too (aux outputs pass through stopped: zero
  // tangents). Its tangent against differences of that gradient function along the
  // tangents, the weights staying put. Not when a number input of tensor code is
  // requested: a higher order through its gradient is TSG1001 (make it a 0-d Tensor).
  const numberRequested = !numeric && posList.some((p) => inputs[p].ty.kind === 'number');
  const forwardOfRequest = !hasSg && !numberRequested && (useWeights || api === 'valueAndGrad' || hasAux || c.one(4));
  if (forwardOfRequest) {
    const tangents = inputs.map((inp) => (inp.ty.kind === 'tensor' ? tensorLiteral(inp.ty.shape) : numeric && !inp.control ? `${value()}` : '0'));
    checkLines.push(
      `  jvpOfRequest: {`,
      `    tangents: [${tangents.join(', ')}],`,
      `    jvp: (args: (Tensor | number)[], tangents: (Tensor | number)[]) => jvp(${api}(${target}, { ${opts} }), args, tangents),`,
      `  },`,
    );
  }
  // Reverse over forward: grad of a function that calls jvp of the program inside, along a
  // fixed or an input-dependent direction, and returns the tangent, its square or its
  // product with the output. Checked against differences of the compiled function (which
  // runs the generated jvp), whose own value is checked against differences of the reference.
  const gradOfJvp = !hasSg && !multi && secondInputs.length > 0 && c.one(3);
  if (gradOfJvp) {
    const jv = `${id}_jv`;
    const dirs = inputs.map((inp) => {
      // No `new Tensor` inside differentiated code: a fixed direction is a constant times ones.
      if (inp.ty.kind === 'tensor') return c.one(2) ? `ops.sin(${inp.name})` : `ops.mul(ops.onesLike(${inp.name}), ${num(value())})`;
      if (!numeric || inp.control) return '0';
      return c.one(2) ? `Math.cos(${inp.name})` : `${value()}`;
    });
    const combine = (['tangent', 'square', 'product'] as const)[c.pick(3)];
    const combined = numeric ? { tangent: 't', square: 't * t', product: 't * y' } : { tangent: 't', square: 'ops.mul(t, t)', product: 'ops.mul(t, y)' };
    lines.push(`function ${jv}(${sig}): ${T} {`, `  const [y, t] = jvp(${target}, [${argNames}], [${dirs.join(', ')}]);`, `  return ${combined[combine]};`, '}');
    const j = secondInputs[c.pick(secondInputs.length)].k;
    checkLines.push(
      `  gradOfJvp: {`,
      `    j: ${j},`,
      `    combine: '${combine}',`,
      `    tangents: (${sig}) => [${dirs.join(', ')}],`,
      `    jv: (${sig}) => ${jv}(${argNames}),`,
      `    g: (${sig}) => grad(${jv}, { gradPosition: ${j} })(${argNames}),`,
      `  },`,
    );
  }
  // Reverse mode over the program's gradient function (tensor code, through loops and
  // recursion above all): vjp of grad(f, {i}) with a cotangent shaped like the gradient,
  // jacrev of it in input j and, sometimes, its hessian in input j (third derivatives).
  // vjp's gradients of the tensor inputs against differences of ⟨sens, gradient⟩, jacrev's
  // columns against differences of the compiled gradient, the hessian contracted with a
  // tangent against differences of that jacrev along it.
  const tensorInputs = diffInputs.filter((d) => d.ty.kind === 'tensor');
  const shapeOf = (d: { ty: Ty }) => (d.ty as { shape: number[] }).shape;
  const reverseOfGrad = !hasSg && !numeric && tensorInputs.length > 0 && (hasLoop || c.one(3));
  if (reverseOfGrad) {
    const i = tensorInputs[c.pick(tensorInputs.length)];
    const j = tensorInputs[c.pick(tensorInputs.length)];
    const g1 = `grad(${target}, { gradPosition: ${i.k} })`;
    const withHessian = c.one(2);
    checkLines.push(
      `  reverseOfGrad: {`,
      `    j: ${j.k},`,
      `    sens: ${tensorLiteral(shapeOf(i))},`,
      `    tangent: ${tensorLiteral(shapeOf(j))},`,
      `    g1: (${sig}) => ${g1}(${argNames}),`,
      `    vjp: (${sig}) => vjp(${g1}, ${argNames}),`,
      `    jacrev: (${sig}) => jacrev(${g1}, { gradPosition: ${j.k} })(${argNames}),`,
      ...(withHessian ? [`    hessian: (${sig}) => hessian(${g1}, { gradPosition: ${j.k} })(${argNames}),`] : []),
      `  },`,
    );
  }
  // grad of a gradient taken with hasAux (several outputs): its aux outputs are stopped and
  // grad's own output is not returned, so the next order differentiates the sum of the
  // gradients; with hasAux again, the aux outputs come back as they are. Against
  // differences of the compiled first order.
  const gradOfAux = !hasSg && multi && secondInputs.length > 0 && c.one(2);
  if (gradOfAux) {
    const i = secondInputs[c.pick(secondInputs.length)].k;
    const j = secondInputs[c.pick(secondInputs.length)].k;
    const outerAux = c.one(2);
    const inner = `grad(${target}, { gradPosition: ${i}, hasAux: true })`;
    checkLines.push(
      `  gradOfAux: {`,
      `    j: ${j},`,
      `    outerAux: ${outerAux},`,
      `    g1: (${sig}) => ${inner}(${argNames}),`,
      `    g2: (${sig}) => grad(${inner}, { gradPosition: ${j}${outerAux ? ', hasAux: true' : ''} })(${argNames}),`,
      `  },`,
    );
  }
  // The Hessian of the output itself, of any shape (output ++ input ++ input; several
  // outputs get one each): jacrev of the program against differences of the reference,
  // the hessian contracted with a tangent against differences of that jacrev along it.
  const hessianOfOutput = !hasSg && !hasAux && !numeric && tensorInputs.length > 0 && c.one(3);
  if (hessianOfOutput) {
    const i = tensorInputs[c.pick(tensorInputs.length)];
    checkLines.push(
      `  hessianOfOutput: {`,
      `    i: ${i.k},`,
      `    tangent: ${tensorLiteral(shapeOf(i))},`,
      `    jacrev: (${sig}) => jacrev(${target}, { gradPosition: ${i.k} })(${argNames}),`,
      `    hessian: (${sig}) => hessian(${target}, { gradPosition: ${i.k} })(${argNames}),`,
      `  },`,
    );
  }
  // A second program beside this one that calls grad or valueAndGrad inside (grad-inside.ts),
  // made of choices after every other, checked with this one.
  const inside = c.one(GRAD_INSIDE_ONE_IN)
    ? buildGradInside({ id, c, numeric, base, inputs, unaryOps, binaryOps, value, num, tensorLiteral, unary, binary })
    : undefined;
  if (inside) {
    lines.push(...inside.lines);
    refLines.push(...inside.refLines);
    checkLines.push(...inside.check);
  }
  checkLines.push('});');
  const source = [...lines, ...refLines, ...checkLines].join('\n');
  const summary = `${mode}${hasLoop ? ' loop/recursion' : ''}${hasSg ? ' stopGradient' : ''}${multi ? ' multi' : ''}${helpers.length ? ' helpers' : ''}${subCell ? ' sub-cell' : ''}${forwardOfRequest ? ` jvp-of-${api}${useWeights ? '-weights' : ''}${hasAux ? '-aux' : ''}` : ''}${gradOfJvp ? ' grad-of-jvp' : ''}${reverseOfGrad ? ' reverse-of-grad' : ''}${gradOfAux ? ' grad-of-aux' : ''}${hessianOfOutput ? ' hessian-of-output' : ''}${inside?.summary ?? ''}`;
  return { id, source, hasLoop, summary };
}

export const header = [
  `import { Parameter, Tensor, float64, grad, hessian, jacrev, jvp, nn, ops, valueAndGrad, vjp } from 'tsgrad';`,
  `import { Sg, check, fdGrad, fdValueAndGrad } from '../../fixtures/fuzz/support.js';`,
  '',
].join('\n');
