// Reverse mode where it stands: `grad(g)(x)` or `valueAndGrad(g)(x)` inside a function
// that is itself differentiated (grad of grad-inside, as JAX and MindSpore allow). The
// lowerer inlines `g` as usual; its statements are differentiated in reverse mode in
// place, with the same rules as a gradient function, and the forward and backward code
// joins the enclosing function, which the outer pass (reverse or forward mode) then
// differentiates like any other code: every VJP rule is written in runtime ops, each
// with its own VJP and JVP rule.
//
// A loop's reverse tapes its values in run-time arrays: here they become the IR's tapes
// (`tensors`/`numbers` variables that `store`s write and `elem`s read), the form generated
// code read back for a higher order has, which the outer pass differentiates element by
// element. The tapes and loop counters go to the top of the function being lowered, as a
// gradient function's prologue does, so grad may stand in a loop or a branch (the counters
// never reset: each run of a loop indexes its tapes from where the last one stopped); not
// inside jvp, another inlined grad or a recursive function, whose code is transformed on
// its own (a loop there is refused). A recursive
// call's reverse is a forward/backward pair, a `bprop` a call, and a number input that
// enters tensor code gets its gradient back through `numberGradient`: none of these is
// differentiated again where it stands, so each is refused (ReverseInlineError, reported
// as a coded diagnostic at the call) rather than read as a constant.

import { Atom, Loc, Stmt, Ty, isDifferentiableTy } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { differentiate, scan } from './reverse.js';

/** Something inside the differentiated function that grad cannot differentiate in place. */
export class ReverseInlineError extends Error {
  override name = 'ReverseInlineError';
}

export interface InlinedGrad {
  /** Loop counters and tapes, made once at the top of the function being lowered (its own loops index them globally). */
  readonly prologue: Stmt[];
  /** `g`'s statements, then its adjoint statements, to splice where the call was. */
  readonly stmts: Stmt[];
  /** One gradient per requested position, in order. */
  readonly grads: readonly Atom[];
}

export interface GradInputs {
  /** The variables the call's arguments are bound to, in order (`body` reads them). */
  readonly params: readonly { readonly name: string; readonly ty: Ty }[];
  /** Indices into `params`: what grad differentiates. */
  readonly positions: readonly number[];
  /** Values `body` reads from the enclosing function (closures), with their types: constants here. */
  readonly captured: ReadonlyMap<string, Ty>;
}

/**
 * `body` computes `result` from `inputs.params`; the result is the sum of every output,
 * or with `firstOnly` (hasAux) item 0 of a tuple result. New names come from `namer`,
 * the enclosing function's.
 */
export function inlineGrad(
  body: Stmt[],
  result: Atom,
  resultTy: Ty,
  inputs: GradInputs,
  firstOnly: boolean,
  namer: Namer,
  origin: { readonly file: string; readonly name: string; readonly line: number },
  /** Whether loops in `body` can be taken: the prologue can go to the top of the function being lowered. */
  loops: boolean,
): InlinedGrad {
  refuseForms(body, loops);
  const own = new Set(inputs.params.map((p) => p.name));
  const free = freeVariables(body, own);
  const captured = [...free].sort().map((name) => {
    const ty = inputs.captured.get(name);
    if (!ty) throw new Error(`tsgrad: internal: grad inside differentiated code reads ${name}, whose type the lowerer did not give`);
    return { name, ty, tsType: '' };
  });
  // Captured values are parameters that are not differentiated: their types reach the rules.
  const params = [...inputs.params.map((p) => ({ name: p.name, ty: p.ty, tsType: '' })), ...captured];
  const func = { name: 'grad', roots: [], params, body, result, resultTy, origin };
  const request = { positions: inputs.positions, weights: false, output: firstOnly ? 'first' : 'sum', withOutputs: false, namer } as const;
  const differentiated = differentiate(func, request, 'grad');
  const gradient = differentiated.func;
  const last = gradient.body[gradient.body.length - 1];
  if (last?.kind !== 'let' || last.expr.kind !== 'tuple' || gradient.result.kind !== 'var' || last.name !== gradient.result.name) {
    throw new Error('tsgrad: internal: reverse mode did not end with its tuple of gradients');
  }
  const types = new Map<string, Ty>(params.map((p) => [p.name, p.ty]));
  const all = tapesAsArrays(gradient.body.slice(0, -1));
  const prologue = all.slice(0, differentiated.prologue ?? 0);
  for (const s of prologue) if (s.kind === 'let' || s.kind === 'declare') types.set(s.name, s.ty);
  const stmts = snapshotMutableReads(all.slice(prologue.length), types, namer);
  refuseAdjoints([...prologue, ...stmts], body);
  return { prologue, stmts, grads: last.expr.items };
}

