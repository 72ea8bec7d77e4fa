// The contract every primitive op keeps. A primitive is one file under runtime/ops/: its
// kernel, its derivative rules written only in runtime ops (so that the compiler can
// differentiate them again), what the rules read from the forward pass, the domain its
// tests sample from, and a one-line statement of the math. The compiler knows no math: it
// evaluates these rules on symbolic values to produce IR (see `withRecorder`).

import type { Tensor } from '../tensor.js';

/** The primal inputs of one application, by parameter name, plus its output `out`. */
export type RuleArgs = Record<string, any> & { out: Tensor };

/** The gradient that flows to one input from the output's cotangent `dy`. */
export type VjpRule = (p: RuleArgs, dy: Tensor) => Tensor;
/** The output tangent contributed by one input's tangent `dx` (a linear map in `dx`). */
export type JvpRule = (p: RuleArgs, dx: Tensor) => Tensor;
/**
 * The rules of a variadic parameter (concat's and stack's `tensors`): the vjp rule returns
 * one gradient per element of the array; the jvp rule takes one tangent per element
 * (zerosLike for an element that has none) and returns the output tangent.
 */
export type VariadicVjpRule = (p: RuleArgs, dy: Tensor) => Tensor[];
export type VariadicJvpRule = (p: RuleArgs, dxs: Tensor[]) => Tensor;

/** Marks a variadic parameter's vjp rule (it returns an array; see VariadicVjpRule). */
export function variadicVjp(rule: VariadicVjpRule): VjpRule {
  return rule as unknown as VjpRule;
}

/** Marks a variadic parameter's jvp rule (it takes an array; see VariadicJvpRule). */
export function variadicJvp(rule: VariadicJvpRule): JvpRule {
  return rule as unknown as JvpRule;
}

/** Where the gradient tests sample each input from. */
export interface Domain {
  /**
   * Value range per tensor parameter; values are drawn uniformly from it. Every parameter
   * listed here is a tensor in the tests (also shape-only ones such as `like`); the
   * differentiable ones are those with rules.
   */
  ranges: Record<string, readonly [number, number]>;
  /**
   * Argument sets to test, by parameter name: a tensor parameter (one in `ranges`) gives
   * its shape (`[]` for 0-d), a tensor array parameter an array of shapes, any other
   * parameter its literal value (axis, keepDims, shape, indices, ...).
   */
  cases: readonly Record<string, unknown>[];
}

export interface PrimitiveSpec {
  /** Registry key and the name of the public op: `ops.<name>`. */
  readonly name: string;
  /** One line of math: what the op computes and its derivative. */
  readonly math: string;
  /**
   * The output's shape, for the compiler's shape-aware simplification: a parameter name
   * (the output has that operand's shape: elementwise unary ops, onesLike, sumToLike's
   * `like`) or a list (the broadcast of those operands: elementwise binary ops). Absent:
   * the compiler assumes nothing.
   */
  readonly shape?: string | readonly string[];
  /**
   * Each output element depends only on the operands' elements at the same index (after
   * broadcasting): with operands of one shape and 0-d scalars, the op's Jacobian is
   * diagonal. The compiler computes a gradient in forward mode where every op between
   * the input and the output is one of these (compiler/2-analyze/diagonal.ts).
   */
  readonly elementwise?: boolean;
  /** Parameter names in call order (tensor operands first, then attributes). */
  readonly params: readonly string[];
  /** A parameter whose argument is an array of tensors (concat, stack), if any. */
  readonly variadic?: string;
  /** Kernel: computes the op on concrete tensors and numbers. */
  readonly kernel: (...args: any[]) => any;
  /**
   * The plain-number form, for code written with `number`s: its kernel and how it is
   * written in TypeScript (`$0`, `$1` stand for operands), e.g. `Math.sin($0)`, `$0 * $1`.
   */
  readonly number?: { readonly fn: (...args: number[]) => number; readonly syntax: string };
  /** Reverse-mode rule per differentiable parameter. Absent: the op is not differentiable. */
  readonly vjp?: Readonly<Record<string, VjpRule>>;
  /** Forward-mode rule per differentiable parameter. */
  readonly jvp?: Readonly<Record<string, JvpRule>>;
  /** What the rules read from the forward pass: parameter names and/or 'out'. */
  readonly save: readonly string[];
  /** Sampling domain for the registry-driven gradient tests (differentiable ops). */
  readonly domain?: Domain;
}

/** A callable op that carries its spec; `primitive` is the brand the compiler reads. */
export type Primitive<F extends (...args: any[]) => any, N extends string> = F & {
  readonly primitive: N;
  readonly spec: PrimitiveSpec;
};

/** Receives every op application while a recorder is installed (compile time only). */
export type Recorder = (op: string, args: readonly unknown[]) => unknown;
let recorder: Recorder | null = null;

/**
 * Runs `body` with every primitive application sent to `record` instead of its kernel.
 * The compiler uses it to turn derivative rules into IR; nothing else should.
 */
export function withRecorder<T>(record: Recorder, body: () => T): T {
  const previous = recorder;
  recorder = record;
  try {
    return body();
  } finally {
    recorder = previous;
  }
}

/** Makes the public op function for a spec. */
export function definePrimitive<N extends string, F extends (...args: any[]) => any>(
  spec: PrimitiveSpec & { readonly name: N; readonly kernel: F },
): Primitive<F, N> {
  const op = callKernel(spec.name, spec.kernel, spec.params.length) as unknown as Primitive<F, N>;
  Object.defineProperty(op, 'name', { value: spec.name });
  Object.defineProperty(op, 'primitive', { value: spec.name, enumerable: true });
  Object.defineProperty(op, 'spec', { value: spec, enumerable: false });
  return op;
}

/**
 * The op's function: the kernel, or the recorder while one is installed. Ops of up to
 * four parameters get a wrapper of fixed arity: a rest parameter and a spread call cost
 * about 0.04 µs per op call, a tenth of what a small elementwise op costs in all. Missing
 * arguments reach the kernel as `undefined`, as they would by being left out; the
 * recorder sees exactly the arguments given.
 */
function callKernel(name: string, kernel: (...args: any[]) => any, arity: number): (...args: any[]) => any {
  switch (arity) {
    case 1:
      return function (a: unknown) {
        if (recorder !== null) return recorder(name, Array.prototype.slice.call(arguments));
        return kernel(a);
      };
    case 2:
      return function (a: unknown, b: unknown) {
        if (recorder !== null) return recorder(name, Array.prototype.slice.call(arguments));
        return kernel(a, b);
      };
    case 3:
      return function (a: unknown, b: unknown, c: unknown) {
        if (recorder !== null) return recorder(name, Array.prototype.slice.call(arguments));
        return kernel(a, b, c);
      };
    case 4:
      return function (a: unknown, b: unknown, c: unknown, d: unknown) {
        if (recorder !== null) return recorder(name, Array.prototype.slice.call(arguments));
        return kernel(a, b, c, d);
      };
    default:
      return function (...args: unknown[]) {
        if (recorder !== null) return recorder(name, args);
        return kernel(...args);
      };
  }
}
