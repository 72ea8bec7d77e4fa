// The scalar path of a gradient function. When every tensor a call sees holds one
// float32 element (all of the same shape), per-op tensor overhead dominates: the same
// adjoint code runs as plain float32 arithmetic (each operation rounded with
// Math.fround, exactly what the float32 kernels store) on the tensors' elements, and the
// gradients are wrapped back into tensors of the inputs' shapes. Only straight-line and branching
// code whose every primitive has a number form qualifies; anything else keeps the
// tensor path alone.

import { Atom, Func, Stmt, Ty, childBlocks, numberTy, otherTy, v } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { emitFunctionLines } from './typescript.js';

export interface ScalarPath {
  /** The scalar function's code. */
  readonly code: string;
  /** Its name: `${name}_scalar`, which gives the gradients, or undefined when the call is not one it takes. */
  readonly name: string;
}

/**
 * The scalar version of `adjoint` (a gradient function returning a tuple of gradients
 * only: no value, no weights from module roots), or undefined when it does not qualify.
 * It takes the same arguments as the tensor function and first checks that every tensor
 * the call sees (inputs and the fields it reads) is a one-element float32 tensor of one
 * shape, answering undefined when one is not: a field of two elements read by a
 * one-element call broadcasts, and only the tensor path computes that. Then it computes
 * on the elements and wraps the gradients in tensors of their inputs' shapes itself: a
 * list of numbers handed back for the caller to wrap cost V8 a list and a boxed number
 * per gradient, about 6 ns of the seed's 0.11 µs.
 */
export function scalarPath(adjoint: Func, name: string, selfType: string | undefined, positions: readonly number[], slots: readonly string[]): ScalarPath | undefined {
  if (adjoint.params.some((p) => p.ty.kind !== 'tensor' && p.ty.kind !== 'number')) return undefined;
  if (adjoint.roots.some((r) => r.kind === 'env')) return undefined;
  if (!qualifies(adjoint.body)) return undefined;
  if (positions.some((p) => adjoint.params[p].ty.kind !== 'tensor')) return undefined;
  const fields = tensorFields(adjoint.body);
  const scalarized = scalarize(adjoint.body);
  const results = resultItems(scalarized, adjoint.result);
  if (results === undefined) return undefined;
  // The list of numbers gives way to the list of tensors made from it.
  const body = scalarized.filter((s) => !(s.kind === 'let' && s.name === (adjoint.result as { name: string }).name));
  const fresh = freshNamer([...adjoint.params.map((p) => p.name), ...namesIn(body)]);
  // Each tensor input arrives as `x_tensor`; `x` is its element, the name the body reads.
  const tensorOf = new Map(adjoint.params.filter((p) => p.ty.kind === 'tensor').map((p) => [p.name, fresh(`${p.name}_tensor`)]));
  const checked = [...tensorOf.values(), ...fields];
  if (checked.length === 0) return undefined;
  // Fields are read as `root.path!` after the check, which has made sure each is a Tensor.
  const asTensor = (t: string) => (fields.includes(t) ? `${t}!` : t);
  const like = asTensor(checked[0]);
  const reads: Stmt[] = [...tensorOf].map(([n, t]) => ({ kind: 'let', name: n, ty: numberTy, expr: { kind: 'js', template: '$0.data[0]', args: [v(t)] } }));
  const likes = [...positions.map((p) => tensorOf.get(adjoint.params[p].name)!), ...slots.map(asTensor)];
  const wrapped = results.map((item, i): Stmt => ({ kind: 'let', name: fresh(`g${i}`), ty: { kind: 'tensor' }, expr: { kind: 'js', template: `scalarTensor($0, ${likes[i]})`, args: [item] } }));
  const resultName = fresh('gradients');
  const resultTy: Ty = { kind: 'tuple', items: wrapped.map((): Ty => ({ kind: 'tensor' })) };
  const scalar: Func = {
    ...adjoint,
    params: adjoint.params.map((p) => (p.ty.kind === 'tensor' ? { ...p, name: tensorOf.get(p.name)! } : { ...p, ty: numberTy, tsType: 'number' })),
    body: [...reads, ...body, ...wrapped, { kind: 'let', name: resultName, ty: resultTy, expr: { kind: 'tuple', items: wrapped.map((w) => v((w as { name: string }).name)) } }],
    result: v(resultName),
    resultTy,
  };
  const scalarName = `${name}_scalar`;
  const { text } = emitFunctionLines(scalar, {
    name: scalarName,
    selfType,
    fround: true,
    guard: checked.map((t) => `isScalarF32(${t}, ${like})`).join(' && '),
    doc: [`${name} on one-element float32 tensors, as float32 arithmetic; undefined when a tensor`, 'the call sees is not one (all of one shape), for the tensor path to take the call.'],
  });
  return { code: text.join('\n'), name: scalarName };
}