/** Forms whose reverse is not code the next pass can differentiate where it stands. */
function refuseForms(body: readonly Stmt[], loops: boolean): void {
  scan(body, (s) => {
    if (s.kind === 'loop' && !loops) throw new ReverseInlineError(`a loop${at(s.loc)} (not taken where grad is called inside jvp, inside a function grad differentiates in place, or inside a recursive function)`);
    if (s.kind === 'store') throw new ReverseInlineError(`a write to a run-time array${at(s.loc)}`);
    if (s.kind !== 'let') return;
    if (s.expr.kind === 'call') throw new ReverseInlineError(`a recursive call${at(s.loc)}`);
    if (s.expr.kind === 'custom') throw new ReverseInlineError(`a call with a hand-written bprop${at(s.loc)}`);
  });
}

/**
 * Every statement reverse mode added must be one the next pass differentiates: a value
 * computed by a JavaScript template of a differentiable type (numberGradient, zerosArray)
 * or an effect (an array updated in place) would be a constant to it, a wrong gradient.
 */
function refuseAdjoints(stmts: readonly Stmt[], body: readonly Stmt[]): void {
  const original = new Set<Stmt>();
  scan(body, (s) => original.add(s));
  scan(stmts, (s) => {
    if (original.has(s)) return;
    switch (s.kind) {
      case 'let':
        if (s.expr.kind === 'js' && carriesAdjoint(s.expr.template, s.ty)) {
          const what = s.expr.template.startsWith('numberGradient') ? 'a number input that enters tensor code (make it a 0-d Tensor)' : `an adjoint computed as ${s.expr.template}`;
          throw new ReverseInlineError(`${what}${at(s.loc)}`);
        }
        return;
      case 'effect':
        // A tape sized to its loop's run (tapesAsArrays) is no value; anything else is an array updated in place.
        if (s.expr.kind === 'js' && s.expr.template === '$0.length = $1') return;
        throw new ReverseInlineError(`an adjoint updated in place (a number[] input)${at(s.loc)}`);
      default:
        return;
    }
  });
}

/**
 * Reverse mode's tapes (run-time arrays written by effects and read by JavaScript) as
 * the IR's tapes: `tensors`/`numbers` variables written by `store` and read by `elem`,
 * which the outer pass differentiates. Number tapes are arrays of their own, not the
 * pool's (they must outlive this code: the outer backward sweep reads them).
 */
function tapesAsArrays(stmts: readonly Stmt[]): Stmt[] {
  const tapes = new Map<string, Ty>();
  scan(stmts, (s) => {
    if (s.kind !== 'let' || s.expr.kind !== 'js') return;
    if (s.expr.template === '([] as Tensor[])') tapes.set(s.name, { kind: 'tensors' });
    else if (s.expr.template === 'takeTape()' || s.expr.template === '([] as number[])') tapes.set(s.name, { kind: 'numbers' });
  });
  const isTape = (a: Atom | undefined) => a?.kind === 'var' && tapes.has(a.name);
  const rewrite = (list: readonly Stmt[]): Stmt[] =>
    list.flatMap((s): Stmt[] => {
      if (s.kind === 'if') return [{ ...s, then: rewrite(s.then), else: rewrite(s.else) }];
      if (s.kind === 'loop') return [{ ...s, head: rewrite(s.head), body: rewrite(s.body) }];
      if (s.kind === 'let' && tapes.has(s.name)) {
        const ty = tapes.get(s.name)!;
        return [{ ...s, ty, expr: { kind: 'js', template: freshTapes[ty.kind === 'tensors' ? 0 : 1], args: [] } }];
      }
      if (s.kind === 'let' && s.expr.kind === 'js' && s.expr.template === '$0[$1]' && isTape(s.expr.args[0])) {
        return [{ ...s, expr: { kind: 'elem', array: s.expr.args[0], index: s.expr.args[1] } }];
      }
      if (s.kind === 'effect' && s.expr.kind === 'js' && isTape(s.expr.args[0])) {
        const [array, index, value] = s.expr.args;
        if (s.expr.template === 'giveTape($0)') return [];
        if (s.expr.template === '$0[$1] = $2' && array.kind === 'var') return [{ kind: 'store', array: array.name, index, value, loc: s.loc }];
      }
      return [s];
    });
  return rewrite(stmts);
}

/**
 * Whether a value reverse mode computes in JavaScript carries an adjoint (which the outer
 * pass would read as a constant). The numbers it computes so are loop counters and trip
 * counts, but for `numberGradient`; the arrays, fresh tapes but for adjoint arrays.
 */
function carriesAdjoint(template: string, ty: Ty): boolean {
  if (freshTapes.includes(template)) return false;
  if (ty.kind === 'number') return template.startsWith('numberGradient');
  return isDifferentiableTy(ty);
}

