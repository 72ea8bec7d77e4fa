// Transposes chosen at compile time. A matrix product with a transposed operand,
// `matmul(a, transpose(b, [1, 0]))` (nn.Dense's x·Wᵀ) or `matmul(matrixTranspose(a), b)`
// (a weight gradient xᵀ·dy from matmul's rule), becomes `matmulNT(a, b)` or
// `matmulTN(a, b)`: primitives whose kernel reads the operand transposed while packing it,
// so no transposed copy is made (on the W2 MLP the copies took more time than the
// products). Run on the primal before differentiation, so that the rules of matmulNT and
// matmulTN (themselves transpose-free) give the backward pass, and on the adjoint for
// the products that matmul's own rules write. The transpose left without readers goes
// with dead-code elimination.

import { Atom, Expr, Func, Stmt } from '../ir/nodes.js';

type Prim = Extract<Expr, { kind: 'prim' }>;

export function foldTransposes(func: Func): Func {
  const defs = new Map<string, Expr>();
  collect(func.body, defs);
  /** The matrix `x` when `atom` is `transpose(x, [1, 0])` or `matrixTranspose(x)`. */
  const transposed = (atom: Atom): Atom | undefined => {
    const e = atom.kind === 'var' ? defs.get(atom.name) : undefined;
    if (e?.kind !== 'prim') return undefined;
    if (e.op === 'matrixTranspose' && e.args.length === 1) return e.args[0];
    if (e.op === 'transpose' && e.args.length === 2 && swapsTwoAxes(e.args[1], defs)) return e.args[0];
    return undefined;
  };
  const rewrite = (e: Prim): Prim => {
    if (e.op !== 'matmul' || e.args.length !== 2) return e;
    const [a, b] = e.args;
    const bT = transposed(b);
    if (bT) return { kind: 'prim', op: 'matmulNT', args: [a, bT] };
    const aT = transposed(a);
    if (aT) return { kind: 'prim', op: 'matmulTN', args: [aT, b] };
    return e;
  };
  return { ...func, body: mapLets(func.body, rewrite) };
}

function collect(stmts: readonly Stmt[], defs: Map<string, Expr>): void {
  for (const s of stmts) {
    if (s.kind === 'let' && !s.mutable) defs.set(s.name, s.expr);
    if (s.kind === 'if') {
      collect(s.then, defs);
      collect(s.else, defs);
    }
    if (s.kind === 'loop') {
      collect(s.head, defs);
      collect(s.body, defs);
    }
  }
}

/** True when `perm` is the literal tuple [1, 0]. */
function swapsTwoAxes(perm: Atom, defs: Map<string, Expr>): boolean {
  const e = perm.kind === 'var' ? defs.get(perm.name) : undefined;
  if (e?.kind !== 'tuple' || e.items.length !== 2) return false;
  const [p0, p1] = e.items;
  return p0.kind === 'lit' && p0.value === 1 && p1.kind === 'lit' && p1.value === 0;
}

function mapLets(stmts: readonly Stmt[], rewrite: (e: Prim) => Prim): Stmt[] {
  return stmts.map((s): Stmt => {
    if (s.kind === 'let' && s.expr.kind === 'prim') return { ...s, expr: rewrite(s.expr) };
    if (s.kind === 'if') return { ...s, then: mapLets(s.then, rewrite), else: mapLets(s.else, rewrite) };
    if (s.kind === 'loop') return { ...s, head: mapLets(s.head, rewrite), body: mapLets(s.body, rewrite) };
    return s;
  });
}
