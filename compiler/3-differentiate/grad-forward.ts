// A gradient computed in forward mode. grad(f) at x is Jᵀ·1, with J the Jacobian of f's
// output in x; where J is diagonal (compiler/2-analyze/diagonal.ts: every op between x and
// the output is elementwise) that is J·1, the output's tangent when x's tangent is ones.
// Forward mode computes it beside the primal in one pass: no backward sweep, nothing kept
// for one, no tape in a loop. At first order the two modes cost about the same; at higher
// orders forward over forward stays small where reverse over reverse grows by a constant
// factor per order: the tangent the next order computes for this order's primal values is
// spelled as this order's tangents are, so common-subexpression elimination merges the two,
// and only the derivatives of the tangents are new (bench/orders.ts has the sizes).

import { Atom, Func, Stmt, Ty, lit, numberTy, tensorTy, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { diagonalIn } from '../2-analyze/diagonal.js';
import { ForwardModeError, differentiateForward } from './forward.js';
import { ReverseRequest, ReverseResult, scan } from './reverse.js';

/** The gradient `request` asks for, in forward mode; undefined when forward mode does not give it. */
export function gradByForward(primal: Func, request: ReverseRequest, name: string): ReverseResult | undefined {
  if (request.positions.length !== 1 || request.weights || request.sensitivity || request.split || request.namer || request.rereadable) return undefined;
  const position = request.positions[0];
  const x = primal.params[position];
  if (x.ty.kind !== 'tensor' && x.ty.kind !== 'number') return undefined;
  const leaf = differentiatedLeaf(primal, request.output);
  // A number input's gradient is a number: a Tensor output (ops on numbers make 0-d Tensors) is left to reverse mode.
  if (leaf === undefined || typeOf(primal, leaf.name)?.kind !== x.ty.kind || !diagonalIn(primal, position, leaf.name)) return undefined;
  let forward: Func;
  let tangentParam: string;
  try {
    const result = differentiateForward(primal, { positions: [position], derivative: 'grad' }, name);
    forward = result.func;
    tangentParam = result.tangentParams[0];
  } catch (e) {
    if (e instanceof ForwardModeError) return undefined;
    throw e;
  }
  // The forward function ends `jvps = [output, outputTangent]`; the gradient is the leaf's tangent.
  const body = forward.body.slice(0, -1);
  const jvps = forward.body[forward.body.length - 1];
  if (jvps.kind !== 'let' || jvps.expr.kind !== 'tuple') return undefined;
  const gradient = leafTangent(body, jvps.expr.items[1], leaf.index);
  if (gradient?.kind !== 'var') return undefined;

  const names = new Namer([...primal.params.map((p) => p.name), tangentParam]);
  scan(body, (s) => (s.kind === 'let' || s.kind === 'declare') && names.claim(s.name));
  // The input's tangent is ones (simplification folds it into the first rule that reads it).
  const seed: Stmt =
    x.ty.kind === 'number'
      ? { kind: 'let', name: tangentParam, ty: numberTy, expr: { kind: 'copy', value: lit(1) } }
      : { kind: 'let', name: tangentParam, ty: tensorTy, expr: { kind: 'prim', op: 'onesLike', args: [v(x.name)] } };
  const items = request.withOutputs ? [primal.result, gradient] : [gradient];
  const resultName = names.fresh('grads');
  const resultTy: Ty = { kind: 'tuple', items: [...(request.withOutputs ? [primal.resultTy] : []), x.ty] };
  body.push({ kind: 'let', name: resultName, ty: resultTy, expr: { kind: 'tuple', items } });
  return {
    func: { ...primal, name, body: [seed, ...body], result: v(resultName), resultTy },
    slots: [],
    zeroGradients: [],
    forwardMode: true,
  };
}

/** The one variable whose gradient is asked for: the result, or its first item with hasAux. */
function differentiatedLeaf(func: Func, output: ReverseRequest['output']): { name: string; index?: number } | undefined {
  if (func.result.kind !== 'var') return undefined;
  const name = func.result.name;
  let items: readonly Atom[] | undefined;
  scan(func.body, (s) => {
    if (s.kind === 'let' && s.name === name && s.expr.kind === 'tuple') items = s.expr.items;
  });
  if (items === undefined) return { name };
  const leaves = output === 'first' ? items.slice(0, 1) : items;
  if (leaves.length !== 1 || leaves[0].kind !== 'var') return undefined;
  return { name: leaves[0].name, index: 0 };
}

/** The tangent of the leaf: the output's tangent, or item `index` of the tuple of tangents. */
function leafTangent(body: readonly Stmt[], tangent: Atom, index: number | undefined): Atom | undefined {
  if (index === undefined) return tangent;
  if (tangent.kind !== 'var') return undefined;
  let items: readonly Atom[] | undefined;
  scan(body, (s) => {
    if (s.kind === 'let' && s.name === tangent.name && s.expr.kind === 'tuple') items = s.expr.items;
  });
  return items?.[index];
}

/** The type of the variable `name` defines (undefined: a parameter or nothing). */
function typeOf(func: Func, name: string): Ty | undefined {
  let ty: Ty | undefined = func.params.find((p) => p.name === name)?.ty;
  scan(func.body, (s) => {
    if ((s.kind === 'let' || s.kind === 'declare') && s.name === name) ty = s.ty;
  });
  return ty;
}
