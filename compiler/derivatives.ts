// Compiles the derivative family's call sites (`jvp`, `vjp`, `jacfwd`, `jacrev`,
// `hessian`) with the same phases as `grad`: lower → differentiate → simplify → emit.
//   jvp, jacfwd   forward mode over the target (a Cell, a function, or a `grad` result:
//                 forward over the generated reverse code)
//   vjp, jacrev   reverse mode with the output cotangent as an extra parameter `sens`
//                 (over a `grad` result: reverse over the generated code read back)
//   hessian       forward mode over the generated reverse-mode gradient (the compiler
//                 reads its own output): forward-over-reverse, not reverse-over-reverse;
//                 of a `grad` result, that gradient function's Hessian (third derivatives).
//                 Beside it, for an output of several elements, forward mode over the
//                 generated reverse mode with an explicit cotangent (vjp's, read back),
//                 called with one one-hot cotangent per output element (jacfwd over
//                 jacrev, as JAX's hessian)
// Over a gradient function requested with hasAux, its aux outputs are stopped
// (3-differentiate/stop-aux.ts).
// Jacobians are then assembled at run time by runtime/derivatives.ts from one call of
// the generated function per basis vector.

import path from 'node:path';
import { ts } from 'ts-morph';
import { fail } from './diagnostics.js';
import { Atom, Func, Loc, Param, Root, Stmt, Ty, v } from './ir/nodes.js';
import { Entry, Lowerer } from './1-parse/lower.js';
import { CallSite, DerivativeApi, positionList } from './1-parse/locate.js';
import { differentiate } from './3-differentiate/reverse.js';
import { ForwardModeError, differentiateForward } from './3-differentiate/forward.js';
import { reverseOutput, stopAux, stopAuxForReverse } from './3-differentiate/stop-aux.js';
import { zeroDimensionalOutput } from './2-analyze/zero-dimensional.js';
import { simplify } from './4-simplify/simplify.js';
import { emitFunctionLines, envTypeOf, withEnv } from './5-emit/typescript.js';
import { classImport, helperImports } from './5-emit/module.js';
import type { CompiledGradient, Compiler } from './pipeline.js';
import { capturesOf, envMembers, gradModulePath } from './pipeline.js';

export type DerivativeSite = CallSite & { readonly api: DerivativeApi };

type Self = CompiledGradient['self'];

interface Generated {
  readonly primal: Func;
  readonly func: Func;
  readonly self: Self;
  readonly label: string;
  /** The inputs the generated code differentiates. */
  readonly positions: readonly number[];
  readonly inner?: string;
  /** hessian: the function for an output of several elements (forward over the vjp). */
  readonly sens?: Callee;
}

/**
 * A generated function an artifact calls: whether it takes the Cell or network first, and
 * the type of the enclosing function's locals it reads through `env` (a closure's
 * captured values), which the artifact gets from the call site.
 */
interface Callee {
  readonly name: string;
  readonly hasSelf: boolean;
  readonly envType?: string;
}

/** hessian's function for an output of several elements, and its code when this call site emits it. */
interface SensFunction extends Callee {
  /** '' when another call site's part emits it. */
  readonly code: string;
  readonly origins: readonly (Loc | undefined)[];
  readonly roots: readonly Root[];
}

/** A target lowered once for forward mode, however many call sites differentiate it. */
interface ForwardTarget {
  readonly key: string;
  readonly primal: Func;
  readonly self: Self;
  readonly label: string;
  readonly inner?: string;
}

export class DerivativeCompiler {
  private readonly cache = new Map<ts.CallExpression, CompiledGradient>();
  /** Targets lowered for forward mode, by target key (reading generated code back makes a new program: once is enough). */
  private readonly forwardTargets = new Map<string, ForwardTarget>();
  /**
   * Forward functions by module, target and positions: `jvp(g, …)`, `jacfwd(g)` and
   * `hessian(f)` (g = grad(f)) asking for the same tangents of the same function share one.
   */
  private readonly forwards = new Map<string, CompiledGradient>();
  /** vjp and jacrev functions by module, target, positions and output: `vjp(f, x)` and `jacrev(f)` of one input share one. */
  private readonly reverses = new Map<string, CompiledGradient>();
  /** hessian's functions for an output of several elements, by module, target, positions and hasAux. */
  private readonly sensFunctions = new Map<string, SensFunction | undefined>();

