// What a gradient function does on each call: check the inputs, run the generated
// function, give int32/bool inputs zero gradients, and shape the result as MindSpore
// does. Everything that depends only on the request is decided once, when `grad()` makes
// the function; for one-element inputs the whole gradient costs about as much as this
// dispatch, so one and two inputs get closures without a rest parameter or a spread call
// (those two alone cost about 40 ns a call).

import type { GradArtifact, Request } from './grad.js';
import { describeValue } from './grad.js';
import { Tensor } from './tensor.js';

/** The function `grad()` returns, for one request of one artifact. */
export function gradientCaller(
  api: 'grad' | 'valueAndGrad',
  request: Request,
  artifact: GradArtifact,
  self: unknown,
  selection: number[] | undefined,
  innerShape?: (flat: unknown[]) => unknown,
): (...args: unknown[]) => unknown {
  const check = inputChecker(artifact);
  const shape = resultShaper(api, request, selection, innerShape);
  const positions = request.positions;
  const fn = artifact.fn;
  const withSelf = artifact.self !== 'none';
  /** The result of `flat`, the generated function's output for `args`. */
  const finish = (args: unknown[], flat: unknown[]) => {
    if (anyIntegerTensor(args, positions)) zeroIntegerInputs(api, request, artifact, args, flat);
    return shape(flat);
  };
  const kinds = artifact.inputKinds.map(kindCode);
  const scalar = scalarEntry(api, request, artifact, selection, kinds);
  const single = request.single;
  if (kinds.length === 1) {
    const [k0] = kinds;
    if (k0 === NUMBERS) {
      // A number[] is never an integer Tensor: no zero gradients to put in.
      return function gradient(a: unknown) {
        if (arguments.length !== 1 || !isNumberArray(a)) check(Array.from(arguments));
        return shape(withSelf ? fn(self, a) : fn(a));
      };
    }
    return function gradient(a: unknown) {
      if (scalar !== undefined && arguments.length === 1) {
        const flat = withSelf ? scalar(self, a) : scalar(a);
        if (flat !== undefined) return single ? flat[0] : flat;
      }
      if (arguments.length !== 1 || !fits(k0, a)) check(Array.from(arguments));
      const flat = withSelf ? fn(self, a) : fn(a);
      return isIntegerTensor(a) ? finish([a], flat) : shape(flat);
    };
  }
  if (kinds.length === 2) {
    const [k0, k1] = kinds;
    return function gradient(a: unknown, b: unknown) {
      if (scalar !== undefined && arguments.length === 2) {
        const flat = withSelf ? scalar(self, a, b) : scalar(a, b);
        if (flat !== undefined) return single ? flat[0] : flat;
      }
      if (arguments.length !== 2 || !fits(k0, a) || !fits(k1, b)) check(Array.from(arguments));
      const flat = withSelf ? fn(self, a, b) : fn(a, b);
      return isIntegerTensor(a) || isIntegerTensor(b) ? finish([a, b], flat) : shape(flat);
    };
  }
  return (...args: unknown[]) => {
    check(args);
    return finish(args, withSelf ? fn(self, ...args) : fn(...args));
  };
}

/**
 * The artifact's scalar path, when a call it takes can skip the rest: a plain `grad`
 * (its result is the flat list, or its one element) whose inputs are all tensors (the
 * path checks those; a number input would need `fits`). Its checks also make sure no
 * input is an integer tensor. For one-element calls this halves what the wrapper costs:
 * the seed's gradient went from 0.140 to 0.106-0.113 µs (CPU time, same process).
 */
function scalarEntry(api: string, request: Request, artifact: GradArtifact, selection: number[] | undefined, kinds: readonly number[]): GradArtifact['scalar'] {
  const plain = api === 'grad' && !request.hasAux && !selection;
  return plain && kinds.every((k) => k === TENSOR) ? artifact.scalar : undefined;
}

const TENSOR = 0;
const NUMBER = 1;
const NUMBERS = 2;
const ANY = 3;

export function kindCode(kind: string): number {
  return kind === 'tensor' ? TENSOR : kind === 'number' ? NUMBER : kind === 'numbers' ? NUMBERS : ANY;
}

/** True when `arg` is what an input of kind `kind` (a `kindCode`) takes. */
export function fits(kind: number, arg: unknown): boolean {
  if (kind === TENSOR) return arg instanceof Tensor;
  if (kind === NUMBER) return typeof arg === 'number';
  if (kind === NUMBERS) return isNumberArray(arg);
  return true;
}

/** Every element a number: four per step, which V8 runs in 0.27 µs per 1000 elements against 0.47 one by one. */
function isNumberArray(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  const n = x.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    if (typeof x[i] !== 'number' || typeof x[i + 1] !== 'number' || typeof x[i + 2] !== 'number' || typeof x[i + 3] !== 'number') return false;
  }
  for (; i < n; i++) if (typeof x[i] !== 'number') return false;
  return true;
}

/** Checks a call's arguments against the artifact's inputs; throws a TypeError naming the first wrong one. */
export function inputChecker(artifact: Pick<GradArtifact, 'entry' | 'inputs' | 'inputKinds'>): (args: unknown[]) => void {
  const kinds = artifact.inputKinds.map(kindCode);
  return (args) => {
    if (args.length !== kinds.length) {
      throw new TypeError(`${artifact.entry}: expected ${kinds.length} input(s) (${artifact.inputs.join(', ')}), got ${args.length}`);
    }
    kinds.forEach((kind, i) => {
      if (fits(kind, args[i])) return;
      const want = kind === TENSOR ? 'a Tensor' : kind === NUMBER ? 'a number' : 'an array of numbers';
      throw new TypeError(`${artifact.entry}: input ${i} (${artifact.inputs[i]}) must be ${want}, got ${describeValue(args[i])}`);
    });
  };
}

