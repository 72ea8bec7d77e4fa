// `jit`: a Cell's or a function's forward, compiled ahead of time (MindSpore's
// `mindspore.jit`). The compiler lowers the forward through the same phases as a gradient
// (lower → simplify → fuse → emit; the forward sweep without the backward one) and rewrites
// each call to pass the artifact it generated for that call site. The function `jit`
// returns checks its inputs and calls that code; it computes what the function computes,
// the same values bit for bit. Without an artifact `jit` throws, as `grad` does.

import { JIT_SOURCE, TsgradError, describeValue, jitSource } from './grad.js';
import { fits as fitsKind, inputChecker, kindCode } from './gradient-call.js';

/** What the compiler generated for one `jit` call site. */
export interface JitArtifact {
  /** What was compiled, for messages: `Net.construct`, `forward`. */
  readonly entry: string;
  readonly api: 'jit';
  /** Names of the inputs, in order. */
  readonly inputs: readonly string[];
  /** 'tensor', 'number' or 'numbers' per input (others are passed through unchecked). */
  readonly inputKinds: readonly string[];
  /** How the generated function receives the network: the Cell itself, or not at all. */
  readonly self: 'cell' | 'none';
  /** The generated forward: `([self,] ...inputs) => output`. */
  readonly fn: (...args: any[]) => unknown;
}

/** A function's signature, or the one of a Cell's `construct`. */
type Signature<F> = F extends (...args: infer A) => infer R ? (...args: A) => R : never;

export interface JitApi {
  <F extends (...args: any[]) => any>(fn: F, compiled?: JitArtifact): Signature<F>;
  /** Brand the compiler reads to find call sites, however `jit` was imported. */
  readonly __tsgradApi: 'jit';
}

/**
 * The forward of a Cell or a function, compiled: a function with the same signature that
 * runs the generated code (elementwise runs fused into loops, one-element float32 tensors
 * as float32 arithmetic) and returns the same values as `fn` itself.
 *
 * @example
 * const fast = jit(rosenbrock);
 * const y = fast(x);                 // rosenbrock(x), bit for bit
 * const netForward = jit(net);       // net(x, y), through the compiled construct
 */
export const jit: JitApi = Object.defineProperties(
  (fn: unknown, compiled?: JitArtifact) => makeJitFunction(fn, compiled),
  { name: { value: 'jit' }, __tsgradApi: { value: 'jit' } },
) as unknown as JitApi;

function makeJitFunction(fn: unknown, artifact: JitArtifact | undefined): (...args: unknown[]) => unknown {
  if (typeof fn !== 'function') throw new TypeError(`jit: expected a Cell or a function to compile, got ${describeValue(fn)}`);
  if (!artifact || artifact.api !== 'jit') throw notCompiled(fn);
  // jit(jit(net)) compiles net: the compiler saw through the inner jit, and so does the call.
  const compiled = caller(artifact, artifact.self === 'cell' ? jitSource(fn) : undefined);
  Object.defineProperty(compiled, JIT_SOURCE, { value: fn });
  Object.defineProperty(compiled, 'name', { value: `jit(${artifact.entry})` });
  return compiled;
}

/**
 * The function `jit()` returns: one and two inputs get closures without a rest parameter
 * or a spread call, which would cost more than a one-element forward itself. A `number[]`
 * input is checked to be an array, not element by element (that would cost as much as
 * the forward): the generated code does with its elements what the source does.
 */
function caller(artifact: JitArtifact, self: unknown): (...args: unknown[]) => unknown {
  const check = inputChecker({ ...artifact, entry: `jit(${artifact.entry})` });
  const fn = artifact.fn;
  const withSelf = artifact.self === 'cell';
  const numbers = kindCode('numbers');
  const kinds = artifact.inputKinds.map(kindCode);
  const fits = (kind: number, arg: unknown) => (kind === numbers ? Array.isArray(arg) : fitsKind(kind, arg));
  if (kinds.length === 1) {
    const [k0] = kinds;
    return function jitted(a: unknown) {
      if (arguments.length !== 1 || !fits(k0, a)) check(Array.from(arguments));
      return withSelf ? fn(self, a) : fn(a);
    };
  }
  if (kinds.length === 2) {
    const [k0, k1] = kinds;
    return function jitted(a: unknown, b: unknown) {
      if (arguments.length !== 2 || !fits(k0, a) || !fits(k1, b)) check(Array.from(arguments));
      return withSelf ? fn(self, a, b) : fn(a, b);
    };
  }
  return (...args: unknown[]) => {
    if (args.length !== kinds.length || !kinds.every((k, i) => fits(k, args[i]))) check(args);
    return withSelf ? fn(self, ...args) : fn(...args);
  };
}

function notCompiled(fn: Function): TsgradError {
  const what = 'construct' in fn ? `${Object.getPrototypeOf(fn)?.constructor?.name ?? 'Cell'}.construct` : fn.name || 'this function';
  return new TsgradError(
    `jit(${what}): no compiled forward. tsgrad compiles ahead of time: run this file with \`tsgrad run\`, ` +
      'build it with `tsgrad build`, or compile it with the tsc plugin (tsgrad/plugin) or the Vite plugin (tsgrad/vite).',
  );
}