  constructor(private readonly compiler: Compiler) {}

  compile(site: DerivativeSite): CompiledGradient {
    const cached = this.cache.get(site.call);
    if (cached) return cached;
    const modulePath = gradModulePath(site.call.getSourceFile().fileName);
    const nameFor = (label: string) => this.compiler.uniqueName(modulePath, functionName(site, label));
    let compiled: CompiledGradient;
    switch (site.api) {
      case 'jvp':
      case 'jacfwd':
        compiled = this.compileForward(site, modulePath, nameFor);
        break;
      case 'hessian':
        compiled = this.compileHessian(site, modulePath, nameFor);
        break;
      case 'vjp':
      case 'jacrev':
        compiled = this.compileReverse(site, modulePath, nameFor);
        break;
    }
    this.cache.set(site.call, compiled);
    return compiled;
  }

  /** jvp and jacfwd: the first call site for a target and positions generates the function, later ones reuse it. */
  private compileForward(site: DerivativeSite, modulePath: string, nameFor: (label: string) => string): CompiledGradient {
    const target = this.forwardTarget(site);
    const { primal } = target;
    const inner = site.target.kind === 'grad' ? site.target.inner : undefined;
    const positions = site.api === 'jvp' ? differentiableParams(primal) : this.positions(site, primal);
    if (site.request.hasAux && (inner ? returnsOneTensor(inner) : primal.resultTy.kind !== 'tuple')) fail('TSG3007', site.call);
    return this.sharedForward(site, modulePath, target, { ...target, positions }, nameFor);
  }

  /**
   * hessian: forward mode over the generated gradient (the compiler reads its own output),
   * the function jvp and jacfwd of that gradient make too, so they share it.
   */
  private compileHessian(site: DerivativeSite, modulePath: string, nameFor: (label: string) => string): CompiledGradient {
    // Of a gradient function: the Hessian of that function (grad of it read back, then forward over that).
    const gradSite: CallSite = {
      call: site.call,
      api: 'grad',
      target: site.target,
      request: { gradPosition: site.request.gradPosition, weights: false, hasAux: site.request.hasAux },
    };
    const gradient = this.compiler.compileSite(gradSite);
    // Its aux outputs are not stopped (the tangents of the gradients are what hessian returns).
    const target = this.gradientTarget(gradient, false);
    const inner = site.target.kind === 'grad' ? this.compiler.compileSite(site.target.inner).entry : undefined;
    const positions = positionList(site.request);
    const sens = this.hessianSens(site, modulePath, gradient.entry, positions);
    const own = { primal: target.primal, self: gradient.self, label: gradient.entry, positions, inner, sens };
    const compiled = this.sharedForward(site, modulePath, target, own, nameFor);
    if (!sens) return compiled;
    // The module gets the function for several output elements after the hessian's own, in this call site's part.
    const part = compiled.part;
    const roots = [...part.roots, ...sens.roots.filter((r) => !part.roots.some((q) => q.name === r.name))];
    const code = [part.code, sens.code].filter((c) => c !== '').join('\n\n');
    const before = part.code === '' ? [] : [...part.code.split('\n').map((_, i) => part.origins?.[i]), undefined];
    const origins = [...before, ...sens.origins];
    const runtimeImports = helperImports(code);
    return { ...compiled, part: { ...part, code, origins, roots, runtimeImports, summary: `${part.summary}; outputs of several elements: ${sens.name}` } };
  }

