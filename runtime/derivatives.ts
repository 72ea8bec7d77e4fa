// The derivative family beside `grad`: `jvp` (forward mode), `vjp` (reverse mode with an
// explicit cotangent), `jacfwd`, `jacrev` and `hessian`. As with `grad`, the compiler
// generates the code ahead of time and passes it to each call site as an artifact; these
// functions validate, call it and shape results as MindSpore and JAX do. Without an
// artifact they throw; they never fall back to anything that could be wrong.
//
// Jacobians are assembled at run time from the generated code: `jacfwd` calls the
// generated forward-mode (JVP) function once per element of each differentiated input,
// with a one-hot tangent (a column of the Jacobian each); `jacrev` calls the generated
// reverse-mode (VJP) function once per output element with a one-hot cotangent (a row
// each); `hessian` calls forward mode compiled over the generated reverse-mode gradient
// (forward-over-reverse) once per input element, and for an output of several elements
// forward mode over the generated VJP once per output element and input element (a
// one-hot cotangent and a one-hot tangent: jacfwd over jacrev, as JAX's hessian). Shapes
// are output.shape ++ input.shape (hessian: output.shape ++ input_i.shape ++ input_j.shape).

import { Tensor } from './tensor.js';
import { TsgradError, describeValue, jitSource } from './grad.js';

export type DerivativeApiName = 'jvp' | 'vjp' | 'jacfwd' | 'jacrev' | 'hessian';

/** What the compiler generated for one `jvp`/`vjp`/`jacfwd`/`jacrev`/`hessian` call site. */
export interface DerivativeArtifact {
  /** Brand: tells an artifact apart from an input in `vjp(fn, ...inputs)`. */
  readonly __tsgradArtifact: true;
  readonly api: DerivativeApiName;
  /** What was differentiated, for messages. */
  readonly entry: string;
  readonly inputs: readonly string[];
  readonly inputKinds: readonly string[];
  /** The inputs the generated code differentiates (tangent or gradient positions). */
  readonly positions: readonly number[];
  /** As written at the call site (jacfwd, jacrev, hessian). */
  readonly gradPosition: number | readonly number[] | null;
  readonly hasAux: boolean;
  readonly self: 'cell' | 'inner' | 'none';
  /** For a gradient function as target: its entry (the gradient function shapes the results). */
  readonly inner?: string;
  /**
   * Forward (jvp, jacfwd, hessian): `([self,] ...inputs, ...tangents) => [output, outputTangent]`.
   * Reverse (vjp, jacrev): `([self,] ...inputs, sens) => [output, ...gradients]`.
   */
  readonly fn: (...args: any[]) => any;
  /**
   * hessian, for an output of several elements: forward mode over the VJP,
   * `([self,] ...inputs, sens, ...tangents) => [[output, ...gradients], [outputTangent, ...gradientTangents]]`.
   */
  readonly sens?: (...args: any[]) => any;
}

export interface JacobianOptions {
  /** Which inputs: a position or an array of positions. Default 0. */
  gradPosition?: number | readonly number[];
  /** When true, only the first output is differentiated; the others are returned as aux. */
  hasAux?: boolean;
}

const META = Symbol.for('tsgrad.gradFunction');

function brand<N extends DerivativeApiName, F>(name: N, impl: F): F & { readonly __tsgradApi: N } {
  Object.defineProperty(impl, 'name', { value: name });
  Object.defineProperty(impl, '__tsgradApi', { value: name });
  return impl as F & { readonly __tsgradApi: N };
}

/**
 * Forward mode: the outputs of `fn` at `inputs` and their directional derivative along
 * `tangents` (one per input, same shapes).
 *
 * @example
 * const [y, dy] = jvp(net, [x], [ops.onesLike(x)]);
 */