function isIntegerTensor(x: unknown): boolean {
  return x instanceof Tensor && !x.dtype.isFloat;
}

/** True when an input at a requested position is an int32 or bool tensor. */
function anyIntegerTensor(args: unknown[], positions: readonly number[]): boolean {
  for (let i = 0; i < positions.length; i++) if (isIntegerTensor(args[positions[i]])) return true;
  return false;
}

const warned = new Set<string>();

/**
 * Integer and bool inputs are not differentiable: their gradient is zeros of their shape
 * and dtype, and the first time it happens a warning says so.
 */
function zeroIntegerInputs(api: string, request: Request, artifact: GradArtifact, args: unknown[], flat: unknown[]): void {
  const start = api === 'valueAndGrad' || request.hasAux ? 1 : 0;
  request.positions.forEach((p, i) => {
    const arg = args[p];
    if (!(arg instanceof Tensor) || arg.dtype.isFloat) return;
    flat[start + i] = zerosLike(arg);
    const key = `${artifact.entry}:${p}`;
    if (warned.has(key)) return;
    warned.add(key);
    const message = `${api}(${artifact.entry}): input ${p} (${artifact.inputs[p]}) is ${arg.dtype}, which is not differentiable; its gradient is zeros`;
    // Node has process warnings; a browser bundle has the console.
    if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') process.emitWarning(message, 'TsgradWarning');
    else console.warn(`TsgradWarning: ${message}`);
  });
}

/**
 * The function that puts the generated function's flat result `[outputs?,
 * ...positionGrads, ...slotGrads]` in MindSpore's shape. A plain `grad` of inputs (no
 * value, no weights, no aux) returns the flat list itself, or its one element for a
 * single position: the generated code builds a new list per call. Over a gradient
 * function (a higher order), the outputs are that function's flat result, which
 * `innerShape` puts in its shape.
 */
export function resultShaper(
  api: string,
  request: Request,
  selection: number[] | undefined,
  innerShape?: (flat: unknown[]) => unknown,
): (flat: unknown[]) => unknown {
  if (api === 'grad' && !request.hasAux && !selection) {
    return request.single ? (flat) => flat[0] : (flat) => flat;
  }
  return (flat) => shapeResult(api, request, flat, selection, innerShape);
}

function shapeResult(api: string, request: Request, flat: unknown[], selection: number[] | undefined, innerShape?: (flat: unknown[]) => unknown) {
  const hasOutputs = api === 'valueAndGrad' || request.hasAux;
  const outputs = hasOutputs ? (innerShape ? innerShape(flat[0] as unknown[]) : flat[0]) : undefined;
  const start = hasOutputs ? 1 : 0;
  const positionGrads = flat.slice(start, start + request.positions.length);
  const slotGrads = flat.slice(start + request.positions.length);
  const positionPart = request.single ? positionGrads[0] : positionGrads;
  let grads: unknown = positionPart;
  if (selection) {
    const weights = request.weights ?? [];
    const weightGrads = selection.map((s, i) => (s >= 0 ? slotGrads[s] : zerosLike(weights[i])));
    grads = request.positions.length === 0 ? weightGrads : [positionPart, weightGrads];
  }
  if (api === 'valueAndGrad') return [outputs, grads];
  if (request.hasAux) return [grads, (outputs as unknown[]).slice(1)];
  return grads;
}

/**
 * The inverse of `resultShaper`: a value in the gradient function's shape (a cotangent
 * of vjp or jacrev over it) as the generated function's flat result. The weights selected
 * must be all of the slots (GradMeta.allSlots). `grad` with hasAux does not return the
 * output: its place holds `undefined`, which the generated code never reads (reverse mode
 * over it stops that output, compiler/3-differentiate/stop-aux.ts).
 */
export function resultFlattener(
  api: string,
  request: Request,
  selection: number[] | undefined,
  innerFlatten?: (shaped: unknown) => unknown[],
): (shaped: unknown) => unknown[] {
  return (shaped) => {
    let outputs: unknown[] = [];
    let grads = shaped;
    if (api === 'valueAndGrad') {
      const [value, rest] = shaped as [unknown, unknown];
      outputs = [innerFlatten ? innerFlatten(value) : value];
      grads = rest;
    } else if (request.hasAux) {
      const [rest, aux] = shaped as [unknown, unknown[]];
      outputs = [[undefined, ...aux]];
      grads = rest;
    }
    let positionPart = grads;
    let weightPart: unknown[] = [];
    if (selection) [positionPart, weightPart] = request.positions.length === 0 ? [[], grads as unknown[]] : (grads as [unknown, unknown[]]);
    const positionGrads = request.single ? [positionPart] : (positionPart as unknown[]);
    const slotGrads: unknown[] = [];
    selection?.forEach((slot, i) => {
      if (slot >= 0) slotGrads[slot] = weightPart[i];
    });
    return [...outputs, ...positionGrads, ...slotGrads];
  };
}

function zerosLike(t: Tensor): Tensor {
  return Tensor.fromData(t.dtype.alloc(t.size), [...t.shape], t.dtype);
}