  /**
   * hessian of an output of several elements: forward mode over the generated reverse mode
   * with an explicit cotangent (vjp's, read back: the compiler reads its own output), for
   * the positions. The run time calls it with a one-hot cotangent per output element and a
   * one-hot tangent per input element: each call gives ∂²y_o/∂x_i∂x_j[k] for every i.
   * One per module, target, positions and hasAux, emitted by the first call site; none
   * when the output is 0-d by construction (`ops.sum(…)`: a scalar loss).
   */
  private hessianSens(site: DerivativeSite, modulePath: string, label: string, positions: readonly number[]): SensFunction | undefined {
    const key = `${modulePath} ${this.compiler.targetKey(site.target)} positions ${positions.join(',')}${site.request.hasAux ? ' aux' : ''}`;
    if (this.sensFunctions.has(key)) {
      const known = this.sensFunctions.get(key);
      return known && { ...known, code: '', origins: [] };
    }
    const { entry, self } = this.compiler.entryFor(site.target);
    const primal = stopAuxForReverse(this.lower(entry), site.target);
    if (zeroDimensionalOutput(primal, site.request.hasAux)) {
      this.sensFunctions.set(key, undefined);
      return undefined;
    }
    const name = this.compiler.uniqueName(modulePath, `${functionName(site, label)}_sens`);
    // Reverse mode with the cotangent a parameter, as vjp's (aux outputs and grad's output stopped),
    // in the form a higher order reads back (recursion without tapes).
    const { func: withSens, sensitivity } = withSensitivity(primal);
    // Named as vjp's function; it is only read back (the module gets the forward mode over it, whose name prefixes its helpers').
    const vjpName = functionName({ ...site, api: 'vjp' }, label);
    const request = { positions, weights: false, output: reverseOutput(site), withOutputs: true, sensitivity, rereadable: true };
    const reverse = this.emit(site, { primal, func: differentiate(withSens, request, vjpName).func, self, label, positions }, modulePath);
    const decl = this.compiler.readGenerated(reverse);
    const readBack = this.lower({ kind: 'generated', decl, name: vjpName, selfParam: self !== 'none', captures: capturesOf(reverse.adjoint) });
    const func = simplify(this.forward(site, withSensType(readBack, withSens), positions, name));
    const { code, origins } = this.emitCode(func, modulePath, [
      `${describe(site)} of ${label}, for an output of several elements.`,
      `Source: ${path.basename(primal.origin.file)}:${primal.origin.line}.`,
      'Forward mode over the generated reverse mode with an explicit cotangent:',
      '(inputs…, sens, tangents…) => [[output, …gradients], [output tangent, …their tangents]].',
    ]);
    const made = { ...callee(func, name), code, origins, roots: func.roots };
    this.sensFunctions.set(key, made);
    return made;
  }

  /**
   * Forward mode over `target` for `own.positions`: made by the first call site that needs
   * it, its artifact (with this call site's own self, entry and options) by every one.
   */
  private sharedForward(site: DerivativeSite, modulePath: string, target: ForwardTarget, own: Omit<Generated, 'func'>, nameFor: (label: string) => string): CompiledGradient {
    const key = `${modulePath} ${target.key} positions ${own.positions.join(',')}`;
    const first = this.forwards.get(key);
    if (first) return this.share(site, first, { ...own, func: first.adjoint }, nameFor(own.label));
    const compiled = this.emit(site, { ...own, func: this.forward(site, target.primal, own.positions, nameFor(own.label)) }, modulePath);
    this.forwards.set(key, compiled);
    return compiled;
  }

  /** vjp and jacrev: one function per target, positions and output summed, shared by the call sites that need it. */
  private compileReverse(site: DerivativeSite, modulePath: string, nameFor: (label: string) => string): CompiledGradient {
    // Of a gradient function: reverse mode over its generated code read back, aux outputs (and grad's output) stopped.
    const { entry, self, label, innerEntry } = this.compiler.entryFor(site.target);
    const primal = stopAuxForReverse(this.lower(entry), site.target);
    const positions = site.api === 'vjp' ? differentiableParams(primal) : this.positions(site, primal);
    const inner = site.target.kind === 'grad' ? site.target.inner : undefined;
    if (site.request.hasAux && (inner ? returnsOneTensor(inner) : primal.resultTy.kind !== 'tuple')) fail('TSG3007', site.call);
    const output = reverseOutput(site);
    const own = { primal, self, label, positions, inner: innerEntry };
    const key = `${modulePath} ${this.compiler.targetKey(site.target)} positions ${positions.join(',')} output ${output}`;
    const first = this.reverses.get(key);
    if (first) return this.share(site, first, { ...own, func: first.adjoint }, nameFor(label));
    const { func: withSens, sensitivity } = withSensitivity(primal);
    const result = differentiate(withSens, { positions, weights: false, output, withOutputs: true, sensitivity }, nameFor(label));
    const compiled = this.emit(site, { ...own, func: result.func }, modulePath);
    this.reverses.set(key, compiled);
    return compiled;
  }