export const jvp = brand(
  'jvp',
  (fn: unknown, inputs: unknown, tangents: unknown, compiled?: DerivativeArtifact): [any, any] => {
    const artifact = need('jvp', fn, compiled);
    const xs = asList(inputs);
    const ts = asList(tangents);
    if (ts.length !== xs.length) throw new TypeError(`jvp: expected ${xs.length} tangent(s), one per input, got ${ts.length}`);
    checkInputs(artifact, xs);
    ts.forEach((t, i) => checkTangent('jvp', xs[i], t, i));
    const target = targetOf('jvp', fn, artifact);
    return forwardCall(artifact, target, [...xs, ...artifact.positions.map((p) => ts[p])]);
  },
);

/**
 * Reverse mode with an explicit cotangent: the outputs of `fn` at `inputs`, and a function
 * from a cotangent `sens` (shaped like the outputs) to the gradients of the inputs (one
 * Tensor for one input, an array for several).
 *
 * @example
 * const [y, vjpFn] = vjp(net, x);
 * const dx = vjpFn(ops.onesLike(y));
 */
export const vjp = brand('vjp', (fn: unknown, ...rest: unknown[]): [any, (sens: unknown) => any] => {
  const last = rest[rest.length - 1];
  const compiled = isArtifact(last) ? last : undefined;
  const xs = compiled ? rest.slice(0, -1) : rest;
  const artifact = need('vjp', fn, compiled);
  checkInputs(artifact, xs);
  const target = targetOf('vjp', fn, artifact);
  const outputs = primal(fn, xs);
  const vjpFn = (sens: unknown) => {
    checkSens(outputs, sens);
    const flat = call(artifact, target, [...xs, target.flatten ? target.flatten(sens) : sens]) as unknown[];
    const grads = flat.slice(1);
    return grads.length === 1 ? grads[0] : grads;
  };
  return [outputs, vjpFn];
});

/**
 * The Jacobian by forward mode, one generated JVP call per input element. Shape:
 * output.shape ++ input.shape; an array of Jacobians for an array of positions. A function
 * with several outputs (a gradient function's `[inputGrads, weightGrads]`, `valueAndGrad`'s
 * `[value, gradients]`) gets the same structure with a Jacobian (or an array of them, one
 * per position) in place of each output Tensor, as JAX's jacfwd does for a pytree.
 *
 * @example
 * const J = jacfwd(f)(x);          // [out..., in...]
 */
export const jacfwd = brand('jacfwd', (fn: unknown, options: JacobianOptions = {}, compiled?: DerivativeArtifact) => {
  const artifact = need('jacfwd', fn, compiled);
  const single = checkOptions('jacfwd', options, artifact);
  return (...xs: unknown[]) => {
    checkInputs(artifact, xs);
    const target = targetOf('jacfwd', fn, artifact);
    const tensors = tensorInputs('jacfwd', artifact, xs);
    let outputs: unknown;
    // Per position, per input element k: the output tangent's Tensors along e_k (a column each).
    const columns = artifact.positions.map((p) => {
      const x = tensors[p];
      const perElement: Tensor[][] = [];
      for (let k = 0; k < x.size; k++) {
        const tangents = artifact.positions.map((q) => (q === p ? oneHot(x, k) : zerosOf(tensors[q])));
        const [out, dout] = forwardCall(artifact, target, [...xs, ...tangents]);
        outputs = out;
        perElement.push(tensorLeaves('jacfwd', artifact, differentiated(artifact, dout)));
      }
      return perElement;
    });
    outputs ??= primal(fn, xs);
    let leaf = 0;
    const jac = mapTensors('jacfwd', artifact, differentiated(artifact, outputs), (y) => {
      const i = leaf++;
      const jacs = artifact.positions.map((p, pi) => {
        const x = tensors[p];
        const J = new Float64Array(y.size * x.size);
        columns[pi].forEach((column, k) => column[i].data.forEach((value, o) => (J[o * x.size + k] = Number(value))));
        return fromFloat64(J, [...y.shape, ...x.shape], y);
      });
      return single ? jacs[0] : jacs;
    });
    return artifact.hasAux ? [jac, (outputs as unknown[]).slice(1)] : jac;
  };
});

