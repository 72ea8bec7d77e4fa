// Finds what the program asks to differentiate: every call of `grad`/`valueAndGrad` and
// of the derivative family (`jvp`, `vjp`, `jacfwd`, `jacrev`, `hessian`), resolved by
// type however it was imported, what it is applied to (a Cell, a function, or another
// gradient function for higher orders) and the request written in its options literal.
// Also every `jit` call: a forward to compile. `jit(f)` computes what `f` computes, so a
// derivative of `jit(f)` is the derivative of `f`.

import { ts } from 'ts-morph';
import { fail } from '../diagnostics.js';
import { gradApiName, isCellType } from './brands.js';

export type Api = 'grad' | 'valueAndGrad' | 'jit' | DerivativeApi;
/** The derivative family (runtime/derivatives.ts); compiled by compiler/derivatives.ts. */
export type DerivativeApi = 'jvp' | 'vjp' | 'jacfwd' | 'jacrev' | 'hessian';
const derivativeApis: readonly string[] = ['jvp', 'vjp', 'jacfwd', 'jacrev', 'hessian'];

export function isDerivativeApi(api: Api): api is DerivativeApi {
  return derivativeApis.includes(api);
}

export interface GradRequest {
  /** As written: a number, an array of numbers, or null. */
  readonly gradPosition: number | readonly number[] | null;
  readonly weights: boolean;
  readonly hasAux: boolean;
}

export type Target =
  | { readonly kind: 'cell'; readonly type: ts.Type; readonly construct: ts.MethodDeclaration; readonly className: string }
  | { readonly kind: 'function'; readonly decl: ts.SignatureDeclaration; readonly name: string }
  /** The gradient function made by another call site: a higher order. */
  | { readonly kind: 'grad'; readonly inner: CallSite };

export interface CallSite {
  readonly call: ts.CallExpression;
  readonly api: Api;
  readonly target: Target;
  readonly request: GradRequest;
}

/** Every differentiation call site in `sf`, outermost calls included once each. */
export function locateCallSites(sf: ts.SourceFile, checker: ts.TypeChecker): CallSite[] {
  const sites: CallSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && apiOf(node, checker)) sites.push(callSite(node, checker));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

function apiOf(call: ts.CallExpression, checker: ts.TypeChecker): Api | undefined {
  const name = gradApiName(checker, checker.getTypeAtLocation(call.expression), call.expression);
  return name === 'grad' || name === 'valueAndGrad' || name === 'jit' || (name !== undefined && derivativeApis.includes(name)) ? (name as Api) : undefined;
}

/** A call of `grad`/`valueAndGrad`: its result is a gradient function (a higher-order target). */
function isGradCall(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const api = apiOf(call, checker);
  return api === 'grad' || api === 'valueAndGrad';
}

/** A call of `jit` with its argument: a target seen through (`grad(jit(f))` is `grad(f)`). */
function isJitCall(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  return call.arguments.length > 0 && apiOf(call, checker) === 'jit';
}

export function callSite(call: ts.CallExpression, checker: ts.TypeChecker): CallSite {
  const api = apiOf(call, checker)!;
  const [fnArg, optionsArg] = call.arguments;
  if (!fnArg) fail('TSG2004', call, `${api}() needs the Cell or function to differentiate`);
  if (api === 'jit') return jitSite(call, checker);
  if (api === 'jvp' || api === 'vjp') return { call, api, target: target(fnArg, checker), request: { gradPosition: null, weights: false, hasAux: false } };
  const req = request(optionsArg);
  if (isDerivativeApi(api) && req.weights) fail('TSG3011', optionsArg!, `${api} differentiates inputs only (weights)`);
  return { call, api, target: target(fnArg, checker), request: req };
}

