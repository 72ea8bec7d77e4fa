// Generates one f32x4 loop for a run of elementwise ops (a `LoopProgram`, written by the
// compiler's fuse pass into generated modules): every element is loaded once, every step
// is a v128 local, and only the run's outputs are stored. Steps compute exactly what the
// op-by-op float32 kernels compute (same IEEE operations in the same order, the same
// polynomial sin/cos/exp/tanh as elementwise-kernel.ts), so fusing changes no result.
//
// The exported `run(in_0…, s_0…, out_0…, count)` maps `count` whole vectors: input and
// output pointers in bytes, scalars as f32 (splat across lanes once, before the loop).
// Only ops whose kernel on float32 is this same f32x4 code or an exact IEEE operation are
// here (sigmoid's kernel works in float64, so a loop could not give its exact result).

import { Code, F32, I32, ModuleBuilder, V128, ValType } from './emit.js';
import { Quadrant, pickQuadrant, reduceQuadrant, unaryMath } from './elementwise-kernel.js';

/** An operand of a step: a value by name, or a number constant. */
export type LoopOperand = string | number;

/** One step: `[name, op, ...operands]`, e.g. `['t2', 'mul', 't0', 't1']`. */
export type LoopStep = readonly [string, string, ...LoopOperand[]];

export interface LoopProgram {
  /** Tensor inputs, read element by element (float32, all of one shape). */
  readonly inputs: readonly string[];
  /** Numbers that are the same for every element. */
  readonly scalars: readonly string[];
  readonly steps: readonly LoopStep[];
  /** Values stored element by element (each becomes a tensor of the inputs' shape). */
  readonly outputs: readonly string[];
  /** Values summed over the elements (each becomes a 0-d tensor). */
  readonly sums: readonly string[];
}

/** Reductions of |x| to a quadrant, by x's local: sin and cos of one value share one. */
type Quadrants = Map<number, Quadrant>;

type Emit = (c: Code, args: number[], quadrants: Quadrants) => void;

/** sin(x + shift·π/2) for the v128 local x, reducing |x| once for both sin and cos of x. */
function sinCosShared(c: Code, x: number, shift: number, quadrants: Quadrants): void {
  let quadrant = quadrants.get(x);
  if (!quadrant) {
    const ax = c.local(V128);
    c.localGet(x).f32x4Abs().localSet(ax);
    quadrant = reduceQuadrant(c, ax);
    quadrants.set(x, quadrant);
  }
  pickQuadrant(c, quadrant, shift);
}

const binary = (op: (c: Code) => void): Emit => (c, [a, b]) => op(c.localGet(a).localGet(b));

/** `a` where `a compare b` holds or a is NaN, else `b`, lane by lane. */
function pick(c: Code, a: number, b: number, compare: () => void): void {
  c.localGet(a).localGet(b).localGet(a).localGet(b);
  compare();
  c.localGet(a).localGet(a).f32x4Ne().v128Or().v128Bitselect();
}

/** The ops a step may name, with their arity: what the fuse pass may put in a loop. */
export const loopOps: Readonly<Record<string, { arity: number; emit: Emit }>> = {
  add: { arity: 2, emit: binary((c) => c.f32x4Add()) },
  sub: { arity: 2, emit: binary((c) => c.f32x4Sub()) },
  mul: { arity: 2, emit: binary((c) => c.f32x4Mul()) },
  div: { arity: 2, emit: binary((c) => c.f32x4Div()) },
  // As the ops' kernel, `a >= b || a !== a ? a : b` (and `<=` for minimum), not f32x4.max
  // and f32x4.min: those order −0 below +0 and give a NaN of their own, where the op keeps
  // the operand it picks (maximum(−0, +0) is −0, the NaN is the operand's, bits included).
  maximum: { arity: 2, emit: (c, [a, b]) => pick(c, a, b, () => c.f32x4Ge()) },
  minimum: { arity: 2, emit: (c, [a, b]) => pick(c, a, b, () => c.f32x4Le()) },
  neg: { arity: 1, emit: (c, [x]) => c.localGet(x).f32x4Neg() },
  abs: { arity: 1, emit: (c, [x]) => c.localGet(x).f32x4Abs() },
  sqrt: { arity: 1, emit: (c, [x]) => c.localGet(x).f32x4Sqrt() },
  square: { arity: 1, emit: (c, [x]) => c.localGet(x).localGet(x).f32x4Mul() },
  // max propagates NaN as relu does; relu(-0) is +0 either way.
  relu: { arity: 1, emit: (c, [x]) => c.localGet(x).f32x4Const(0).f32x4Max() },
  step: { arity: 1, emit: (c, [x]) => c.localGet(x).f32x4Const(0).f32x4Gt().f32x4Const(1).v128And() },
  stopGradient: { arity: 1, emit: (c, [x]) => c.localGet(x) },
  // a value passed on unchanged (an output that is an input, a scalar or a constant)
  copy: { arity: 1, emit: (c, [x]) => c.localGet(x) },
  // sin is odd: sin |x| with x's sign bit (so sin(-0) = -0); cos is even.
  sin: { arity: 1, emit: (c, [x], q) => (sinCosShared(c, x, 0, q), c.localGet(x).i32x4Const(-0x80000000).v128And().v128Xor()) },
  cos: { arity: 1, emit: (c, [x], q) => sinCosShared(c, x, 1, q) },
  exp: { arity: 1, emit: (c, [x]) => unaryMath.exp(c, x) },
  tanh: { arity: 1, emit: (c, [x]) => unaryMath.tanh(c, x) },
};

