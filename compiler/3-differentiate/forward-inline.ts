// Forward mode where it stands: `jvp(f, [x], [v])` inside a function that is itself
// differentiated (grad of jvp). The lowerer inlines `f` as usual; its statements are
// differentiated in forward mode in place, and the primal and tangent code joins the
// enclosing function, which reverse mode then differentiates like any other code (every
// JVP rule is written in runtime ops, each with its VJP rule).

import { Atom, Stmt, Ty } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { ForwardModeError, TangentSource, differentiateForward } from './forward.js';

export interface InlinedJvp {
  /** `f`'s statements and their tangents, to splice where the call was. */
  readonly stmts: Stmt[];
  readonly out: Atom;
  readonly dout: Atom;
  readonly ty: Ty;
}

/**
 * `body` computes `result` from the variables `inputs` (the call's arguments, bound in
 * the enclosing function); each input's tangent is the atom beside it in `tangents`.
 * New names come from `namer`, the enclosing function's.
 */
export function inlineJvp(
  body: Stmt[],
  result: Atom,
  resultTy: Ty,
  inputs: readonly { readonly name: string; readonly ty: Ty }[],
  tangents: readonly Atom[],
  namer: Namer,
  origin: { readonly file: string; readonly name: string; readonly line: number },
  tangentFunctions?: TangentSource,
): InlinedJvp {
  if (resultTy.kind !== 'tensor' && resultTy.kind !== 'number') {
    throw new ForwardModeError('jvp inside differentiated code takes a function with one Tensor or number output');
  }
  const params = inputs.map((p) => ({ name: p.name, ty: p.ty, tsType: '' }));
  const func = { name: 'jvp', roots: [], params, body, result, resultTy, origin };
  const forward = differentiateForward(func, { positions: params.map((_, i) => i), namer, reversedNext: true, tangentFunctions }, 'jvp').func;
  // The tangent parameters are bound to the call's tangents; the closing [out, dout] tuple is dropped.
  const seeds: Stmt[] = forward.params.slice(params.length).map((p, i) => ({ kind: 'let', name: p.name, ty: p.ty, expr: { kind: 'copy', value: tangents[i] } }));
  const last = forward.body[forward.body.length - 1];
  if (last?.kind !== 'let' || last.expr.kind !== 'tuple' || forward.result.kind !== 'var' || last.name !== forward.result.name) {
    throw new Error('tsgrad: internal: forward mode did not end with its [output, tangent] tuple');
  }
  const [out, dout] = last.expr.items;
  return { stmts: [...seeds, ...forward.body.slice(0, -1)], out, dout, ty: resultTy };
}
