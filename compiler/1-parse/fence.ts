// The fence: before anything is lowered, every function a request reaches (the entry,
// the functions, methods and cells it calls, transitively) is scanned for syntax tsgrad
// does not differentiate. Each occurrence is a coded diagnostic at its exact span, so
// `tsgrad check` lists them all at once instead of stopping at the first.

import { ts } from 'ts-morph';
import { Diagnostic, DiagnosticCode, diagnosticAt } from '../diagnostics.js';
import { isCellType } from './brands.js';
import { isRuntimeFile } from './project.js';

export function fence(entry: ts.Node, checker: ts.TypeChecker): Diagnostic[] {
  const found: Diagnostic[] = [];
  const seen = new Set<ts.Node>();
  const work: ts.Node[] = [entry];
  while (work.length > 0) {
    const fn = work.pop()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    scanFunction(fn, checker, found, (callee) => work.push(callee));
  }
  return found.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}

function scanFunction(fn: ts.Node, checker: ts.TypeChecker, found: Diagnostic[], reach: (callee: ts.Node) => void): void {
  const report = (code: DiagnosticCode, node: ts.Node, detail?: string) => found.push(diagnosticAt(code, node, detail));
  if (ts.isFunctionLike(fn)) {
    const mods = ts.canHaveModifiers(fn) ? (ts.getModifiers(fn) ?? []) : [];
    if (mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) report('TSG1004', fn, 'an async function');
    if ((fn as ts.FunctionLikeDeclaration).asteriskToken) report('TSG1004', fn, 'a generator');
  }
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return;
  const visit = (node: ts.Node, loopDepth: number): void => {
    if (node !== body && ts.isFunctionLike(node)) {
      // Nested arrows are lowered when called; scan them as part of this function.
      if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return;
      if (node.body) visit(node.body, 0);
      return;
    }
    check(node, loopDepth, report, checker, reach);
    const inner = ts.isIterationStatement(node, false) ? loopDepth + 1 : loopDepth;
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(body, 0);
}

function check(
  node: ts.Node,
  loopDepth: number,
  report: (code: DiagnosticCode, node: ts.Node, detail?: string) => void,
  checker: ts.TypeChecker,
  reach: (callee: ts.Node) => void,
): void {
  if (ts.isTryStatement(node)) report('TSG1003', node);
  else if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) report('TSG1004', node);
  else if (ts.isForInStatement(node)) report('TSG1002', node, 'for…in');
  else if (ts.isReturnStatement(node) && loopDepth > 0) report('TSG1008', node);
  else if (ts.isSwitchStatement(node)) report('TSG1001', node, 'switch (write it as if/else)');
  else if (ts.isLabeledStatement(node)) report('TSG1001', node, 'labeled statements');
  else if (ts.isThrowStatement(node)) report('TSG1001', node, 'throw inside differentiated code');
  else if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) report('TSG1001', node, 'a class declared inside differentiated code');
  else if (ts.isDeleteExpression(node)) report('TSG1006', node, 'delete');
  else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') report('TSG1005', node);
  else if (ts.isCallExpression(node)) {
    if (ts.isIdentifier(node.expression) && node.expression.text === 'eval') report('TSG1005', node);
    else if (mutates(node, checker)) report('TSG1006', node, `${node.expression.getText()}(…), which changes state the gradient reads`);
    else reachCallee(node, checker, reach);
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
    checkWrite(node.left, report, checker);
  } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
    checkWrite(node.operand, report, checker);
  }
}

/** Writes may only go to local variables (not fields, elements or module state). */
function checkWrite(target: ts.Expression, report: (code: DiagnosticCode, node: ts.Node, detail?: string) => void, checker: ts.TypeChecker): void {
  if (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) {
    report('TSG1006', target, `assignment to ${target.getText()}`);
    return;
  }
  if (ts.isIdentifier(target)) {
    const sym = checker.getSymbolAtLocation(target);
    const decl = sym?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent)) {
      report('TSG1006', target, `assignment to the module-level ${target.text}`);
    }
  }
}

/**
 * True for a call of a runtime method that changes state in place (`param.assign(v)`,
 * `optimizer(grads)`, `optimizer.step(grads)`): the runtime marks them `@mutates`. Run
 * inside differentiated code they would change a Parameter under the gradient's feet.
 */
function mutates(call: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  return declaration !== undefined && ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'mutates');
}

/** Follows a call to the function, method or cell whose body the lowerer will inline. */
function reachCallee(call: ts.CallExpression, checker: ts.TypeChecker, reach: (callee: ts.Node) => void): void {
  const calleeType = checker.getTypeAtLocation(call.expression);
  if (isCellType(checker, calleeType)) {
    const decl = checker.getPropertyOfType(calleeType, 'construct')?.valueDeclaration;
    if (decl && !isRuntimeFile(decl.getSourceFile().fileName)) reach(decl);
    return;
  }
  let sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  const decl = sym?.valueDeclaration;
  if (!decl || isRuntimeFile(decl.getSourceFile().fileName) || decl.getSourceFile().isDeclarationFile) return;
  if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) reach(decl);
  else if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) reach(decl.initializer);
}
