// The differentiation API users call: `grad` and `valueAndGrad`. tsgrad differentiates
// ahead of time: the compiler (through `tsgrad run`, `tsgrad build`, the tsc plugin or
// the Vite plugin) rewrites each call to pass the artifact it generated for that call
// site. These functions validate the request, map weights to what the artifact computes,
// and shape the results as MindSpore does. Without an artifact they throw; they never
// fall back to anything that could give a wrong gradient.

import { Tensor } from './tensor.js';
import { gradientCaller, resultFlattener, resultShaper } from './gradient-call.js';

/** `gradPosition`, `weights` and `hasAux`, as in MindSpore's `grad`. */
export interface GradOptions {
  /** Which inputs to differentiate: a position, an array of positions, or null for none. Default 0. */
  gradPosition?: number | readonly number[] | null;
  /** Parameters of the network to differentiate (e.g. `net.trainableParams()`), or null. */
  weights?: Iterable<Tensor> | null;
  /** When true, only the first output is differentiated; the others are returned as aux. */
  hasAux?: boolean;
}

/** What the compiler generated for one call site. */
export interface GradArtifact {
  /** What was differentiated, for messages: `Net.construct`, `forward`. */
  readonly entry: string;
  readonly api: 'grad' | 'valueAndGrad';
  /** Names of the inputs, in order. */
  readonly inputs: readonly string[];
  /** 'tensor' or 'number' per input (others are passed through unchecked). */
  readonly inputKinds: readonly string[];
  /** The positions requested at compile time; null for none. */
  readonly gradPosition: number | readonly number[] | null;
  readonly weights: boolean;
  readonly hasAux: boolean;
  /** How the generated function receives the network: the Cell itself, the gradient
   *  function's network (higher orders), or not at all. */
  readonly self: 'cell' | 'inner' | 'none';
  /** The generated function: `([self,] ...inputs) => [value?, ...positionGrads, ...weightGrads]`. */
  readonly fn: (...args: any[]) => unknown[];
  /**
   * For a plain `grad`: `fn` on one-element float32 tensors (same arguments, same result),
   * or undefined when the call is not one it takes. When every input is a tensor, the
   * gradient function tries it first, before its own checks (gradient-call.ts).
   */
  readonly scalar?: (...args: any[]) => unknown[] | undefined;
  /** The Parameters whose gradients `fn` returns, in order (null for a nullable field that is null). */
  readonly slots?: (self: any) => readonly (Tensor | null)[];
  /** The cells whose Parameters count as the network's (for weight checks). */
  readonly cells?: (self: any) => readonly unknown[];
  /** For an artifact that differentiates a gradient function: the inner artifact's entry. */
  readonly inner?: string;
}

const META = Symbol.for('tsgrad.gradFunction');

/** Set by `jit` on the function it returns: what it compiles (runtime/jit.ts). */
export const JIT_SOURCE = Symbol.for('tsgrad.jitSource');

/** The Cell or function behind `jit(...)` (through any number of them), or `fn` itself. */
export function jitSource(fn: unknown): unknown {
  while (typeof fn === 'function' && JIT_SOURCE in fn) fn = (fn as unknown as Record<symbol, unknown>)[JIT_SOURCE];
  return fn;
}

interface GradMeta {
  readonly artifact: GradArtifact;
  readonly self: unknown;
  /** True when the weights selected are all of the artifact's slots, once each (in any order). */
  readonly allSlots: boolean;
  /** Puts a flat result of the artifact (or its tangent, for forward mode over it) in this function's shape. */
  readonly shape: (flat: unknown[]) => unknown;
  /** The inverse of `shape` (for a cotangent of reverse mode over this function; needs allSlots). */
  readonly flatten: (shaped: unknown) => unknown[];
}

export class TsgradError extends Error {
  override name = 'TsgradError';
}

export interface GradApi<N extends string> {
  <F extends (...args: any[]) => any>(fn: F | object, options?: GradOptions, compiled?: GradArtifact): (...args: any[]) => any;
  /** Brand the compiler reads to find call sites, however `grad` was imported. */
  readonly __tsgradApi: N;
}

/**
 * The gradient function of a Cell or a function, for the inputs and weights requested.
 *
 * @example
 * const net = new Net();
 * const dxdy = grad(net, { gradPosition: [0, 1] })(x, y);   // [Tensor, Tensor]
 */