/**
 * Inside loops, reads of a variable that `assign` changes (a carried adjoint, a value
 * restored from a tape, a counter) go through a copy made where they are read, as the
 * lowerer reads a mutable variable: the outer pass tapes what a loop body defines, so it
 * sees each iteration's value, not the last one. Such a variable defined by a `let` is
 * declared at the top and assigned where the `let` was.
 */
function snapshotMutableReads(stmts: readonly Stmt[], types: Map<string, Ty>, namer: Namer): Stmt[] {
  const mutable = new Set<string>();
  scan(stmts, (s) => {
    if (s.kind === 'let' || s.kind === 'declare') types.set(s.name, s.ty);
    if (s.kind === 'assign') mutable.add(s.name);
  });
  const snapshots = (atoms: readonly Atom[], out: Stmt[]): Map<string, string> => {
    const renamed = new Map<string, string>();
    for (const a of atoms) {
      if (a.kind !== 'var' || !mutable.has(a.name) || renamed.has(a.name)) continue;
      const ty = types.get(a.name);
      if (ty?.kind !== 'tensor' && ty?.kind !== 'number') continue;
      const name = namer.fresh(`${a.name}_now`);
      out.push({ kind: 'let', name, ty, expr: { kind: 'copy', value: a } });
      renamed.set(a.name, name);
    }
    return renamed;
  };
  const swap = (a: Atom, renamed: Map<string, string>): Atom => (a.kind === 'var' && renamed.has(a.name) ? { kind: 'var', name: renamed.get(a.name)! } : a);
  const rewrite = (list: readonly Stmt[], inLoop: boolean): Stmt[] =>
    list.flatMap((s): Stmt[] => {
      if (s.kind === 'if') return [{ ...s, then: rewrite(s.then, inLoop), else: rewrite(s.else, inLoop) }];
      if (s.kind === 'loop') return [{ ...s, head: rewrite(s.head, true), body: rewrite(s.body, true) }];
      if (s.kind === 'let' && mutable.has(s.name)) {
        // A value defined here and assigned later (restored from a tape) is declared first and
        // assigned here, as generated code read back has it, so forward mode gives it a mutable tangent.
        declared.push({ kind: 'declare', name: s.name, ty: s.ty, partial: true });
        const value = namer.fresh(`${s.name}_value`);
        types.set(value, s.ty);
        return rewrite([{ ...s, name: value }, { kind: 'assign', name: s.name, value: { kind: 'var', name: value }, loc: s.loc }], inLoop);
      }
      if (!inLoop) return [s];
      const out: Stmt[] = [];
      if (s.kind === 'let' && (s.expr.kind === 'prim' || s.expr.kind === 'copy' || s.expr.kind === 'tuple')) {
        const renamed = snapshots(exprAtoms(s.expr), out);
        if (renamed.size === 0) return [s];
        const e = s.expr;
        const expr =
          e.kind === 'prim' ? { ...e, args: e.args.map((a) => swap(a, renamed)) } : e.kind === 'copy' ? { ...e, value: swap(e.value, renamed) } : { ...e, items: e.items.map((a) => swap(a, renamed)) };
        return [...out, { ...s, expr }];
      }
      if (s.kind === 'assign' || s.kind === 'store') {
        const renamed = snapshots([s.value], out);
        return renamed.size === 0 ? [s] : [...out, { ...s, value: swap(s.value, renamed) }];
      }
      return [s];
    });
  const declared: Stmt[] = [];
  const body = rewrite(stmts, false);
  return [...declared, ...body];
}

/** What a tape starts as (tapesAsArrays). */
const freshTapes = ['([] as Tensor[])', '([] as number[])'];

/** Variables `body` reads that it does not define (nor are they `own`). */
function freeVariables(body: readonly Stmt[], own: ReadonlySet<string>): Set<string> {
  const defined = new Set(own);
  const read: string[] = [];
  scan(body, (s) => {
    if (s.kind === 'let' || s.kind === 'declare') defined.add(s.name);
    const atoms: readonly Atom[] =
      s.kind === 'let' ? exprAtoms(s.expr) : s.kind === 'assign' ? [s.value] : s.kind === 'if' || s.kind === 'loop' ? [s.cond] : s.kind === 'effect' ? exprAtoms(s.expr) : [];
    for (const a of atoms) if (a.kind === 'var') read.push(a.name);
    if (s.kind === 'assign') read.push(s.name);
  });
  return new Set(read.filter((n) => !defined.has(n)));
}

function at(loc: Loc | undefined): string {
  if (!loc) return '';
  const file = loc.file.split(/[\\/]/).pop();
  return ` at ${file}:${loc.line}:${loc.column}`;
}
