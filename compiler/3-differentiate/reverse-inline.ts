// Reverse mode where it stands: `grad(g)(x)` or `valueAndGrad(g)(x)` inside a function
// that is itself differentiated (grad of grad-inside, as JAX and MindSpore allow). The
// lowerer inlines `g` as usual; its statements are differentiated in reverse mode in
// place, with the same rules as a gradient function, and the forward and backward code
// joins the enclosing function, which the outer pass (reverse or forward mode) then
// differentiates like any other code: every VJP rule is written in runtime ops, each
// with its own VJP and JVP rule.
//
// Only straight-line code and `if` qualify. A loop's reverse tapes its values through
// run-time arrays written by effects, a recursive call's through its forward/backward
// pair, a `bprop` is a call, and a number input that enters tensor code gets its gradient
// back through `numberGradient`: none of these is differentiated again where it stands,
// so each is refused (ReverseInlineError, reported as a coded diagnostic at the call)
// rather than read as a constant.

import { Atom, Loc, Stmt, Ty, isDifferentiableTy } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { differentiate, scan } from './reverse.js';

/** Something inside the differentiated function that grad cannot differentiate in place. */
export class ReverseInlineError extends Error {
  override name = 'ReverseInlineError';
}

export interface InlinedGrad {
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
): InlinedGrad {
  refuseForms(body);
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
  const gradient = differentiate(func, request, 'grad').func;
  const last = gradient.body[gradient.body.length - 1];
  if (last?.kind !== 'let' || last.expr.kind !== 'tuple' || gradient.result.kind !== 'var' || last.name !== gradient.result.name) {
    throw new Error('tsgrad: internal: reverse mode did not end with its tuple of gradients');
  }
  const stmts = gradient.body.slice(0, -1);
  refuseAdjoints(stmts, body);
  return { stmts, grads: last.expr.items };
}

/** Forms whose reverse is not code the next pass can differentiate where it stands. */
function refuseForms(body: readonly Stmt[]): void {
  scan(body, (s) => {
    if (s.kind === 'loop') throw new ReverseInlineError(`a loop${at(s.loc)}`);
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
        if (s.expr.kind === 'js' && isDifferentiableTy(s.ty)) {
          const what = s.expr.template.startsWith('numberGradient') ? 'a number input that enters tensor code (make it a 0-d Tensor)' : `an adjoint computed as ${s.expr.template}`;
          throw new ReverseInlineError(`${what}${at(s.loc)}`);
        }
        if (s.expr.kind === 'elem') throw new ReverseInlineError(`an element of a number[] input${at(s.loc)}`);
        return;
      case 'effect':
      case 'store':
      case 'loop':
        throw new ReverseInlineError(`an adjoint updated in place (a number[] input)${at(s.loc)}`);
      default:
        return;
    }
  });
}

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