export const grad: GradApi<'grad'> = brand('grad', (fn, options, compiled) => makeGradFunction('grad', fn, options, compiled));

/**
 * Like `grad`, but the function returns `[value, gradients]`.
 *
 * @example
 * const [loss, grads] = valueAndGrad(net, { gradPosition: null, weights: net.trainableParams() })(x, y);
 */
export const valueAndGrad: GradApi<'valueAndGrad'> = brand('valueAndGrad', (fn, options, compiled) =>
  makeGradFunction('valueAndGrad', fn, options, compiled),
);

function brand<N extends string>(name: N, impl: (fn: unknown, options?: GradOptions, compiled?: GradArtifact) => (...args: any[]) => any): GradApi<N> {
  Object.defineProperty(impl, 'name', { value: name });
  Object.defineProperty(impl, '__tsgradApi', { value: name });
  return impl as unknown as GradApi<N>;
}

function makeGradFunction(api: 'grad' | 'valueAndGrad', fn: unknown, options: GradOptions = {}, artifact?: GradArtifact) {
  if (typeof fn !== 'function') {
    throw new TypeError(`${api}: expected a Cell or a function to differentiate, got ${describeValue(fn)}`);
  }
  const request = normalizeOptions(api, options);
  if (!artifact) throw notCompiled(api, fn);
  checkRequest(api, request, artifact);
  const self = selfFor(api, fn, artifact);
  const selection = request.weights ? selectWeights(api, request.weights, artifact, self) : undefined;
  // Over a gradient function, the value returned (valueAndGrad, hasAux) is that function's result, in its shape.
  const inner = artifact.inner === undefined ? undefined : gradMeta(jitSource(fn));
  const gradFn = gradientCaller(api, request, artifact, self, selection, inner?.shape);
  const meta: GradMeta = {
    artifact,
    self,
    allSlots: selection === undefined || coversEverySlot(selection, presentSlots(artifact, self)),
    shape: resultShaper(api, request, selection, inner?.shape),
    flatten: resultFlattener(api, request, selection, inner?.flatten),
  };
  Object.defineProperty(gradFn, META, { value: meta });
  Object.defineProperty(gradFn, 'name', { value: `${api}(${artifact.entry})` });
  return gradFn;
}

/** A request, normalised: what `makeGradFunction` checked and a call needs. */
export interface Request {
  readonly positions: readonly number[];
  readonly single: boolean;
  readonly weights: Tensor[] | null;
  readonly hasAux: boolean;
}

function normalizeOptions(api: string, options: GradOptions): Request {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${api}: expected an options object { gradPosition, weights, hasAux }, got ${describeValue(options)}`);
  }
  const gp = options.gradPosition === undefined ? 0 : options.gradPosition;
  let positions: number[];
  if (gp === null) positions = [];
  else if (typeof gp === 'number') positions = [gp];
  else if (Array.isArray(gp)) positions = [...gp];
  else throw new TypeError(`${api}: gradPosition must be a number, an array of numbers or null, got ${describeValue(gp)}`);
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0) throw new RangeError(`${api}: gradPosition must hold non-negative integers, got ${p}`);
  }
  const weights = options.weights === undefined || options.weights === null ? null : [...options.weights];
  if (gp === null && weights === null) {
    throw new TypeError(`${api}: gradPosition is null and no weights were given: there is nothing to differentiate`);
  }
  if (options.hasAux !== undefined && typeof options.hasAux !== 'boolean') {
    throw new TypeError(`${api}: hasAux must be a boolean, got ${describeValue(options.hasAux)}`);
  }
  return { positions, single: typeof gp === 'number', weights, hasAux: options.hasAux ?? false };
}

function checkRequest(api: string, request: Request, artifact: GradArtifact): void {
  const compiled = artifact.gradPosition === null ? [] : typeof artifact.gradPosition === 'number' ? [artifact.gradPosition] : artifact.gradPosition;
  for (const p of request.positions) {
    if (p >= artifact.inputs.length) {
      throw new RangeError(
        `${api}: gradPosition ${p} is out of range: ${artifact.entry} takes ${artifact.inputs.length} input(s) (${artifact.inputs.join(', ')})`,
      );
    }
  }
  const same =
    compiled.length === request.positions.length &&
    compiled.every((p, i) => p === request.positions[i]) &&
    (typeof artifact.gradPosition === 'number') === request.single &&
    artifact.weights === (request.weights !== null) &&
    artifact.hasAux === request.hasAux &&
    artifact.api === api;
  if (!same) {
    throw new TsgradError(
      `${api}: the compiled gradient of ${artifact.entry} was generated for ${describeArtifactRequest(artifact)}, but was called with a different request; recompile`,
    );
  }
}

function describeArtifactRequest(a: GradArtifact): string {
  return `${a.api}(gradPosition: ${JSON.stringify(a.gradPosition)}, weights: ${a.weights ? 'yes' : 'null'}, hasAux: ${a.hasAux})`;
}

function selfFor(api: string, compiled: Function, artifact: GradArtifact): unknown {
  // grad(jit(f)) differentiates f: the compiler saw through the jit call.
  const fn = jitSource(compiled) as Function;
  if (artifact.self === 'cell') return fn;
  if (artifact.self === 'none' && !(META in fn)) return undefined;
  const meta = gradMeta(fn);
  if (!meta) {
    throw new TsgradError(`${api}: expected the gradient function of ${artifact.inner ?? artifact.entry}, got a plain function`);
  }
  if (artifact.inner !== undefined && meta.artifact.entry !== artifact.inner) {
    throw new TsgradError(`${api}: expected the gradient function of ${artifact.inner}, got the gradient function of ${meta.artifact.entry}`);
  }
  if (!meta.allSlots) {
    throw new TsgradError(
      `${api}: cannot differentiate ${meta.artifact.entry}'s gradient taken for a subset of its weights; request all of them (net.trainableParams())`,
    );
  }
  return meta.self;
}

