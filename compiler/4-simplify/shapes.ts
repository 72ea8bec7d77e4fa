// Shape-aware simplification. Shapes are only known at run time, but which values share
// a shape often is known at compile time: an elementwise op's output has its operand's
// shape, onesLike(x) has x's. With that, the no-ops that derivative rules insert for
// broadcasting disappear: sumToLike(g, like) and broadcastLike(g, like) when g already has
// like's shape, broadcastLike(g, like) when like is 0-d, mul(x, onesLike(y)) and
// add(x, zerosLike(y)) when x has y's shape. These are most of what grows when generated
// code is differentiated again.

import { Atom, Func, Stmt, childBlocks } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';

type Let = Extract<Stmt, { kind: 'let' }>;

/** Replacements (variable → atom) that the shape facts justify; `exact` keeps add(x, zerosLike(y)) (−0 + 0 is +0). */
export function shapeRewrites(func: Func, exact = false): Map<string, Atom> {
  const mutable = new Set<string>();
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'declare' || s.kind === 'assign') mutable.add(s.name);
      for (const child of childBlocks(s)) visit(child);
    }
  };
  visit(func.body);
  // A variable assigned more than once has a class when every value assigned to it has the
  // same one (a loop-carried y = y·a keeps a's shape). Found optimistically: each starts with
  // its first value's class and loses it when another value disagrees, until nothing changes.
  const first = shapePass(func.body, mutable, new Map(), exact).assigned;
  let guesses = new Map([...first].map(([name, classes]) => [name, classes[0]]));
  for (;;) {
    const { rewrites, assigned } = shapePass(func.body, mutable, guesses, exact);
    const next = new Map([...guesses].map(([name, guess]) => [name, assigned.get(name)?.every((c) => c === guess) ? guess : undefined]));
    if ([...next].every(([name, c]) => guesses.get(name) === c)) return rewrites;
    guesses = next;
  }
}

/**
 * One walk: the rewrites and each let's class, given a class per mutable variable
 * (`guesses`; absent or undefined: none), and every class assigned to each mutable variable.
 */
function shapePass(
  body: readonly Stmt[],
  mutable: ReadonlySet<string>,
  guesses: ReadonlyMap<string, string | undefined>,
  exact: boolean,
): { rewrites: Map<string, Atom>; assigned: Map<string, (string | undefined)[]> } {
  const classOf = new Map<string, string>();
  const defs = new Map<string, Let>();
  const rewrites = new Map<string, Atom>();
  const assigned = new Map<string, (string | undefined)[]>();
  const cls = (a: Atom): string | undefined => {
    if (a.kind === 'lit') return typeof a.value === 'number' ? '#scalar' : undefined;
    const r = rewrites.get(a.name);
    if (r) return cls(r);
    if (mutable.has(a.name)) return guesses.get(a.name);
    return classOf.get(a.name) ?? `#${a.name}`;
  };
  const assign = (name: string, c: string | undefined) => assigned.set(name, [...(assigned.get(name) ?? []), c]);
  const walk = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'let') {
        defs.set(s.name, s);
        let c: string | undefined;
        if (s.expr.kind === 'prim' && s.ty.kind === 'tensor') {
          // A variable assigned elsewhere too is never replaced: only its class is known.
          const replacement = mutable.has(s.name) ? undefined : rewrite(s, cls, defs, exact);
          if (replacement) rewrites.set(s.name, replacement);
          else c = outputClass(s, cls);
        } else if (s.expr.kind === 'copy' && s.expr.value.kind === 'var') c = cls(s.expr.value);
        if (mutable.has(s.name)) assign(s.name, c);
        else if (c) classOf.set(s.name, c);
      } else if (s.kind === 'assign') assign(s.name, cls(s.value));
      for (const child of childBlocks(s)) walk(child);
    }
  };
  walk(body);
  return { rewrites, assigned };
}

/** The shape class of a primitive's output, from its spec's `shape`. */
function outputClass(s: Let, cls: (a: Atom) => string | undefined): string | undefined {
  const e = s.expr as Extract<Let['expr'], { kind: 'prim' }>;
  const spec = primitiveSpec(e.op);
  if (!spec?.shape) return undefined;
  const arg = (name: string) => e.args[spec.params.indexOf(name)];
  if (typeof spec.shape === 'string') {
    const a = arg(spec.shape);
    return a ? cls(a) : undefined;
  }
  const classes = spec.shape.map((n) => (arg(n) ? cls(arg(n)!) : undefined));
  if (classes.some((c) => c === undefined)) return undefined;
  const shaped = [...new Set(classes.filter((c) => c !== '#scalar'))];
  if (shaped.length === 0) return '#scalar';
  return shaped.length === 1 ? shaped[0] : undefined;
}

function rewrite(s: Let, cls: (a: Atom) => string | undefined, defs: Map<string, Let>, exact: boolean): Atom | undefined {
  const e = s.expr as Extract<Let['expr'], { kind: 'prim' }>;
  const [a, b] = e.args;
  const same = (x: Atom | undefined, y: Atom | undefined) => x !== undefined && y !== undefined && cls(x) !== undefined && cls(x) === cls(y);
  const madeBy = (x: Atom | undefined, op: string): Let | undefined => {
    if (x?.kind !== 'var') return undefined;
    const d = defs.get(x.name);
    return d?.expr.kind === 'prim' && d.expr.op === op ? d : undefined;
  };
  const likeOperand = (d: Let) => (d.expr as { args: readonly Atom[] }).args[0];
  switch (e.op) {
    case 'sumToLike':
      return same(a, b) ? a : undefined;
    case 'broadcastLike':
      // Broadcasting with a 0-d value (a literal, in a JVP rule of `1 - y`) changes no shape.
      return same(a, b) || (b !== undefined && cls(b) === '#scalar') ? a : undefined;
    case 'mul': {
      const onesB = madeBy(b, 'onesLike');
      if (onesB && same(a, likeOperand(onesB))) return a;
      const onesA = madeBy(a, 'onesLike');
      if (onesA && same(b, likeOperand(onesA))) return b;
      return undefined;
    }
    case 'add': {
      if (exact) return undefined;
      const zerosB = madeBy(b, 'zerosLike');
      if (zerosB && same(a, likeOperand(zerosB))) return a;
      const zerosA = madeBy(a, 'zerosLike');
      if (zerosA && same(b, likeOperand(zerosA))) return b;
      return undefined;
    }
  }
  return undefined;
}
