// Values the lowerer knows at compile time: a field whose type admits one value (`null`,
// `'relu'`, `true`) and comparisons or logic on such literals. Folding them decides a
// branch while lowering, so a branch that can never run (nn.Dense's other activations)
// is neither emitted nor differentiated, at any order. Only the types and the literal
// operands are trusted, as everywhere else in the compiler.

import { ts } from 'ts-morph';
import { Atom, Literal } from '../ir/nodes.js';

type Lit = Extract<Atom, { kind: 'lit' }>;

/** The one value a unit type admits (`null`, `undefined`, a string or boolean literal), if it is one. */
export function unitValue(type: ts.Type): { readonly value: Literal } | undefined {
  const f = type.flags;
  if (f & ts.TypeFlags.Null) return { value: null };
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { value: undefined };
  if (f & ts.TypeFlags.StringLiteral) return { value: (type as ts.StringLiteralType).value };
  if (f & ts.TypeFlags.BooleanLiteral) return { value: (type as { intrinsicName?: string }).intrinsicName === 'true' };
  return undefined;
}

const comparisons: Partial<Record<ts.SyntaxKind, (a: Literal, b: Literal) => boolean>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: (a, b) => a === b,
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: (a, b) => a !== b,
  [ts.SyntaxKind.EqualsEqualsToken]: (a, b) => a == b,
  [ts.SyntaxKind.ExclamationEqualsToken]: (a, b) => a != b,
  [ts.SyntaxKind.LessThanToken]: (a, b) => (a as number) < (b as number),
  [ts.SyntaxKind.LessThanEqualsToken]: (a, b) => (a as number) <= (b as number),
  [ts.SyntaxKind.GreaterThanToken]: (a, b) => (a as number) > (b as number),
  [ts.SyntaxKind.GreaterThanEqualsToken]: (a, b) => (a as number) >= (b as number),
};

/** `a op b` when both are literals and `op` compares: the literal result. */
export function foldComparison(op: ts.SyntaxKind, a: Atom, b: Atom): Lit | undefined {
  const compare = comparisons[op];
  if (!compare || a.kind !== 'lit' || b.kind !== 'lit') return undefined;
  return { kind: 'lit', value: compare(a.value, b.value) };
}

/**
 * `a && b`, `a || b`, `a ?? b` with a literal left operand: which operand the expression
 * evaluates to (both are free of effects once lowered).
 */
export function foldLogical(op: ts.SyntaxKind, a: Atom): 'left' | 'right' | undefined {
  if (a.kind !== 'lit') return undefined;
  switch (op) {
    case ts.SyntaxKind.AmpersandAmpersandToken:
      return a.value ? 'right' : 'left';
    case ts.SyntaxKind.BarBarToken:
      return a.value ? 'left' : 'right';
    case ts.SyntaxKind.QuestionQuestionToken:
      return a.value === null || a.value === undefined ? 'right' : 'left';
  }
  return undefined;
}
