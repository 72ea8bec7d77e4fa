// The scalar path of a gradient function. When every tensor a call sees holds one
// float32 element (all of the same shape), per-op tensor overhead dominates: the same
// adjoint code runs as plain float32 arithmetic (each operation rounded with
// Math.fround, exactly what the float32 kernels store), and the artifact wraps the
// numbers back into tensors of the inputs' shapes. Only straight-line and branching
// code whose every primitive has a number form qualifies; anything else keeps the
// tensor path alone.

import { Atom, Func, Stmt, Ty, childBlocks, numberTy, otherTy, v } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';
import { emitFunctionLines } from './typescript.js';

export interface ScalarPath {
  /** The scalar function's code. */
  readonly code: string;
  /** Tensor inputs (by param index) whose first element the scalar function takes. */
  readonly tensorParams: readonly number[];
  /** For each gradient (in order), the expression of the tensor it has the shape of. */
  readonly likes: readonly string[];
  /** Every tensor field the function reads (`self.z`): the dispatch checks them too. */
  readonly fields: readonly string[];
}

/**
 * The scalar version of `adjoint` (a gradient function returning a tuple of gradients
 * only: no value, no weights from module roots), or undefined when it does not qualify.
 */
export function scalarPath(adjoint: Func, name: string, selfType: string | undefined, positions: readonly number[], slots: readonly string[]): ScalarPath | undefined {
  if (adjoint.params.some((p) => p.ty.kind !== 'tensor' && p.ty.kind !== 'number')) return undefined;
  if (adjoint.roots.some((r) => r.kind === 'env')) return undefined;
  if (!qualifies(adjoint.body)) return undefined;
  const tensorParams = adjoint.params.map((p, i) => (p.ty.kind === 'tensor' ? i : -1)).filter((i) => i >= 0);
  if (positions.some((p) => adjoint.params[p].ty.kind !== 'tensor')) return undefined;
  const body = scalarize(adjoint.body);
  const scalar: Func = {
    ...adjoint,
    params: adjoint.params.map((p) => ({ ...p, ty: numberTy, tsType: 'number' })),
    body,
    resultTy: { kind: 'tuple', items: [...positions, ...slots].map(() => numberTy) },
  };
  const { text } = emitFunctionLines(scalar, { name: `${name}_scalar`, selfType, fround: true, doc: [`${name} on one-element float32 tensors, as float32 arithmetic.`] });
  const likes = [...positions.map((p) => adjoint.params[p].name), ...slots];
  const fields = tensorFields(adjoint.body);
  if (tensorParams.length === 0 && fields.length === 0) return undefined;
  return { code: text.join('\n'), tensorParams, likes, fields };
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
 * The artifact's function: when every tensor input and every tensor field the function
 * reads is a one-element float32 tensor of one shape, the scalar path, else the tensor
 * path. Fields are checked too: a Parameter of two elements read by a one-element call
 * broadcasts, and only the tensor path computes that.
 */
export function scalarDispatch(name: string, adjoint: Func, hasSelf: boolean, selfType: string | undefined, scalar: ScalarPath, tensorFn = name): string {
  const params = adjoint.params.map((p) => `${p.name}: ${p.ty.kind === 'tensor' ? 'Tensor' : 'number'}`);
  const selfParam = hasSelf ? [`self: ${selfType ?? 'any'}`] : [];
  const selfArg = hasSelf ? ['self'] : [];
  // Fields are read as `root.path!`: the check has made sure each is a Tensor.
  const isParam = (l: string) => adjoint.params.some((p) => p.name === l);
  const tensor = (l: string) => (isParam(l) ? l : `${l}!`);
  const checked = [...scalar.tensorParams.map((i) => adjoint.params[i].name), ...scalar.fields];
  const like = tensor(checked[0]);
  const scalarArgs = adjoint.params.map((p) => (p.ty.kind === 'tensor' ? `${p.name}.data[0]` : p.name));
  // The numbers are read by index: destructuring the array (`const [g0, g1] = …`) cost
  // V8 about 16 ns a call here, a tenth of the seed's whole gradient.
  return [
    `(${[...selfParam, ...params].join(', ')}) => {`,
    `      if (!(${checked.map((t) => `isScalarF32(${t}, ${like})`).join(' && ')})) {`,
    `        return ${tensorFn}(${[...selfArg, ...adjoint.params.map((p) => p.name)].join(', ')});`,
    '      }',
    `      const g = ${name}_scalar(${[...selfArg, ...scalarArgs].join(', ')});`,
    `      return [${scalar.likes.map((l, i) => `scalarTensor(g[${i}], ${tensor(l)})`).join(', ')}];`,
    '    }',
  ].join('\n');
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