/**
 * The Jacobian by reverse mode, one generated VJP call per output element. Shape:
 * output.shape ++ input.shape; an array of Jacobians for an array of positions. Several
 * outputs (nested arrays of Tensors, as a gradient function's) get the same structure with
 * a Jacobian (or an array of them) in place of each output Tensor, as JAX's jacrev does
 * for a pytree.
 *
 * @example
 * const J = jacrev(f, { gradPosition: [0, 1] })(x, y);   // [J_x, J_y]
 */
export const jacrev = brand('jacrev', (fn: unknown, options: JacobianOptions = {}, compiled?: DerivativeArtifact) => {
  const artifact = need('jacrev', fn, compiled);
  const single = checkOptions('jacrev', options, artifact);
  return (...xs: unknown[]) => {
    checkInputs(artifact, xs);
    const target = targetOf('jacrev', fn, artifact);
    const tensors = tensorInputs('jacrev', artifact, xs);
    const outputs = primal(fn, xs);
    // Several output Tensors (a gradient function's [inputGrads, weightGrads], valueAndGrad's
    // [value, gradients]): a row per element of each, the cotangent one-hot in that Tensor alone.
    const first = differentiated(artifact, outputs);
    const ys = tensorLeaves('jacrev', artifact, first);
    const J = ys.map((y) => artifact.positions.map((p) => new Float64Array(y.size * tensors[p].size)));
    ys.forEach((y, leaf) => {
      for (let o = 0; o < y.size; o++) {
        let at = 0;
        const row = mapTensors('jacrev', artifact, first, (t) => (at++ === leaf ? oneHot(t, o) : zerosOf(t)));
        const sens = artifact.hasAux ? [row, ...(outputs as unknown[]).slice(1).map(zerosOf)] : row;
        const flat = call(artifact, target, [...xs, target.flatten ? target.flatten(sens) : sens]) as Tensor[];
        artifact.positions.forEach((p, i) => {
          const n = tensors[p].size;
          flat[1 + i].data.forEach((value, k) => (J[leaf][i][o * n + k] = Number(value)));
        });
      }
    });
    let leaf = 0;
    const jac = mapTensors('jacrev', artifact, first, (y) => {
      const i = leaf++;
      const jacs = artifact.positions.map((p, pi) => fromFloat64(J[i][pi], [...y.shape, ...tensors[p].shape], y));
      return single ? jacs[0] : jacs;
    });
    return artifact.hasAux ? [jac, (outputs as unknown[]).slice(1)] : jac;
  };
});

/**
 * The Hessian by forward mode over the generated reverse mode. Shape: output.shape ++
 * input.shape ++ input.shape, `H[o..., a..., k...]` = ∂²y_o/∂x_a∂x_k; for an array of
 * positions, `H[i][j]` = ∂²y/∂x_i∂x_j, of shape output.shape ++ x_i.shape ++ x_j.shape.
 * Several outputs (a gradient function's `[inputGrads, weightGrads]`) get the same
 * structure with a Hessian (or blocks) in place of each output Tensor, as JAX's hessian
 * does for a pytree. A one-element output takes forward mode over its gradient, once per
 * input element; any other forward mode over its VJP, once per output and input element.
 *
 * @example
 * const H = hessian(f)(x);         // [...out, n, n] for x of shape [n]
 */
