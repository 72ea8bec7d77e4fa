// What a TypeScript type is to tsgrad, read from brands the runtime puts on its types
// (`__tsgradTensor`, `__tsgradParameter`, `__tsgradCell`, `primitive`, `__tsgradApi`).
// Resolving by type, not by spelling, makes renamed imports and aliases work.

import { ts } from 'ts-morph';

function hasProperty(checker: ts.TypeChecker, type: ts.Type, name: string): boolean {
  return checker.getPropertyOfType(checker.getApparentType(type), name) !== undefined;
}

function literalProperty(checker: ts.TypeChecker, type: ts.Type, name: string, at: ts.Node): string | undefined {
  const prop = checker.getPropertyOfType(checker.getApparentType(type), name);
  if (!prop) return undefined;
  const propType = checker.getTypeOfSymbolAtLocation(prop, at);
  return propType.isStringLiteral() ? propType.value : undefined;
}

export function isTensorType(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasProperty(checker, type, '__tsgradTensor');
}

export function isParameterType(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasProperty(checker, type, '__tsgradParameter');
}

export function isCellType(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasProperty(checker, type, '__tsgradCell');
}

export function isNumberType(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.NumberLike) !== 0;
}

/** The registry name of a primitive op function or primitive object, if `type` is one. */
export function primitiveName(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string | undefined {
  if (type.getCallSignatures().length === 0) return undefined;
  return literalProperty(checker, type, 'primitive', at);
}

/** Which differentiation API (`grad`, `valueAndGrad`, …) a callee is, if any. */
export function gradApiName(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string | undefined {
  return literalProperty(checker, type, '__tsgradApi', at);
}