  /** The target of a jvp or jacfwd lowered (over a gradient function: its generated code read back, aux outputs stopped). */
  private forwardTarget(site: DerivativeSite): ForwardTarget {
    if (site.target.kind === 'grad') {
      const gradient = this.compiler.compileSite(site.target.inner);
      const target = this.gradientTarget(gradient, site.target.inner.request.hasAux);
      return { ...target, self: gradient.self === 'none' ? 'none' : 'inner', label: gradient.name, inner: gradient.entry };
    }
    const key = this.compiler.targetKey(site.target);
    const known = this.forwardTargets.get(key);
    if (known) return known;
    const { entry, self, label } = this.compiler.entryFor(site.target);
    const target: ForwardTarget = { key, primal: this.lower(entry), self, label };
    this.forwardTargets.set(key, target);
    return target;
  }

  /**
   * A generated gradient read back for forward mode, once (its aux outputs stopped when
   * `stopped`): its key is the one Compiler.targetKey gives a gradient function, so that
   * jvp of grad(f) and hessian(f) meet.
   */
  private gradientTarget(gradient: CompiledGradient, stopped: boolean): ForwardTarget {
    const key = `grad ${gradient.modulePath}#${gradient.name}${stopped ? ' aux stopped' : ''}`;
    const known = this.forwardTargets.get(key);
    if (known) return known;
    // Tapes in tuples are not differentiated again: recursion is read back in its rereadable form.
    const readable = gradient.adjoint.functions?.length ? this.compiler.compileSite(gradient.site, true) : gradient;
    const decl = this.compiler.readGenerated(readable);
    const lowered = this.lower({ kind: 'generated', decl, name: readable.name, selfParam: readable.self !== 'none', captures: capturesOf(readable.adjoint) });
    const target: ForwardTarget = { key, primal: stopped ? stopAux(lowered) : lowered, self: gradient.self, label: gradient.name };
    this.forwardTargets.set(key, target);
    return target;
  }

  /** A call site served by the function `first` generated: only its artifact is new (its api and options). */
  private share(site: DerivativeSite, first: CompiledGradient, g: Generated, name: string): CompiledGradient {
    const { artifact, captures } = artifactCode(name, site, g, callee(first.adjoint, first.name));
    const summary = `${name}: ${describe(site)} of ${g.label}, by ${first.name}`;
    return { ...first, name, entry: g.label, site, self: g.self, captures, part: { code: '', artifact, roots: first.adjoint.roots, summary, typeImports: ['DerivativeArtifact'] } };
  }

  /** Simplifies and emits a generated function with its artifact. */
  private emit(site: DerivativeSite, g: Generated, modulePath: string): CompiledGradient {
    const name = g.func.name;
    const adjoint = simplify(g.func);
    const what = `${describe(site)} of ${g.label}`;
    const { code, origins } = this.emitCode(adjoint, modulePath, [`${what}.`, `Source: ${path.basename(g.primal.origin.file)}:${g.primal.origin.line}.`, ...docFor(site.api)]);
    const { artifact, captures } = artifactCode(name, site, g, callee(adjoint, name));
    return {
      name,
      entry: g.label,
      site,
      primal: g.primal,
      adjoint,
      code,
      // The origins map generated code read back (hessian's vjp) to the user's lines.
      part: { code, origins, artifact, roots: adjoint.roots, summary: `${name}: ${what}`, typeImports: ['DerivativeArtifact'], runtimeImports: helperImports(code) },
      self: g.self,
      slots: [],
      modulePath,
      captures,
    };
  }

