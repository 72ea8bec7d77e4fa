// MindSpore's `has_aux` returns each auxiliary output through `stop_gradient`: only the
// first output is differentiated, at this order and the ones above it. A gradient function
// requested with hasAux, read back for the next order, therefore has its aux outputs
// stopped: forward mode gives them zero tangents (JAX would carry them; the SPEC follows
// MindSpore), and reverse mode takes nothing of them into the sum it differentiates.
//
// The generated code returns `[[output, ...aux], ...gradients]`, but `grad` with hasAux
// returns `[gradients, [aux...]]`, without the output: reverse mode over it stops the
// output too, so the sum differentiated is that of the gradients, what the user's
// function returns apart from its stopped aux (as MindSpore's sum over every output).
// `valueAndGrad` returns `[[output, ...aux], gradients]`: its output stays differentiated.
// reverseOutput says which of the generated results an outer hasAux's first output is.

import { fail } from '../diagnostics.js';
import { Func, Stmt, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import type { CallSite, Target } from '../1-parse/locate.js';
import { scan } from './reverse.js';

/**
 * `func` is generated code read back that returns `[[output, ...aux], ...gradients]`
 * (grad or valueAndGrad with hasAux): each aux item becomes `ops.stopGradient(item)`,
 * and so does the output with `output: true`.
 */
export function stopAux(func: Func, { output = false }: { output?: boolean } = {}): Func {
  const lets = new Map<string, Extract<Stmt, { kind: 'let' }>>();
  for (const s of func.body) if (s.kind === 'let') lets.set(s.name, s);
  const result = func.result.kind === 'var' ? lets.get(func.result.name) : undefined;
  const first = result?.expr.kind === 'tuple' ? result.expr.items[0] : undefined;
  const outputs = first?.kind === 'var' ? lets.get(first.name) : undefined;
  if (!outputs || outputs.expr.kind !== 'tuple') {
    throw new Error(`tsgrad: internal: ${func.name} does not return [[output, ...aux], ...gradients]`);
  }
  const taken = [...func.params.map((p) => p.name), ...func.roots.map((r) => r.name)];
  scan(func.body, (s) => {
    if (s.kind === 'let' || s.kind === 'declare') taken.push(s.name);
  });
  const namer = new Namer(taken);
  const stops: Stmt[] = [
    {
      kind: 'comment',
      text: output
        ? "hasAux: the aux outputs are stopped (MindSpore's stop_gradient), and the output, which grad does not return"
        : "hasAux: the aux outputs are stopped (MindSpore's stop_gradient), so their tangents are zeros",
    },
  ];
  const items = outputs.expr.items.map((item, i) => {
    const ty = outputs.ty.kind === 'tuple' ? outputs.ty.items[i] : undefined;
    if ((i === 0 && !output) || item.kind !== 'var' || (ty?.kind !== 'tensor' && ty?.kind !== 'number')) return item;
    const name = namer.fresh(`${item.name}_stopped`);
    stops.push({ kind: 'let', name, ty, expr: { kind: 'prim', op: 'stopGradient', args: [item] }, loc: outputs.loc });
    return v(name);
  });
  const stopped: Stmt = { ...outputs, expr: { kind: 'tuple', items } };
  return { ...func, body: func.body.flatMap((s) => (s === outputs ? [...stops, stopped] : [s])) };
}

/** True when `target` is a gradient function requested with hasAux (its aux outputs are stopped). */
export function hasAuxInner(target: Target): target is Extract<Target, { kind: 'grad' }> {
  return target.kind === 'grad' && target.inner.request.hasAux;
}

/**
 * `func`, the target of reverse mode lowered, with what it must not differentiate
 * stopped: over a gradient function requested with hasAux, its aux outputs, and the
 * output of a `grad` (which does not return it).
 */
export function stopAuxForReverse(func: Func, target: Target): Func {
  if (!hasAuxInner(target)) return func;
  return stopAux(func, { output: target.inner.api === 'grad' });
}

/**
 * What reverse mode sums of the code `site` differentiates: 'first' (item 0 of its tuple
 * result) for hasAux, else 'sum'. Over a gradient function read back, hasAux's first
 * output is that of the function as the user calls it, not always item 0 of the generated
 * result `[outputs?, ...positionGrads, ...slotGrads]`:
 *   grad with hasAux   its gradients, all that is left once the output part is stopped: 'sum'
 *   vjp, jacrev        given a cotangent in the function's shape, zeros outside its first
 *                      output: 'sum'
 *   grad with weights  with one gradPosition, the input gradient (item 0); with null or
 *                      several, weights in their run-time order or several items: TSG3013
 */
export function reverseOutput(site: CallSite): 'sum' | 'first' {
  if (!site.request.hasAux) return 'sum';
  if (site.target.kind !== 'grad') return 'first';
  const inner = site.target.inner;
  if (inner.api === 'grad' && inner.request.hasAux) return 'sum';
  if (site.api === 'vjp' || site.api === 'jacrev') return 'sum';
  const position = inner.request.gradPosition;
  const onePosition = typeof position === 'number' || (Array.isArray(position) && position.length === 1);
  if (inner.api === 'grad' && inner.request.weights && !onePosition) fail('TSG3013', site.call);
  return 'first';
}