/** A `jit` call: one argument, a Cell or a function (not a gradient function, compiled already). */
function jitSite(call: ts.CallExpression, checker: ts.TypeChecker): CallSite {
  if (call.arguments.length > 1) fail('TSG3012', call.arguments[1], 'jit takes one argument, the Cell or function to compile');
  const compiled = target(call.arguments[0], checker);
  if (compiled.kind === 'grad') fail('TSG3012', call.arguments[0], `jit of a ${compiled.inner.api} result`);
  return { call, api: 'jit', target: compiled, request: { gradPosition: null, weights: false, hasAux: false } };
}

function target(e: ts.Expression, checker: ts.TypeChecker): Target {
  const type = checker.getTypeAtLocation(e);
  if (isCellType(checker, type)) {
    const prop = checker.getPropertyOfType(type, 'construct');
    const decl = prop?.valueDeclaration;
    if (!decl || !ts.isMethodDeclaration(decl) || !decl.body) {
      fail('TSG2003', e, `${checker.typeToString(type)} has no readable construct`);
    }
    const className = ts.isClassDeclaration(decl.parent) && decl.parent.name ? decl.parent.name.text : checker.typeToString(type);
    return { kind: 'cell', type, construct: decl, className };
  }
  const inner = unwrap(e);
  if (ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)) return { kind: 'function', decl: inner, name: 'anonymous' };
  if (ts.isCallExpression(inner) && isGradCall(inner, checker)) return { kind: 'grad', inner: callSite(inner, checker) };
  if (ts.isCallExpression(inner) && isJitCall(inner, checker)) return target(inner.arguments[0], checker);
  if (ts.isIdentifier(inner)) {
    let sym = checker.getSymbolAtLocation(inner);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isFunctionDeclaration(decl) && decl.body) return { kind: 'function', decl, name: decl.name?.text ?? inner.text };
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && (decl.parent.flags & ts.NodeFlags.Const) !== 0) {
      const init = unwrap(decl.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { kind: 'function', decl: init, name: inner.text };
      if (ts.isCallExpression(init) && isGradCall(init, checker)) return { kind: 'grad', inner: callSite(init, checker) };
      if (ts.isCallExpression(init) && isJitCall(init, checker)) return target(init.arguments[0], checker);
    }
  }
  return fail('TSG2004', e, e.getText());
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function request(options: ts.Expression | undefined): GradRequest {
  const out = { gradPosition: 0 as number | readonly number[] | null, weights: false, hasAux: false };
  if (!options || options.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(options) && options.text === 'undefined')) return out;
  const literal = unwrap(options);
  if (!ts.isObjectLiteralExpression(literal)) fail('TSG3004', options, options.getText());
  for (const prop of literal.properties) {
    if (!ts.isPropertyAssignment(prop) || !ts.isIdentifier(prop.name)) fail('TSG3004', prop, prop.getText());
    const value = unwrap(prop.initializer);
    switch (prop.name.text) {
      case 'gradPosition':
        out.gradPosition = positions(value);
        break;
      case 'weights':
        out.weights = !(value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined'));
        break;
      case 'hasAux':
        if (value.kind === ts.SyntaxKind.TrueKeyword) out.hasAux = true;
        else if (value.kind === ts.SyntaxKind.FalseKeyword) out.hasAux = false;
        else fail('TSG3005', value, value.getText());
        break;
      default:
        fail('TSG3004', prop.name, `unknown option ${prop.name.text} (expected gradPosition, weights, hasAux)`);
    }
  }
  if (out.gradPosition === null && !out.weights) fail('TSG3003', options);
  return out;
}

function positions(value: ts.Expression): number | readonly number[] | null {
  if (value.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isNumericLiteral(value)) return Number(value.text);
  if (ts.isArrayLiteralExpression(value) && value.elements.every((el) => ts.isNumericLiteral(el))) {
    return value.elements.map((el) => Number((el as ts.NumericLiteral).text));
  }
  return fail('TSG3002', value, value.getText());
}

/** `gradPosition` as a list. */
export function positionList(request: GradRequest): readonly number[] {
  const gp = request.gradPosition;
  return gp === null ? [] : typeof gp === 'number' ? [gp] : gp;
}