/** What `grad()` attached to the gradient function `fn`, if it is one. */
function gradMeta(fn: unknown): GradMeta | undefined {
  return typeof fn === 'function' ? (fn as unknown as Record<symbol, GradMeta | undefined>)[META] : undefined;
}

/** For each requested weight, its index among the artifact's slots, or -1 for a zero gradient. */
function selectWeights(api: string, weights: Tensor[], artifact: GradArtifact, self: unknown): number[] {
  const slots = artifact.slots?.(self) ?? [];
  const network = new Set<unknown>();
  for (const cell of artifact.cells?.(self) ?? []) {
    const named = (cell as { namedParameters?: () => Iterable<[string, unknown]> }).namedParameters?.() ?? [];
    for (const [, p] of named) network.add(p);
  }
  return weights.map((w, i) => {
    if (!(w instanceof Tensor) || !('__tsgradParameter' in w)) {
      throw new TypeError(`${api}: weights[${i}] must be a Parameter, got ${describeValue(w)}`);
    }
    const at = slots.indexOf(w);
    if (at >= 0) return at;
    if (network.has(w)) return -1;
    const name = (w as { name?: string }).name;
    throw new TsgradError(`${api}: weights[${i}] (Parameter '${name}') is not a Parameter of the network differentiated by ${artifact.entry}`);
  });
}

/**
 * Whether the requested weights are every Parameter the gradient differentiates, once each,
 * in any order (Parameters it never reads add zeros): then the sum of the gradients, which
 * a higher order differentiates, is the sum of all of them, as the generated code returns.
 */
function coversEverySlot(selection: readonly number[], slotCount: number): boolean {
  const picked = selection.filter((s) => s >= 0);
  return new Set(picked).size === picked.length && picked.length === slotCount;
}

/** How many Parameters the gradient differentiates: a slot read from a missing Parameter (nn.Dense without bias) is null. */
function presentSlots(artifact: GradArtifact, self: unknown): number {
  return (artifact.slots?.(self) ?? []).filter((slot) => slot !== null).length;
}

function notCompiled(api: string, fn: Function): TsgradError {
  const what = 'construct' in fn ? `${Object.getPrototypeOf(fn)?.constructor?.name ?? 'Cell'}.construct` : fn.name || 'this function';
  return new TsgradError(
    `${api}(${what}): no compiled gradient. tsgrad differentiates ahead of time: run this file with \`tsgrad run\`, ` +
      'build it with `tsgrad build`, or compile it with the tsc plugin (tsgrad/plugin) or the Vite plugin (tsgrad/vite).',
  );
}

export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof Tensor) return `a Tensor of shape [${x.shape.join(', ')}] (${x.dtype})`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'function') return `a function${x.name ? ` (${x.name})` : ''}`;
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return `${typeof x} ${JSON.stringify(x)}`;
}