/** Throws on a malformed program: an unknown op, a wrong arity, a name read before it is defined. */
export function checkProgram(p: LoopProgram): void {
  const defined = new Set([...p.inputs, ...p.scalars]);
  for (const [name, op, ...args] of p.steps) {
    const spec = loopOps[op];
    if (!spec) throw new Error(`fused loop: unknown op ${op}`);
    if (args.length !== spec.arity) throw new Error(`fused loop: ${op} takes ${spec.arity} operand(s), got ${args.length}`);
    for (const a of args) if (typeof a === 'string' && !defined.has(a)) throw new Error(`fused loop: ${name} reads ${a} before it is defined`);
    defined.add(name);
  }
  for (const o of [...p.outputs, ...p.sums]) if (!defined.has(o)) throw new Error(`fused loop: output ${o} is not defined`);
}

/**
 * Vectors per loop iteration. A chain such as sin's polynomial is one long dependency
 * chain per vector; interleaving the steps of several vectors lets the CPU overlap them.
 */
export const UNROLL = 4;

/**
 * The module of one program; its function `run` stores outputs then sums' summands for
 * `count` groups of UNROLL vectors.
 */
export function buildLoopModule(p: LoopProgram, unroll = UNROLL): Uint8Array {
  checkProgram(p);
  const stored = [...p.outputs, ...p.sums];
  const params: ValType[] = [...p.inputs.map((): ValType => I32), ...p.scalars.map((): ValType => F32), ...stored.map((): ValType => I32), I32];
  const module = new ModuleBuilder();
  module.func('run', params, [], (c) => {
    const inPtr = p.inputs.map((_, k) => k);
    const scalarParam = p.scalars.map((_, k) => p.inputs.length + k);
    const outPtr = stored.map((_, k) => p.inputs.length + p.scalars.length + k);
    const count = params.length - 1;
    const scalars = new Map<string, number>();
    p.scalars.forEach((s, k) => {
      const l = c.local(V128);
      c.localGet(scalarParam[k]).f32x4Splat().localSet(l);
      scalars.set(s, l);
    });
    // One set of locals per interleaved vector u: its loads, its steps, its sin/cos reductions.
    const lanes = Array.from({ length: unroll }, () => {
      const local = new Map(scalars);
      const loads = p.inputs.map((name) => {
        const l = c.local(V128);
        local.set(name, l);
        return l;
      });
      return { local, loads, steps: p.steps.map(() => c.local(V128)), quadrants: new Map() as Quadrants };
    });
    const i = c.local(I32);
    c.forRange(i, () => c.i32Const(0), count, 1, () => {
      lanes.forEach(({ loads }, u) => loads.forEach((l, k) => c.localGet(inPtr[k]).v128Load(16 * u).localSet(l)));
      p.steps.forEach(([name, op, ...args], k) => {
        for (const lane of lanes) {
          const operands = args.map((a) => {
            if (typeof a === 'string') return lane.local.get(a)!;
            const l = c.local(V128);
            c.f32x4Const(a).localSet(l);
            return l;
          });
          loopOps[op].emit(c, operands, lane.quadrants);
          c.localSet(lane.steps[k]);
          lane.local.set(name, lane.steps[k]);
        }
      });
      lanes.forEach(({ local }, u) => stored.forEach((name, k) => c.localGet(outPtr[k]).localGet(local.get(name)!).v128Store(16 * u)));
      for (const ptr of [...inPtr, ...outPtr]) c.localGet(ptr).i32Const(16 * unroll).i32Add().localSet(ptr);
    });
  });
  return module.toBytes();
}