/** The items of the tuple `result` names, a let at the top of `body`. */
function resultItems(body: readonly Stmt[], result: Atom): readonly Atom[] | undefined {
  if (result.kind !== 'var') return undefined;
  const def = body.find((s) => s.kind === 'let' && s.name === result.name);
  if (def?.kind !== 'let' || def.expr.kind !== 'tuple') return undefined;
  // Read nowhere else (the IR is plain data: its one mention is as the result).
  const mention = JSON.stringify(v(result.name));
  return JSON.stringify(body).split(mention).length === 1 ? def.expr.items : undefined;
}

/** Every name a let or declare binds in `stmts`, nested blocks included. */
function namesIn(stmts: readonly Stmt[], out: string[] = []): string[] {
  for (const s of stmts) {
    if (s.kind === 'let' || s.kind === 'declare') out.push(s.name);
    for (const block of childBlocks(s)) namesIn(block, out);
  }
  return out;
}

/** Names not in `taken` (and not given before): `base`, else `base2`, `base3`… */
function freshNamer(taken: readonly string[]): (base: string) => string {
  const used = new Set(taken);
  return (base) => {
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}${k}`;
    used.add(name);
    return name;
  };
}

/** The text of each tensor field read (`self.dense.w`), once, in order of appearance. */
export function tensorFields(stmts: readonly Stmt[], out: string[] = []): string[] {
  for (const s of stmts) {
    if (s.kind === 'let' && s.expr.kind === 'field' && s.ty.kind === 'tensor') {
      const text = [s.expr.root, ...s.expr.path].join('.');
      if (!out.includes(text)) out.push(text);
    }
    for (const block of childBlocks(s)) tensorFields(block, out);
  }
  return out;
}

/**
 * The artifact's function: the scalar path when it takes the call (every tensor is a
 * one-element float32 tensor of one shape), else the tensor path.
 */
export function scalarDispatch(adjoint: Func, hasSelf: boolean, selfType: string | undefined, scalar: ScalarPath, tensorFn: string): string {
  const params = adjoint.params.map((p) => `${p.name}: ${p.ty.kind === 'tensor' ? 'Tensor' : 'number'}`);
  const selfParam = hasSelf ? [`self: ${selfType ?? 'any'}`] : [];
  const args = [...(hasSelf ? ['self'] : []), ...adjoint.params.map((p) => p.name)].join(', ');
  return `(${[...selfParam, ...params].join(', ')}) => ${scalar.name}(${args}) ?? ${tensorFn}(${args})`;
}

export function qualifies(stmts: readonly Stmt[]): boolean {
  return stmts.every((s) => {
    if (s.kind === 'loop' || s.kind === 'effect') return false;
    if (s.kind === 'let') {
      const e = s.expr;
      if (e.kind === 'prim') return s.ty.kind === 'number' || primitiveSpec(e.op)?.number !== undefined;
      if (e.kind === 'field') return s.ty.kind !== 'tensor' || e.slot === true;
      if (e.kind === 'js' || e.kind === 'custom' || e.kind === 'elem') return false;
      if (e.kind === 'tuple') return s.ty.kind === 'tuple' && s.ty.items.every((t) => t.kind === 'tensor' || t.kind === 'number');
      return true;
    }
    return childBlocks(s).every(qualifies);
  });
}

/** Tensors become numbers; a Parameter read becomes the read of its first element. */
export function scalarize(stmts: readonly Stmt[]): Stmt[] {
  return stmts.flatMap((s): Stmt[] => {
    if (s.kind === 'let') {
      if (s.expr.kind === 'field' && s.ty.kind === 'tensor') {
        const tensor = `${s.name}_tensor`;
        return [
          { ...s, name: tensor, ty: otherTy },
          { kind: 'let', name: s.name, ty: numberTy, expr: { kind: 'js', template: '$0.data[0]', args: [v(tensor)] as Atom[] }, loc: s.loc },
        ];
      }
      return [{ ...s, ty: toNumber(s.ty) }];
    }
    if (s.kind === 'declare') return [{ ...s, ty: toNumber(s.ty) }];
    if (s.kind === 'if') return [{ ...s, then: scalarize(s.then), else: scalarize(s.else) }];
    return [s];
  });
}

export function toNumber(ty: Ty): Ty {
  if (ty.kind === 'tensor') return numberTy;
  if (ty.kind === 'tuple') return { kind: 'tuple', items: ty.items.map(toNumber) };
  return ty;
}