export const hessian = brand('hessian', (fn: unknown, options: JacobianOptions = {}, compiled?: DerivativeArtifact) => {
  const artifact = need('hessian', fn, compiled);
  const single = checkOptions('hessian', options, artifact);
  return (...xs: unknown[]) => {
    checkInputs(artifact, xs);
    const target = targetOf('hessian', fn, artifact);
    const tensors = tensorInputs('hessian', artifact, xs);
    const outputs = primal(fn, xs);
    const first = differentiated(artifact, outputs);
    const ys = tensorLeaves('hessian', artifact, first);
    const positions = artifact.positions;
    // Per output Tensor, per pair of positions: the block, row-major over output ++ x_i ++ x_j.
    const H = ys.map((y) => positions.map((p) => positions.map((q) => new Float64Array(y.size * tensors[p].size * tensors[q].size))));
    if (first instanceof Tensor && first.size === 1) {
      // The gradient's tangents; with hasAux the generated gradient returns [outputs, ...gradients].
      hessianRow(H[0], tensors, positions, 0, (tangents) => {
        const [, dflat] = call(artifact, target, [...xs, ...tangents]) as [unknown[], Tensor[]];
        return artifact.hasAux ? dflat.slice(1) : dflat;
      });
    } else {
      const sensFn = artifact.sens;
      if (sensFn === undefined) throw new TsgradError(`hessian(${artifact.entry}): the compiled derivative has no function for an output of several elements; recompile`);
      ys.forEach((y, leaf) => {
        for (let o = 0; o < y.size; o++) {
          // The cotangent one-hot at element o of this output Tensor, zeros elsewhere and for the aux outputs.
          let at = 0;
          const row = mapTensors('hessian', artifact, first, (t) => (at++ === leaf ? oneHot(t, o) : zerosOf(t)));
          const sens = artifact.hasAux ? [row, ...(outputs as unknown[]).slice(1).map(zerosOf)] : row;
          const flatSens = target.flatten ? target.flatten(sens) : sens;
          hessianRow(H[leaf], tensors, positions, o, (tangents) => {
            const [, dflat] = callFunction(sensFn, artifact, target, [...xs, flatSens, ...tangents]) as [unknown[], Tensor[]];
            return dflat.slice(1);
          });
        }
      });
    }
    let leaf = 0;
    const hess = mapTensors('hessian', artifact, first, (y) => {
      const blocks = H[leaf++].map((row, i) => row.map((block, j) => fromFloat64(block, [...y.shape, ...tensors[positions[i]].shape, ...tensors[positions[j]].shape], y)));
      return single ? blocks[0][0] : blocks;
    });
    return artifact.hasAux ? [hess, (outputs as unknown[]).slice(1)] : hess;
  };
});

/**
 * Fills output element o of each Hessian block: per position j and element k of x_j, `tangentsOf`
 * the one-hot tangents gives the tangents of the gradients of every x_i, ∂²y_o/∂x_i∂x_j[k].
 */
function hessianRow(H: Float64Array[][], tensors: Tensor[], positions: readonly number[], o: number, tangentsOf: (tangents: unknown[]) => Tensor[]): void {
  positions.forEach((q, j) => {
    const nq = tensors[q].size;
    for (let k = 0; k < nq; k++) {
      const dgrads = tangentsOf(positions.map((r) => (r === q ? oneHot(tensors[r], k) : zerosOf(tensors[r]))));
      positions.forEach((p, i) => {
        const at = o * tensors[p].size;
        dgrads[i].data.forEach((value, a) => (H[i][j][(at + a) * nq + k] = Number(value)));
      });
    }
  });
}

// ------------------------------------------------------------------ helpers

function isArtifact(x: unknown): x is DerivativeArtifact {
  return typeof x === 'object' && x !== null && (x as { __tsgradArtifact?: unknown }).__tsgradArtifact === true;
}

function need(api: DerivativeApiName, fn: unknown, artifact: DerivativeArtifact | undefined): DerivativeArtifact {
  if (typeof fn !== 'function') throw new TypeError(`${api}: expected a Cell or a function to differentiate, got ${describeValue(fn)}`);
  if (!isArtifact(artifact) || artifact.api !== api) {
    throw new TsgradError(
      `${api}(${fn.name || 'this function'}): no compiled derivative. tsgrad differentiates ahead of time: run this file with \`tsgrad run\`, ` +
        'build it with `tsgrad build`, or compile it with the tsc plugin (tsgrad/plugin) or the Vite plugin (tsgrad/vite).',
    );
  }
  return artifact;
}