  /** A simplified generated function's code, with its doc comment, and per line the user's source location it came from. */
  private emitCode(func: Func, modulePath: string, doc: string[]): { code: string; origins: (Loc | undefined)[] } {
    const selfRoot = func.roots.find((r) => r.kind === 'self');
    const selfType = selfRoot?.classRef ? classImport(selfRoot.classRef, path.dirname(modulePath)).text : undefined;
    const emitted = emitFunctionLines(func, { name: func.name, selfType: selfRoot ? selfType ?? 'any' : undefined, doc });
    return { code: emitted.text.join('\n'), origins: emitted.origins };
  }

  private lower(entry: Entry): Func {
    return new Lowerer(this.compiler.checker, this.compiler.originOf).lower(entry);
  }

  private forward(site: DerivativeSite, primal: Func, positions: readonly number[], name: string): Func {
    try {
      // Recursive functions it calls get the derivative's name first (differentiateForward does it).
      return differentiateForward(primal, { positions }, name).func;
    } catch (e) {
      if (e instanceof ForwardModeError) fail('TSG3010', site.call, e.message);
      throw e;
    }
  }

  /** The requested positions, checked against the function's inputs. */
  private positions(site: DerivativeSite, primal: Func): readonly number[] {
    const positions = positionList(site.request);
    const at = site.call.arguments[1] ?? site.call;
    if (positions.length === 0) fail('TSG3003', at);
    for (const p of positions) {
      if (p >= primal.params.length) {
        fail('TSG3001', at, `position ${p}, but ${primal.name} takes ${primal.params.length} input(s) (${primal.params.map((q) => q.name).join(', ')})`);
      }
      if (primal.params[p].ty.kind !== 'tensor') fail('TSG3001', at, `input ${p} (${primal.params[p].name}) is not a Tensor (${site.api} works on tensor functions)`);
    }
    return positions;
  }
}

/** True when the gradient function `site` makes returns one Tensor (grad of one input, no weights, no aux). */
function returnsOneTensor(site: CallSite): boolean {
  return site.api === 'grad' && !site.request.weights && !site.request.hasAux && typeof site.request.gradPosition === 'number';
}

/** Every input that is a Tensor or a number: jvp and vjp differentiate all of them. */
function differentiableParams(func: Func): number[] {
  return func.params.flatMap((p, i) => (p.ty.kind === 'tensor' || p.ty.kind === 'number' ? [i] : []));
}

/** Adds the output cotangent parameter `sens` (a tuple for a tuple output, read item by item). */
function withSensitivity(func: Func): { func: Func; sensitivity: Atom[] } {
  const taken = new Set([...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)]);
  const fresh = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const walk = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'let' || s.kind === 'declare') taken.add(s.name);
      if (s.kind === 'if') [s.then, s.else].forEach(walk);
      if (s.kind === 'loop') [s.head, s.body].forEach(walk);
    }
  };
  walk(func.body);
  const ty = func.resultTy;
  const param: Param = { name: fresh('sens'), ty, tsType: tsTypeText(ty) };
  if (ty.kind !== 'tuple') return { func: { ...func, params: [...func.params, param] }, sensitivity: [v(param.name)] };
  const reads: Stmt[] = ty.items.map((item, k) => ({ kind: 'let', name: fresh(`sens_${k}`), ty: item, expr: { kind: 'index', value: v(param.name), index: k } }));
  const sensitivity = reads.map((s) => v((s as { name: string }).name));
  return { func: { ...func, params: [...func.params, param], body: [...reads, ...func.body] }, sensitivity };
}

/**
 * The vjp read back, its cotangent typed as the vjp declared it: the lowerer reads a tuple
 * parameter (`sens: [Tensor, Tensor]`, for several outputs) as an opaque value, which the
 * function made over it would take as `any`. The cotangent is the last parameter of both.
 */
