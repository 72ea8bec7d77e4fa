// MindSpore's `has_aux` returns each auxiliary output through `stop_gradient`: only the
// first output is differentiated, at this order and the ones above it. Forward mode over a
// gradient with hasAux read back therefore sees its aux outputs stopped too, so their
// tangents are zeros (JAX would carry them; the SPEC follows MindSpore).

import { Func, Stmt, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { scan } from './reverse.js';

/**
 * `func` is generated code read back that returns `[[output, ...aux], ...gradients]`
 * (grad or valueAndGrad with hasAux): each aux item becomes `ops.stopGradient(item)`.
 */
export function stopAux(func: Func): Func {
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
  const stops: Stmt[] = [{ kind: 'comment', text: "hasAux: the aux outputs are stopped (MindSpore's stop_gradient), so their tangents are zeros" }];
  const items = outputs.expr.items.map((item, i) => {
    const ty = outputs.ty.kind === 'tuple' ? outputs.ty.items[i] : undefined;
    if (i === 0 || item.kind !== 'var' || (ty?.kind !== 'tensor' && ty?.kind !== 'number')) return item;
    const name = namer.fresh(`${item.name}_stopped`);
    stops.push({ kind: 'let', name, ty, expr: { kind: 'prim', op: 'stopGradient', args: [item] }, loc: outputs.loc });
    return v(name);
  });
  const stopped: Stmt = { ...outputs, expr: { kind: 'tuple', items } };
  return { ...func, body: func.body.flatMap((s) => (s === outputs ? [...stops, stopped] : [s])) };
}