/** Checks that the run-time options are the ones compiled; returns whether gradPosition is a single number. */
function checkOptions(api: DerivativeApiName, options: JacobianOptions, artifact: DerivativeArtifact): boolean {
  if (options === null || typeof options !== 'object') throw new TypeError(`${api}: expected an options object { gradPosition, hasAux }, got ${describeValue(options)}`);
  const gp = options.gradPosition === undefined ? 0 : options.gradPosition;
  const same = JSON.stringify(gp) === JSON.stringify(artifact.gradPosition) && (options.hasAux ?? false) === artifact.hasAux;
  if (!same) throw new TsgradError(`${api}: the compiled derivative of ${artifact.entry} was generated for other options; recompile`);
  return typeof gp === 'number';
}

/** What a call of the generated code needs from the function differentiated. */
interface Target {
  /** The Cell, or the network of the gradient function differentiated. */
  readonly self: unknown;
  /** For a gradient function: how it shapes its flat result, applied to outputs and tangents alike. */
  readonly shape?: (flat: unknown[]) => unknown;
  /** For a gradient function: a cotangent in its shape as its flat result (vjp, jacrev). */
  readonly flatten?: (shaped: unknown) => unknown[];
}

/** What `grad()` attaches to the function it returns (runtime/grad.ts). */
interface GradMeta {
  readonly artifact: { readonly entry: string };
  readonly self: unknown;
  readonly allSlots: boolean;
  readonly shape: (flat: unknown[]) => unknown;
  readonly flatten: (shaped: unknown) => unknown[];
}

function targetOf(api: string, compiled: unknown, artifact: DerivativeArtifact): Target {
  // jvp(jit(f), …) differentiates f: the compiler saw through the jit call.
  const fn = jitSource(compiled);
  if (artifact.self === 'cell') return { self: fn };
  if (artifact.self === 'none' && artifact.inner === undefined) return { self: undefined };
  const meta = (fn as Record<symbol, GradMeta | undefined>)[META];
  if (!meta) throw new TsgradError(`${api}: expected the gradient function of ${artifact.inner ?? artifact.entry}, got a plain function`);
  if (artifact.inner !== undefined && meta.artifact.entry !== artifact.inner) {
    throw new TsgradError(`${api}: expected the gradient function of ${artifact.inner}, got the gradient function of ${meta.artifact.entry}`);
  }
  // Reverse mode over the generated code differentiates (or takes cotangents of) every slot it returns.
  if (artifact.inner !== undefined && (api === 'vjp' || api === 'jacrev' || api === 'hessian') && !meta.allSlots) {
    throw new TsgradError(`${api}: cannot differentiate ${meta.artifact.entry}'s gradient taken for a subset of its weights; request all of them (net.trainableParams())`);
  }
  if (artifact.inner === undefined) return { self: meta.self };
  return { self: meta.self, shape: meta.shape, flatten: meta.flatten };
}

function call(artifact: DerivativeArtifact, target: Target, args: unknown[]): any {
  return callFunction(artifact.fn, artifact, target, args);
}

/** Calls one of the artifact's generated functions, with the Cell or network first when it takes one. */
function callFunction(fn: (...args: any[]) => any, artifact: DerivativeArtifact, target: Target, args: unknown[]): any {
  return artifact.self === 'none' ? fn(...args) : fn(target.self, ...args);
}

/**
 * A forward-mode call: `[output, outputTangent]`. Over a gradient function both are put in
 * its shape (one Tensor, `[inputGrads, weightGrads]`, `[value, gradients]`, `[gradients, aux]`),
 * with the weights it was asked for, in their order.
 */
function forwardCall(artifact: DerivativeArtifact, target: Target, args: unknown[]): [any, any] {
  const [out, dout] = call(artifact, target, args);
  return target.shape ? [target.shape(out), target.shape(dout)] : [out, dout];
}

/** The function's own outputs (for vjp's first result and for Jacobian shapes). */
function primal(fn: unknown, xs: unknown[]): unknown {
  return (fn as (...a: unknown[]) => unknown)(...xs);
}

function asList(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [x];
}

