// The scalar path of a forward compiled by `jit` (compiler/jit.ts): when every tensor a
// call sees (inputs and the Parameters it reads) holds one float32 element, all of one
// shape, the forward runs as float32 arithmetic (each op rounded with Math.fround, what
// the float32 kernels store) and the artifact wraps the numbers back into tensors of that
// shape. It qualifies only when that is exactly what the ops would give: elementwise
// primitives with a number form, each reading a tensor (so its output has the shared
// shape), and no arithmetic on plain numbers (computed in float64 by the source, which
// rounding every operation would change).

import { Func, Stmt, Ty, childBlocks, numberTy } from '../ir/nodes.js';
import { emitFunctionLines } from './typescript.js';
import { qualifies, scalarize, tensorFields, toNumber } from './scalar.js';

export interface ScalarForward {
  /** The scalar function's code (`<name>_scalar`). */
  readonly code: string;
  /** Tensor inputs (by param index) whose first element the scalar function takes. */
  readonly tensorParams: readonly number[];
  /** Every tensor field the function reads (`self.z`): the dispatch checks them too. */
  readonly fields: readonly string[];
}

/** The scalar form of the forward `func`, or undefined when it does not qualify. */
export function scalarForward(func: Func, name: string, selfType: string | undefined): ScalarForward | undefined {
  if (func.functions?.length || func.roots.some((r) => r.kind === 'env')) return undefined;
  if (func.params.some((p) => p.ty.kind !== 'tensor' && p.ty.kind !== 'number')) return undefined;
  if (!flatResult(func.resultTy) || !qualifies(func.body) || !tensorsFromTensors(func)) return undefined;
  const tensorParams = func.params.map((p, i) => (p.ty.kind === 'tensor' ? i : -1)).filter((i) => i >= 0);
  const fields = tensorFields(func.body);
  if (tensorParams.length === 0 && fields.length === 0) return undefined;
  const scalar: Func = {
    ...func,
    params: func.params.map((p) => ({ ...p, ty: numberTy, tsType: 'number' })),
    body: scalarize(func.body),
    resultTy: toNumber(func.resultTy),
  };
  const doc = [`${name} on one-element float32 tensors, as float32 arithmetic.`];
  const { text } = emitFunctionLines(scalar, { name: `${name}_scalar`, selfType, fround: true, doc });
  return { code: text.join('\n'), tensorParams, fields };
}

/**
 * The artifact's function: the scalar path when every tensor input and field is a
 * one-element float32 tensor of one shape, else the tensor path (`tensorFn`).
 */
export function scalarForwardDispatch(name: string, func: Func, hasSelf: boolean, selfType: string | undefined, scalar: ScalarForward, tensorFn: string): string {
  const params = func.params.map((p) => `${p.name}: ${p.ty.kind === 'tensor' ? 'Tensor' : 'number'}`);
  const selfParam = hasSelf ? [`self: ${selfType ?? 'any'}`] : [];
  const selfArg = hasSelf ? ['self'] : [];
  // Fields are read as `root.path!`: the check has made sure each is a Tensor.
  const checked = [...scalar.tensorParams.map((i) => func.params[i].name), ...scalar.fields.map((f) => `${f}!`)];
  const like = checked[0];
  const scalarArgs = func.params.map((p) => (p.ty.kind === 'tensor' ? `${p.name}.data[0]` : p.name));
  const call = `${name}_scalar(${[...selfArg, ...scalarArgs].join(', ')})`;
  const wrap = (ty: Ty, value: string) => (ty.kind === 'tensor' ? `scalarTensor(${value}, ${like})` : value);
  const ty = func.resultTy;
  const result =
    ty.kind === 'tuple'
      ? [`      const [${ty.items.map((_, i) => `r${i}`).join(', ')}] = ${call};`, `      return [${ty.items.map((t, i) => wrap(t, `r${i}`)).join(', ')}];`]
      : [`      return ${wrap(ty, call)};`];
  return [
    `(${[...selfParam, ...params].join(', ')}) => {`,
    `      if (!(${checked.map((t) => `isScalarF32(${t}, ${like})`).join(' && ')})) {`,
    `        return ${tensorFn}(${[...selfArg, ...func.params.map((p) => p.name)].join(', ')});`,
    '      }',
    ...result,
    '    }',
  ].join('\n');
}

/** A tensor, a number, or a flat tuple of them. */
function flatResult(ty: Ty): boolean {
  if (ty.kind === 'tuple') return ty.items.every((t) => t.kind === 'tensor' || t.kind === 'number');
  return ty.kind === 'tensor' || ty.kind === 'number';
}

/**
 * True when every tensor primitive reads a tensor (its output then has the one shape all
 * tensors share) and no primitive computes on plain numbers alone.
 */
function tensorsFromTensors(func: Func): boolean {
  const tensors = new Set(func.params.filter((p) => p.ty.kind === 'tensor').map((p) => p.name));
  const visit = (stmts: readonly Stmt[]): boolean =>
    stmts.every((s) => {
      if (s.kind === 'let') {
        if (s.ty.kind === 'tensor') tensors.add(s.name);
        if (s.expr.kind === 'prim') {
          if (s.ty.kind !== 'tensor') return false;
          if (!s.expr.args.some((a) => a.kind === 'var' && tensors.has(a.name))) return false;
        }
      }
      if (s.kind === 'declare' && s.ty.kind === 'tensor') tensors.add(s.name);
      return childBlocks(s).every(visit);
    });
  return visit(func.body);
}