function withSensType(readBack: Func, declared: Func): Func {
  const sens = declared.params[declared.params.length - 1];
  const last = readBack.params.length - 1;
  if (sens.ty.kind !== 'tuple' || readBack.params[last]?.ty.kind !== 'other') return readBack;
  return { ...readBack, params: readBack.params.map((p, i) => (i === last ? { ...p, ty: sens.ty } : p)) };
}

function tsTypeText(ty: Ty): string {
  switch (ty.kind) {
    case 'tensor':
      return 'Tensor';
    case 'number':
      return 'number';
    case 'numbers':
      return 'number[]';
    case 'tensors':
      return 'Tensor[]';
    case 'other':
      return ty.ts ?? 'any';
    case 'tuple':
      return `[${ty.items.map(tsTypeText).join(', ')}]`;
  }
}

function functionName(site: DerivativeSite, label: string): string {
  const parts = [label.replace(/\./g, '_'), site.api];
  if (site.api !== 'jvp' && site.api !== 'vjp') parts.push(...positionList(site.request).map(String));
  if (site.request.hasAux) parts.push('aux');
  return parts.join('_');
}

function describe(site: DerivativeSite): string {
  if (site.api === 'jvp' || site.api === 'vjp') return site.api;
  return `${site.api} (gradPosition ${JSON.stringify(site.request.gradPosition)}${site.request.hasAux ? ', hasAux' : ''})`;
}

function docFor(api: DerivativeApi): string[] {
  switch (api) {
    case 'jvp':
    case 'jacfwd':
      return ['Forward mode: (inputs…, tangents…) => [output, output tangent].'];
    case 'hessian':
      return ['Forward mode over the generated gradient: (inputs…, tangents…) => [gradients, their tangents].'];
    case 'vjp':
    case 'jacrev':
      return ['Reverse mode with an explicit cotangent: (inputs…, sens) => [output, …input gradients].'];
  }
}

/** A generated function as an artifact calls it. */
function callee(func: Func, name: string): Callee {
  return { name, hasSelf: func.roots.some((r) => r.kind === 'self'), envType: envTypeOf(func) };
}

/**
 * The artifact `name` of a call site, calling the generated function `fn` (and hessian's
 * `g.sens`), and the locals the call site captures for them. Generated functions that read
 * captured values take `env` after the Cell (5-emit withEnv); the artifact gets a thunk
 * of them from the call site, as a gradient's does (Compiler.wire).
 */
function artifactCode(name: string, site: DerivativeSite, g: Generated, fn: Callee): { artifact: string; captures: string[] } {
  const callees = [fn, ...(g.sens ? [g.sens] : [])];
  const envTypes = [...new Set(callees.flatMap((c) => (c.envType === undefined ? [] : [c.envType])))];
  const captures = [...new Set(envTypes.flatMap(envMembers))];
  const envParam = envTypes.length > 0 ? `env: () => ${envTypes.join(' & ')}` : '';
  const call = (c: Callee) => withEnv(c.name, c.envType, c.hasSelf);
  const lines = [
    `export function ${name}_artifact(${envParam}): DerivativeArtifact {`,
    '  return {',
    '    __tsgradArtifact: true,',
    `    api: ${JSON.stringify(site.api)},`,
    `    entry: ${JSON.stringify(g.label)},`,
    `    inputs: ${JSON.stringify(g.primal.params.map((p) => p.name))},`,
    `    inputKinds: ${JSON.stringify(g.primal.params.map((p) => p.ty.kind))},`,
    `    positions: ${JSON.stringify(g.positions)},`,
    `    gradPosition: ${JSON.stringify(site.request.gradPosition)},`,
    `    hasAux: ${site.request.hasAux},`,
    `    self: ${JSON.stringify(g.self)},`,
    `    fn: ${call(fn)},`,
  ];
  if (g.sens !== undefined) lines.push(`    sens: ${call(g.sens)},`);
  if (g.inner !== undefined) lines.push(`    inner: ${JSON.stringify(g.inner)},`);
  lines.push('  };', '}');
  return { artifact: lines.join('\n'), captures };
}