function checkInputs(artifact: DerivativeArtifact, args: unknown[]): void {
  if (args.length !== artifact.inputs.length) {
    throw new TypeError(`${artifact.entry}: expected ${artifact.inputs.length} input(s) (${artifact.inputs.join(', ')}), got ${args.length}`);
  }
  artifact.inputKinds.forEach((kind, i) => {
    const arg = args[i];
    const ok = kind === 'tensor' ? arg instanceof Tensor : kind === 'number' ? typeof arg === 'number' : true;
    if (!ok) throw new TypeError(`${artifact.entry}: input ${i} (${artifact.inputs[i]}) must be a ${kind === 'tensor' ? 'Tensor' : 'number'}, got ${describeValue(arg)}`);
  });
}

function checkTangent(api: string, x: unknown, t: unknown, i: number): void {
  if (x instanceof Tensor) {
    if (!(t instanceof Tensor) || t.shape.join() !== x.shape.join()) {
      throw new TypeError(`${api}: tangent ${i} must be a Tensor of shape [${x.shape.join(', ')}] like its input, got ${describeValue(t)}`);
    }
  } else if (typeof x === 'number' && typeof t !== 'number') {
    throw new TypeError(`${api}: tangent ${i} must be a number like its input, got ${describeValue(t)}`);
  }
}

function checkSens(outputs: unknown, sens: unknown): void {
  const os = Array.isArray(outputs) ? outputs : [outputs];
  const ss = Array.isArray(outputs) ? sens : [sens];
  if (!Array.isArray(ss) || ss.length !== os.length) throw new TypeError(`vjp: the cotangent must have the structure of the outputs (${os.length} output(s))`);
  os.forEach((o, i) => checkTangent('vjp', o, ss[i], i));
}

function tensorInputs(api: string, artifact: DerivativeArtifact, xs: unknown[]): Tensor[] {
  for (const p of artifact.positions) {
    if (!(xs[p] instanceof Tensor)) throw new TypeError(`${api}: input ${p} (${artifact.inputs[p]}) must be a Tensor, got ${describeValue(xs[p])}`);
  }
  return xs as Tensor[];
}

/** The output that is differentiated: the first one with hasAux, the only one otherwise. */
function differentiated(artifact: DerivativeArtifact, out: unknown): unknown {
  return artifact.hasAux ? (out as unknown[])[0] : out;
}

/** `tree` (a Tensor or nested arrays of Tensors) with each Tensor replaced by `f(tensor)`, in order. */
function mapTensors(api: string, artifact: DerivativeArtifact, tree: unknown, f: (t: Tensor) => unknown): unknown {
  if (tree instanceof Tensor) return f(tree);
  if (Array.isArray(tree)) return tree.map((item) => mapTensors(api, artifact, item, f));
  throw new TsgradError(`${api}(${artifact.entry}): expected Tensor outputs${artifact.hasAux ? ' first' : ''}, got ${describeValue(tree)}; ${api} works on tensor functions`);
}

/** The Tensors of `tree`, in the order mapTensors visits them. */
function tensorLeaves(api: string, artifact: DerivativeArtifact, tree: unknown): Tensor[] {
  const out: Tensor[] = [];
  mapTensors(api, artifact, tree, (t) => out.push(t));
  return out;
}

function oneHot(like: Tensor, k: number): Tensor {
  const data = like.dtype.alloc(like.size);
  data[k] = 1;
  return Tensor.fromData(data, [...like.shape], like.dtype);
}

function zerosOf(x: unknown): unknown {
  if (typeof x === 'number') return 0;
  if (Array.isArray(x)) return x.map(zerosOf);
  const t = x as Tensor;
  return Tensor.fromData(t.dtype.alloc(t.size), [...t.shape], t.dtype);
}

function fromFloat64(values: Float64Array, shape: number[], like: Tensor): Tensor {
  const data = like.dtype.alloc(values.length);
  values.forEach((x, i) => (data[i] = x));
  return Tensor.fromData(data, shape, like.dtype);
}
