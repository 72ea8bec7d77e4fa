// Lowers TypeScript to the IR. Calls to cells, methods and program functions are
// inlined, so the result is one closed function over its params and object roots.
// Values that only exist at compile time (tuples of values, objects such as cells,
// functions) stay in the lowerer's scope; only tensors, numbers and other run-time
// values become IR variables. Anything this file does not know how to lower is a
// coded diagnostic at its exact span, never a silent constant.

import path from 'node:path';
import { ts } from 'ts-morph';
import { fail } from '../diagnostics.js';
import { Atom, ClassRef, Expr, Func, Loc, Param, Root, Stmt, Ty, lit, numberTy, otherTy, tensorTy, v } from '../ir/nodes.js';
import { Namer } from '../ir/namer.js';
import { gradApiName, isCellType, isNumberType, isParameterType, isTensorType, primitiveName } from './brands.js';
import { mathPrimitive, operatorPrimitive, unaryPrimitive } from './number-syntax.js';
import { inlineJvp } from '../3-differentiate/forward-inline.js';
import { InlinedGrad, ReverseInlineError, inlineGrad } from '../3-differentiate/reverse-inline.js';
import { callSite, positionList } from './locate.js';
import { ForwardModeError, tangentFunctionsInto } from '../3-differentiate/forward.js';
import { foldComparison, foldLogical, unitValue } from './constants.js';

/** A value while lowering. Only `atom` values exist at run time in the IR. */
export type Value =
  | { readonly kind: 'atom'; readonly atom: Atom; readonly ty: Ty }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'object'; readonly root: string; readonly path: readonly string[]; readonly type: ts.Type }
  | { readonly kind: 'function'; readonly decl: ts.SignatureDeclaration; readonly scope: Scope; readonly thisValue?: Value }
  | { readonly kind: 'primitive'; readonly op: string }
  /** An object literal of values (`{ loss, logits }`), known at compile time. */
  | { readonly kind: 'record'; readonly props: ReadonlyMap<string, Value> }
  /** `grad(g, options)` or `valueAndGrad(g, options)` in differentiated code: inlined where it is called. */
  | { readonly kind: 'gradient'; readonly call: ts.CallExpression; readonly fn: Value };

type Scope = Map<ts.Symbol, Value>;

/** What is being lowered: a Cell's construct, a function, or generated code. */
export type Entry =
  | { readonly kind: 'cell'; readonly type: ts.Type; readonly construct: ts.MethodDeclaration; readonly name: string }
  | { readonly kind: 'function'; readonly decl: ts.SignatureDeclaration; readonly name: string; readonly scope?: Scope }
  /**
   * A generated gradient function whose first parameter is the network (`self`); `captures`:
   * where the locals it reads from `env` are declared (the env root of the code it was made from).
   */
  | { readonly kind: 'generated'; readonly decl: ts.FunctionDeclaration; readonly name: string; readonly selfParam: boolean; readonly captures?: ReadonlyMap<string, Loc> };

interface FnContext {
  readonly decl: ts.Node;
  /** Join targets for a function with several returns; created at the first return. */
  result?: Value;
  /** Where to insert the result join declarations. */
  readonly declareAt: { block: Stmt[]; index: number };
  readonly multipleReturns: boolean;
  thisValue?: Value;
}

/**
 * Thrown inside a branch whose path cannot be compiled (a call dispatched on a run-time
 * class): the path becomes a run-time error and the other branch's values carry on.
 */
class Terminated {
  constructor(readonly message: string) {}
}

/** Marks the end of a loop body in a statement list (where a for's update runs). */
const LOOP_END = { kind: ts.SyntaxKind.EmptyStatement } as unknown as ts.Statement;

type MutableLet = { -readonly [K in keyof Extract<Stmt, { kind: 'let' }>]: Extract<Stmt, { kind: 'let' }>[K] };

export class Lowerer {
  /** The namer of the function being lowered (the entry, or a recursive function's own). */
  private namer = new Namer();
  /** Every function's namer: root names must be free in all of them. */
  private readonly namers: Namer[] = [this.namer];
  /** Recursive functions lowered on their own, by declaration (and `this` object). */
  private readonly recursive = new Map<ts.Node, { readonly name: string; readonly thisKey: string; readonly ty: Ty }[]>();
  /** Recursive functions being lowered (a call on another object inside one is a chain). */
  private readonly loweringRecursive = new Set<ts.Node>();
  private readonly functions: Func[] = [];
  private readonly functionNames = new Namer();
  private readonly roots = new Map<string, Root>();
  private readonly rootOf = new Map<ts.Symbol, string>();
  private block: Stmt[] = [];
  /** The functions being inlined, innermost last, with the object each runs on. */
  private inlining: { readonly decl: ts.Node; readonly thisKey: string }[] = [];
  /** How many branches deep the lowerer is; a path can only be cut off inside one. */
  private branchDepth = 0;
  /** Enclosing loops, innermost last: what `continue` must still run (a for's update). */
  private loops: { readonly update?: ts.Expression | (() => void); readonly scope: Scope }[] = [];
  /** Variables carried around a loop: reassigned in place, read through snapshots. */
  private loopCarried = new Set<string>();
  /** How many loops enclosed each local's declaration (arrays may only grow at that depth). */
  private readonly declaredInLoops = new Map<ts.Symbol, number>();
  private currentLoc: Loc | undefined;

  /**
   * `originOf` maps a line of generated code that is read back (higher orders) to the
   * user's line it came from, so comments and source maps keep pointing at user code.
   */
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly originOf: (file: string, line: number) => Loc | undefined = () => undefined,
  ) {}

  /** True while lowering generated code read back for a higher order. */
  private readingGenerated = false;
  /** Tapes of generated loop code read back: the run-time arrays `store` may write. */
  private readonly tapes = new Set<string>();
  /** Loop counters and tapes of grad called inside (reverse-inline.ts), made at the top of the entry. */
  private entryPrologue: Stmt[] = [];
  /** How deep the lowerer is inside jvp's and grad's inlined functions (transformed on their own). */
  private inlinedDerivatives = 0;

  lower(entry: Entry): Func {
    this.readingGenerated = entry.kind === 'generated';
    const body: Stmt[] = [];
    this.block = body;
    this.entryPrologue = [];
    const scope: Scope = new Map(entry.kind === 'function' ? entry.scope : undefined);
    const params: Param[] = [];
    let decl: ts.SignatureDeclaration;
    let thisValue: Value | undefined;
    if (entry.kind === 'cell') {
      decl = entry.construct;
      this.roots.set('self', { name: this.namer.claim('self'), kind: 'self', classRef: classRefOf(entry.type), isCell: true });
      thisValue = { kind: 'object', root: 'self', path: [], type: entry.type };
    } else {
      decl = entry.decl;
    }
    const declParams = [...decl.parameters];
    if (entry.kind === 'generated' && entry.selfParam) {
      const selfDecl = declParams.shift()!;
      const type = this.checker.getTypeAtLocation(selfDecl);
      this.roots.set('self', { name: this.namer.claim('self'), kind: 'self', classRef: classRefOf(type), isCell: isCellType(this.checker, type) });
      scope.set(this.symbolOf(selfDecl.name), { kind: 'object', root: 'self', path: [], type });
    }
    if (entry.kind === 'generated' && declParams[0] && ts.isIdentifier(declParams[0].name) && declParams[0].name.text === 'env') {
      // Generated code receives captured values as `env`: it stays the environment root.
      const envDecl = declParams.shift()!;
      this.envRoot(entry.captures);
      scope.set(this.symbolOf(envDecl.name), { kind: 'object', root: 'env', path: [], type: this.checker.getTypeAtLocation(envDecl) });
    }
    for (const p of declParams) params.push(this.lowerParam(p, scope));
    const result = this.lowerBody(decl, scope, thisValue);
    const atom = this.atomize(result, decl);
    body.unshift(...this.entryPrologue);
    const sf = decl.getSourceFile();
    const roots = [...this.roots.values()];
    return {
      name: entry.name,
      roots,
      params,
      body,
      result: atom.atom,
      resultTy: atom.ty,
      origin: { file: sf.fileName, name: entry.name, line: sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1 },
      ...(this.functions.length > 0 ? { functions: this.functions.map((f) => ({ ...f, roots })) } : {}),
    };
  }

  // ---------------------------------------------------------------- parameters, bodies

  private lowerParam(p: ts.ParameterDeclaration, scope: Scope): Param {
    if (!ts.isIdentifier(p.name)) fail('TSG1001', p.name, 'destructured parameters of a differentiated function');
    if (p.dotDotDotToken) fail('TSG1001', p, 'rest parameters of a differentiated function');
    const type = this.checker.getTypeAtLocation(p);
    const ty = this.tyOf(type);
    const name = this.namer.fresh(p.name.text);
    scope.set(this.symbolOf(p.name), { kind: 'atom', atom: v(name), ty });
    return { name, ty, tsType: p.type ? p.type.getText() : this.typeText(type, p) };
  }

  private lowerBody(decl: ts.SignatureDeclaration, scope: Scope, thisValue: Value | undefined): Value {
    const body = (decl as ts.FunctionLikeDeclaration).body;
    if (!body) fail('TSG2003', decl, 'a declaration without a body');
    this.checkFunctionKind(decl);
    this.inlining.push({ decl, thisKey: thisKeyOf(thisValue) });
    try {
      if (!ts.isBlock(body)) {
        this.at(body);
        return this.expr(body, scope, { decl, declareAt: { block: this.block, index: this.block.length }, multipleReturns: false, thisValue });
      }
      const returns = countReturns(body);
      const ctx: FnContext = {
        decl,
        declareAt: { block: this.block, index: this.block.length },
        multipleReturns: returns > 1 || (returns === 1 && !ts.isReturnStatement(body.statements[body.statements.length - 1] ?? body)),
        thisValue,
      };
      this.statements([...body.statements], scope, ctx);
      if (!ctx.result) return { kind: 'atom', atom: lit(undefined), ty: otherTy };
      return ctx.result;
    } finally {
      this.inlining.pop();
    }
  }

  private checkFunctionKind(decl: ts.SignatureDeclaration): void {
    const mods = ts.canHaveModifiers(decl) ? ts.getModifiers(decl) ?? [] : [];
    if (mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) fail('TSG1004', decl, `async ${nameOf(decl)}`);
    if ((decl as ts.FunctionLikeDeclaration).asteriskToken) fail('TSG1004', decl, `generator ${nameOf(decl)}`);
  }

  // ---------------------------------------------------------------- statements

  /** Lowers a statement list; a statement after a return in the same list is dead. */
  private statements(list: ts.Statement[], scope: Scope, ctx: FnContext): 'normal' | 'returned' | 'terminated' {
    try {
      return this.statementList(list, scope, ctx);
    } catch (e) {
      if (!(e instanceof Terminated)) throw e;
      this.block.push({ kind: 'effect', expr: { kind: 'js', template: `throw new Error(${JSON.stringify(e.message)})`, args: [] }, loc: this.currentLoc });
      return 'terminated';
    }
  }

  private statementList(list: ts.Statement[], scope: Scope, ctx: FnContext): 'normal' | 'returned' {
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (s === LOOP_END) {
        this.runUpdate(scope, ctx);
        continue;
      }
      this.at(s);
      if (ts.isBlock(s)) {
        // Blocks are spliced: scoping is by symbol, so names cannot clash.
        list = [...list.slice(0, i), ...s.statements, ...list.slice(i + 1)];
        i--;
        continue;
      }
      if (ts.isIfStatement(s)) {
        const cond = this.condition(s.expression, scope, ctx);
        if (cond.kind === 'lit') {
          // Known at compile time (a literal-typed field): only the branch taken is lowered.
          const taken = cond.value ? s.thenStatement : s.elseStatement;
          list = [...list.slice(0, i), ...(taken ? [taken] : []), ...list.slice(i + 1)];
          i--;
          continue;
        }
        if (containsReturn(s) || containsJump(s)) {
          // Lower the rest of the list into each branch that falls through, so that every
          // path ends in its own return and no flag is needed.
          this.ifWithReturn(s, cond, list.slice(i + 1), scope, ctx);
          return 'returned';
        }
        this.ifStatement(s, cond, scope, ctx);
        continue;
      }
      if (this.statement(s, scope, ctx) === 'returned') return 'returned';
    }
    return 'normal';
  }

  private statement(s: ts.Statement, scope: Scope, ctx: FnContext): 'normal' | 'returned' {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) this.variable(d, scope, ctx);
      return 'normal';
    }
    if (ts.isReturnStatement(s)) {
      const value = s.expression ? this.expr(s.expression, scope, ctx) : ({ kind: 'atom', atom: lit(undefined), ty: otherTy } as Value);
      this.returnValue(value, s, ctx);
      return 'returned';
    }
    if (ts.isExpressionStatement(s)) {
      this.expressionStatement(s.expression, scope, ctx);
      return 'normal';
    }
    if (ts.isEmptyStatement(s)) return 'normal';
    if (ts.isTryStatement(s)) fail('TSG1003', s);
    if (ts.isForStatement(s) || ts.isWhileStatement(s) || ts.isDoStatement(s)) {
      this.loop(s, scope, ctx);
      return 'normal';
    }
    if (ts.isForOfStatement(s)) {
      this.forOf(s, scope, ctx);
      return 'normal';
    }
    if (ts.isForInStatement(s)) fail('TSG1002', s, 'for…in');
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      this.jump(s, scope, ctx);
      return 'returned';
    }
    if (ts.isLabeledStatement(s)) fail('TSG1001', s, 'labeled statements');
    if (ts.isFunctionDeclaration(s) && s.name) {
      scope.set(this.symbolOf(s.name), { kind: 'function', decl: s, scope });
      return 'normal';
    }
    return fail('TSG1001', s, describeSyntax(s));
  }

  // ---------------------------------------------------------------- loops

  /**
   * `for`, `while`, `do…while`. Variables the loop reassigns become mutable IR variables
   * assigned in place and read through snapshots (so reverse mode can tape each read).
   * `continue` runs the update and ends the path; `break` leaves the loop; statements
   * after a conditional jump are lowered into the paths that do not jump.
   */
  private loop(s: ts.ForStatement | ts.WhileStatement | ts.DoStatement, scope: Scope, ctx: FnContext): void {
    if (containsReturn(s)) fail('TSG1008', s);
    if (ts.isForStatement(s) && s.initializer) {
      if (ts.isVariableDeclarationList(s.initializer)) {
        for (const d of s.initializer.declarations) this.variable(d, scope, ctx);
      } else this.expressionStatement(s.initializer, scope, ctx);
    }
    for (const sym of assignedSymbols(s, this.checker)) if (scope.has(sym)) this.carry(sym, scope, s);
    const condition = ts.isForStatement(s) ? s.condition : s.expression;
    const head = this.inBlock(() => (condition ? this.condition(condition, scope, ctx) : lit(true)));
    const update = ts.isForStatement(s) ? s.incrementor : undefined;
    this.loops.push({ update, scope });
    // LOOP_END runs the update at the end of every path that reaches the end of the body.
    const body = this.inBlock(() => this.inBranch(() => this.statements([s.statement, LOOP_END], new Map(scope), ctx)));
    this.loops.pop();
    this.block.push({ kind: 'loop', head: head.stmts, cond: head.result, body: body.stmts, testFirst: !ts.isDoStatement(s), loc: this.locOf(s) });
  }

  /** Makes `sym` a loop-carried mutable variable holding its current value. */
  private carry(sym: ts.Symbol, scope: Scope, node: ts.Node): void {
    const current = scope.get(sym)!;
    if (current.kind !== 'atom') fail('TSG2005', node, `${sym.getName()} holds ${describeValue(current)} and is reassigned in a loop`);
    if (current.atom.kind === 'var' && this.loopCarried.has(current.atom.name)) return;
    const name = this.namer.fresh(sym.getName());
    if (current.atom.kind === 'lit' && current.atom.value === undefined && current.ty.kind !== 'other') {
      // Declared without a value (generated code's `let y!: Tensor`): the loop assigns it first.
      this.block.push({ kind: 'declare', name, ty: current.ty, partial: true });
    } else {
      this.block.push({ kind: 'declare', name, ty: current.ty });
      this.block.push({ kind: 'assign', name, value: current.atom, loc: this.currentLoc });
    }
    this.loopCarried.add(name);
    scope.set(sym, { kind: 'atom', atom: v(name), ty: current.ty });
  }

  private jump(s: ts.BreakStatement | ts.ContinueStatement, scope: Scope, ctx: FnContext): void {
    if (s.label) fail('TSG1001', s, 'labeled break/continue');
    const loop = this.loops[this.loops.length - 1];
    if (!loop) fail('TSG1001', s, `${s.getText()} outside a loop`);
    if (ts.isBreakStatement(s)) {
      this.block.push({ kind: 'break' });
      return;
    }
    this.runUpdate(scope, ctx);
  }

  /** The innermost loop's update (a for's incrementor, or a for…of's index step). */
  private runUpdate(scope: Scope, ctx: FnContext): void {
    const update = this.loops[this.loops.length - 1]?.update;
    if (typeof update === 'function') update();
    else if (update) this.expressionStatement(update, scope, ctx);
  }

  /**
   * `for (const x of xs)` over values whose count the compiler knows (an array literal,
   * a tuple, a tuple-typed field of cells) is unrolled.
   */
  private forOf(s: ts.ForOfStatement, scope: Scope, ctx: FnContext): void {
    if (containsReturn(s)) fail('TSG1008', s);
    const iterable = this.expr(s.expression, scope, ctx);
    if (iterable.kind === 'atom' && iterable.ty.kind === 'numbers') return this.forOfNumbers(s, iterable.atom, scope, ctx);
    if (containsJump(s.statement)) fail('TSG1001', s, 'break/continue in a for…of that is unrolled');
    const items = this.itemsOf(iterable, s.expression);
    const decl = s.initializer;
    if (!ts.isVariableDeclarationList(decl) || decl.declarations.length !== 1) fail('TSG1001', s.initializer, 'for…of without a single const declaration');
    for (const item of items) {
      const inner = new Map(scope);
      this.bindPattern(decl.declarations[0].name, item, inner);
      if (this.statements([s.statement], inner, ctx) !== 'normal') fail('TSG1001', s, 'a jump in an unrolled for…of');
      for (const [sym] of scope) scope.set(sym, inner.get(sym)!);
    }
  }

  /** `for (const x of xs)` over a run-time number[]: an index loop. */
  private forOfNumbers(s: ts.ForOfStatement, array: Atom, scope: Scope, ctx: FnContext): void {
    const decl = s.initializer;
    if (!ts.isVariableDeclarationList(decl) || decl.declarations.length !== 1) fail('TSG1001', s.initializer, 'for…of without a single const declaration');
    for (const sym of assignedSymbols(s.statement, this.checker)) if (scope.has(sym)) this.carry(sym, scope, s);
    const index = this.namer.fresh('i');
    this.block.push({ kind: 'declare', name: index, ty: numberTy }, { kind: 'assign', name: index, value: lit(0) });
    this.loopCarried.add(index);
    const readIndex = (): Atom => {
      const name = this.namer.fresh('i');
      this.block.push({ kind: 'let', name, ty: numberTy, expr: { kind: 'copy', value: v(index) } });
      return v(name);
    };
    const head = this.inBlock(() => {
      const i = readIndex();
      const test = this.js('$0 < $1.length', [{ kind: 'atom', atom: i, ty: numberTy }, { kind: 'atom', atom: array, ty: { kind: 'numbers' } }], otherTy, s);
      return (test as { atom: Atom }).atom;
    });
    const update = () => {
      const i = readIndex();
      const next = this.namer.tmp();
      this.block.push({ kind: 'let', name: next, ty: numberTy, expr: { kind: 'js', template: '$0 + 1', args: [i] } });
      this.block.push({ kind: 'assign', name: index, value: v(next) });
    };
    this.loops.push({ update, scope });
    const body = this.inBlock(() =>
      this.inBranch(() => {
        const inner = new Map(scope);
        const i = readIndex();
        const item = this.namer.fresh('x');
        this.block.push({ kind: 'let', name: item, ty: numberTy, expr: { kind: 'elem', array, index: i }, loc: this.locOf(s) });
        this.bindPattern(decl.declarations[0].name, { kind: 'atom', atom: v(item), ty: numberTy }, inner);
        return this.statements([s.statement, LOOP_END], inner, ctx);
      }),
    );
    this.loops.pop();
    this.block.push({ kind: 'loop', head: head.stmts, cond: head.result, body: body.stmts, testFirst: true, loc: this.locOf(s) });
  }

  private itemsOf(value: Value, node: ts.Expression): readonly Value[] {
    if (value.kind === 'tuple') return value.items;
    if (value.kind === 'object' && this.checker.isTupleType(value.type)) {
      const types = this.checker.getTypeArguments(value.type as ts.TypeReference);
      return types.map((type, i) => {
        const path = [...value.path, String(i)];
        if (isTensorType(this.checker, type) || isNumberType(type)) return this.fieldRead(value.root, path, type, node);
        return { kind: 'object', root: value.root, path, type } as Value;
      });
    }
    return fail('TSG1002', node, 'for…of over an array whose length the compiler cannot see; use a tuple type or an index loop');
  }

  private variable(d: ts.VariableDeclaration, scope: Scope, ctx: FnContext): void {
    if (this.readingGenerated && this.tape(d, scope)) return;
    if (!d.initializer) {
      if (!ts.isIdentifier(d.name)) fail('TSG1001', d, 'destructuring without an initializer');
      // Generated code declares values before the loops that assign them (`let y!: Tensor`).
      const ty = this.readingGenerated ? this.tyOf(this.checker.getTypeAtLocation(d.name)) : otherTy;
      scope.set(this.symbolOf(d.name), { kind: 'atom', atom: lit(undefined), ty });
      return;
    }
    const value = this.expr(d.initializer, scope, ctx);
    this.bindPattern(d.name, value, scope);
  }

  /**
   * A loop's tape in generated code read back (`([] as Tensor[])`, `takeTape()`, an
   * adjoint's `zerosTape(tape)` or `zerosArray(xs.length)`): a run-time
   * array that `store`s write and `elem`s read, which the next order differentiates.
   */
  private tape(d: ts.VariableDeclaration, scope: Scope): boolean {
    if (!d.initializer || !ts.isIdentifier(d.name)) return false;
    const type = this.checker.getTypeAtLocation(d.name);
    if (!this.checker.isArrayType(type)) return false;
    const item = this.checker.getTypeArguments(type as ts.TypeReference)[0];
    const ty: Ty = isTensorType(this.checker, item) ? { kind: 'tensors' } : isNumberType(item) ? { kind: 'numbers' } : otherTy;
    let init: ts.Expression = d.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init)) init = init.expression;
    const fresh = `([] as ${ty.kind === 'tensors' ? 'Tensor' : ty.kind === 'numbers' ? 'number' : 'any'}[])`;
    let template: string;
    let args: Atom[] = [];
    const arrayArg = (a: ts.Expression | undefined): Atom | undefined => {
      const value = a && ts.isIdentifier(a) ? scope.get(this.symbolOf(a)) : undefined;
      return value?.kind === 'atom' ? value.atom : undefined;
    };
    const callee = ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? init.expression.text : undefined;
    if (ts.isArrayLiteralExpression(init) && init.elements.length === 0) template = fresh;
    else if (callee === 'takeTape') template = fresh;
    else if (callee === 'zerosTape' && arrayArg((init as ts.CallExpression).arguments[0])) {
      template = 'zerosTape($0)';
      args = [arrayArg((init as ts.CallExpression).arguments[0])!];
    } else {
      // zerosArray(xs.length)
      const length = callee === 'zerosArray' ? (init as ts.CallExpression).arguments[0] : undefined;
      const array = length && ts.isPropertyAccessExpression(length) && length.name.text === 'length' ? arrayArg(length.expression) : undefined;
      if (!array) return false;
      template = 'zerosArray($0.length)';
      args = [array];
    }
    const name = this.namer.fresh(d.name.text);
    this.block.push({ kind: 'let', name, ty, expr: { kind: 'js', template, args }, loc: this.locOf(d) });
    this.tapes.add(name);
    scope.set(this.symbolOf(d.name), { kind: 'atom', atom: v(name), ty });
    return true;
  }

  private bindPattern(name: ts.BindingName, value: Value, scope: Scope): void {
    if (ts.isIdentifier(name)) {
      const sym = this.symbolOf(name);
      this.declaredInLoops.set(sym, this.loops.length);
      scope.set(sym, this.named(value, name.text, scope));
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      for (const el of name.elements) {
        if (el.dotDotDotToken) fail('TSG1001', el, 'rest elements in destructuring');
        const key = el.propertyName ?? el.name;
        if (!ts.isIdentifier(key)) fail('TSG1001', el, 'computed keys in destructuring');
        this.bindPattern(el.name, this.propOf(value, key.text, el), scope);
      }
      return;
    }
    if (ts.isArrayBindingPattern(name)) {
      name.elements.forEach((el, i) => {
        if (ts.isOmittedExpression(el)) return;
        if (el.dotDotDotToken) fail('TSG1001', el, 'rest elements in destructuring');
        this.bindPattern(el.name, this.itemOf(value, i, el), scope);
      });
      return;
    }
    fail('TSG1001', name, 'this destructuring pattern');
  }

  private propOf(value: Value, key: string, node: ts.Node): Value {
    if (value.kind === 'record') {
      const prop = value.props.get(key);
      if (!prop) fail('TSG2002', node, `property ${key} of an object literal that has no such property`);
      return prop;
    }
    return fail('TSG2002', node, `property ${key} of ${describeValue(value)}`);
  }

  /** Gives the temporary that computed `value` the source name it is bound to. */
  private named(value: Value, name: string, scope: Scope): Value {
    if (value.kind !== 'atom' || value.atom.kind !== 'var') return value;
    const last = this.block[this.block.length - 1];
    if (last?.kind === 'let' && last.name === value.atom.name && this.namer.isTemp(last.name)) {
      const renamed = this.namer.fresh(name);
      (last as MutableLet).name = renamed;
      // Generated code read back names values `t20` too: a variable already bound to it follows.
      for (const [sym, bound] of scope) if (bound.kind === 'atom' && bound.atom.kind === 'var' && bound.atom.name === value.atom.name) scope.set(sym, { ...bound, atom: v(renamed) });
      return { kind: 'atom', atom: v(renamed), ty: value.ty };
    }
    return value;
  }

  private expressionStatement(e: ts.Expression, scope: Scope, ctx: FnContext): void {
    if (ts.isBinaryExpression(e) && isAssignment(e.operatorToken.kind)) {
      this.assignment(e, scope, ctx);
      return;
    }
    if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken) {
        const target = e.operand;
        const current = this.expr(target, scope, ctx);
        const op = e.operator === ts.SyntaxKind.PlusPlusToken ? 'add' : 'sub';
        this.store(target, this.prim(op, [current, this.literal(1)], numberTy, e), scope);
        return;
      }
    }
    // A tape goes back to the pool at the end of generated code; read back, it is a plain array.
    if (this.readingGenerated && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'giveTape') return;
    if (ts.isCallExpression(e) && this.isEffectCall(e)) {
      const args = e.arguments.map((a) => this.atomize(this.expr(a, scope, ctx), a).atom);
      this.block.push({ kind: 'effect', expr: { kind: 'js', template: `${e.expression.getText()}(${args.map((_, i) => `$${i}`).join(', ')})`, args }, loc: this.currentLoc });
      return;
    }
    this.expr(e, scope, ctx);
  }

  private isEffectCall(e: ts.CallExpression): boolean {
    const text = e.expression.getText();
    if (text === 'console.log' || text === 'console.error') return true;
    const sym = this.resolveSymbol(e.expression);
    return sym?.getName() === 'print' && (sym.valueDeclaration?.getSourceFile().fileName ?? '').includes('runtime');
  }

  private assignment(e: ts.BinaryExpression, scope: Scope, ctx: FnContext): void {
    const kind = e.operatorToken.kind;
    let value = this.expr(e.right, scope, ctx);
    if (kind !== ts.SyntaxKind.EqualsToken) {
      const op = operatorPrimitive(compoundOperator(kind));
      if (!op) fail('TSG1001', e.operatorToken, `the ${e.operatorToken.getText()} operator`);
      const current = this.expr(e.left, scope, ctx);
      value = this.prim(op, [current, value], isNumberValue(current) && isNumberValue(value) ? numberTy : this.tyOfNode(e), e);
    }
    this.store(e.left, value, scope);
  }

  private store(target: ts.Expression, value: Value, scope: Scope): void {
    if (ts.isIdentifier(target)) {
      const sym = this.symbolOf(target);
      if (!scope.has(sym)) fail('TSG1006', target, `assignment to ${target.text}, which is not a local variable`);
      const current = scope.get(sym)!;
      if (current.kind === 'atom' && current.atom.kind === 'var' && this.loopCarried.has(current.atom.name)) {
        if (value.kind !== 'atom') fail('TSG2005', target, `${describeValue(value)} assigned to a variable carried around a loop`);
        this.block.push({ kind: 'assign', name: current.atom.name, value: value.atom, loc: this.currentLoc });
        return;
      }
      scope.set(sym, this.named(value, target.text, scope));
      return;
    }
    if (ts.isArrayLiteralExpression(target)) {
      target.elements.forEach((el, i) => this.store(el, this.itemOf(value, i, el), scope));
      return;
    }
    if (ts.isPropertyAccessExpression(target) && target.name.text === 'length' && ts.isIdentifier(target.expression) && value.kind === 'atom') {
      // A tape sized to its loop's iterations: no value to differentiate.
      const array = scope.get(this.symbolOf(target.expression));
      if (array?.kind === 'atom' && array.atom.kind === 'var' && this.tapes.has(array.atom.name)) {
        this.block.push({ kind: 'effect', expr: { kind: 'js', template: '$0.length = $1', args: [array.atom, value.atom] }, loc: this.currentLoc });
        return;
      }
    }
    if (ts.isElementAccessExpression(target) && ts.isIdentifier(target.expression) && ts.isIdentifier(target.argumentExpression)) {
      // A write to a tape of generated code read back.
      const array = scope.get(this.symbolOf(target.expression));
      // The index as of this write (a snapshot of a loop-carried counter), as reads see it.
      const index = this.identifier(target.argumentExpression, scope);
      if (array?.kind === 'atom' && array.atom.kind === 'var' && this.tapes.has(array.atom.name) && index?.kind === 'atom' && value.kind === 'atom') {
        this.block.push({ kind: 'store', array: array.atom.name, index: index.atom, value: value.atom, loc: this.currentLoc });
        return;
      }
    }
    fail('TSG1006', target, `assignment to ${target.getText()}`);
  }

  private returnValue(value: Value, node: ts.Node, ctx: FnContext): void {
    if (!ctx.multipleReturns) {
      ctx.result = value;
      return;
    }
    if (!ctx.result) {
      const declared: Stmt[] = [];
      ctx.result = this.joinTarget(value, declared, node);
      ctx.declareAt.block.splice(ctx.declareAt.index, 0, ...declared);
    }
    this.assignJoin(ctx.result, value, node);
  }

  private ifStatement(s: ts.IfStatement, cond: Atom, scope: Scope, ctx: FnContext): void {
    const thenScope = new Map(scope);
    const elseScope = new Map(scope);
    const thenBlock = this.inBlock(() => this.inBranch(() => this.statements([s.thenStatement], thenScope, ctx)));
    const elseBlock = this.inBlock(() => this.inBranch(() => (s.elseStatement ? this.statements([s.elseStatement], elseScope, ctx) : 'normal')));
    if (thenBlock.result === 'terminated' && elseBlock.result === 'terminated') {
      this.block.push({ kind: 'if', cond, then: thenBlock.stmts, else: elseBlock.stmts, loc: this.locOf(s) });
      throw new Terminated('no path through this if can be compiled');
    }
    if (thenBlock.result === 'terminated') for (const [k, val] of elseScope) scope.set(k, val);
    else if (elseBlock.result === 'terminated') for (const [k, val] of thenScope) scope.set(k, val);
    else this.mergeBranches(scope, thenScope, elseScope, thenBlock.stmts, elseBlock.stmts, s);
    this.block.push({ kind: 'if', cond, then: thenBlock.stmts, else: elseBlock.stmts, loc: this.locOf(s) });
  }

  private ifWithReturn(s: ts.IfStatement, cond: Atom, rest: ts.Statement[], scope: Scope, ctx: FnContext): void {
    const thenBlock = this.inBlock(() => this.inBranch(() => this.statements([s.thenStatement, ...rest], new Map(scope), ctx)));
    const elseBlock = this.inBlock(() => this.inBranch(() => this.statements([...(s.elseStatement ? [s.elseStatement] : []), ...rest], new Map(scope), ctx)));
    this.block.push({ kind: 'if', cond, then: thenBlock.stmts, else: elseBlock.stmts, loc: this.locOf(s) });
  }

  /** Variables that differ after the branches get a mutable join assigned in each. */
  private mergeBranches(scope: Scope, a: Scope, b: Scope, aStmts: Stmt[], bStmts: Stmt[], node: ts.Node): void {
    for (const sym of scope.keys()) {
      const va = a.get(sym)!;
      const vb = b.get(sym)!;
      if (sameValue(va, vb)) {
        scope.set(sym, va);
        continue;
      }
      // A variable declared without a value (`let t!: number`) and assigned on one side
      // only has that side's type; the other side leaves the join unassigned, as it was.
      const declared: Stmt[] = [];
      const target = this.joinTarget(isUnassigned(va) ? vb : va, declared, node, sym.getName());
      const partial = isUnassigned(va) || isUnassigned(vb);
      this.block.push(...declared.map((d) => (partial && d.kind === 'declare' ? { ...d, partial } : d)));
      if (!isUnassigned(va)) this.inBlockOf(aStmts, () => this.assignJoin(target, va, node));
      if (!isUnassigned(vb)) this.inBlockOf(bStmts, () => this.assignJoin(target, vb, node));
      scope.set(sym, target);
    }
  }

  /** Mutable variables shaped like `value`, declared into `out`. */
  private joinTarget(value: Value, out: Stmt[], node: ts.Node, base = 'ret'): Value {
    if (value.kind === 'atom') {
      const name = this.namer.fresh(base);
      out.push({ kind: 'declare', name, ty: value.ty });
      return { kind: 'atom', atom: v(name), ty: value.ty };
    }
    if (value.kind === 'tuple') return { kind: 'tuple', items: value.items.map((item) => this.joinTarget(item, out, node, base)) };
    return fail('TSG2005', node, `a ${value.kind} that differs between branches`);
  }

  private assignJoin(target: Value, value: Value, node: ts.Node): void {
    if (target.kind === 'atom' && value.kind === 'atom' && target.atom.kind === 'var') {
      this.block.push({ kind: 'assign', name: target.atom.name, value: value.atom, loc: this.currentLoc });
      return;
    }
    if (target.kind === 'tuple' && value.kind === 'tuple' && target.items.length === value.items.length) {
      target.items.forEach((t, i) => this.assignJoin(t, value.items[i], node));
      return;
    }
    fail('TSG2005', node, `${describeValue(target)} on one path and ${describeValue(value)} on another`);
  }

  private inBlock<T>(body: () => T): { stmts: Stmt[]; result: T } {
    const saved = this.block;
    const stmts: Stmt[] = [];
    this.block = stmts;
    try {
      return { stmts, result: body() };
    } finally {
      this.block = saved;
    }
  }

  private inBranch<T>(body: () => T): T {
    this.branchDepth++;
    try {
      return body();
    } finally {
      this.branchDepth--;
    }
  }

  private inBlockOf(stmts: Stmt[], body: () => void): void {
    const saved = this.block;
    this.block = stmts;
    try {
      body();
    } finally {
      this.block = saved;
    }
  }

  private condition(e: ts.Expression, scope: Scope, ctx: FnContext): Atom {
    const value = this.atomize(this.expr(e, scope, ctx), e);
    if (value.ty.kind === 'tensor') fail('TSG2002', e, 'a Tensor used as a condition; compare its item() instead');
    return value.atom;
  }

  // ---------------------------------------------------------------- expressions

  private expr(e: ts.Expression, scope: Scope, ctx: FnContext): Value {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) {
      return this.expr(e.expression, scope, ctx);
    }
    if (ts.isNumericLiteral(e)) return this.literal(Number(e.text));
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { kind: 'atom', atom: lit(e.text), ty: otherTy };
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'atom', atom: lit(true), ty: otherTy };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'atom', atom: lit(false), ty: otherTy };
    if (e.kind === ts.SyntaxKind.NullKeyword) return { kind: 'atom', atom: lit(null), ty: otherTy };
    if (e.kind === ts.SyntaxKind.ThisKeyword) {
      if (!ctx.thisValue) fail('TSG2002', e, '`this` outside a Cell method');
      return ctx.thisValue;
    }
    if (ts.isIdentifier(e)) return this.identifier(e, scope);
    if (ts.isArrayLiteralExpression(e)) {
      return {
        kind: 'tuple',
        items: e.elements.map((el) => {
          if (ts.isSpreadElement(el)) fail('TSG1001', el, 'spread in an array literal');
          return this.expr(el, scope, ctx);
        }),
      };
    }
    if (ts.isObjectLiteralExpression(e)) return this.objectLiteral(e, scope, ctx);
    if (ts.isPropertyAccessExpression(e)) return this.property(e, scope, ctx);
    if (ts.isElementAccessExpression(e)) return this.element(e, scope, ctx);
    if (ts.isCallExpression(e)) return this.call(e, scope, ctx);
    if (ts.isBinaryExpression(e)) return this.binary(e, scope, ctx);
    if (ts.isPrefixUnaryExpression(e)) return this.prefix(e, scope, ctx);
    if (ts.isConditionalExpression(e)) return this.conditional(e, scope, ctx);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { kind: 'function', decl: e, scope, thisValue: ctx.thisValue };
    if (ts.isAwaitExpression(e) || ts.isYieldExpression(e)) fail('TSG1004', e);
    if (ts.isNewExpression(e)) {
      if (ts.isIdentifier(e.expression) && e.expression.text === 'Function') fail('TSG1005', e);
      fail('TSG1001', e, `\`new ${e.expression.getText()}\` inside differentiated code; create it outside and pass it in`);
    }
    return fail('TSG1001', e, describeSyntax(e));
  }

  private objectLiteral(e: ts.ObjectLiteralExpression, scope: Scope, ctx: FnContext): Value {
    const props = new Map<string, Value>();
    for (const p of e.properties) {
      if (ts.isShorthandPropertyAssignment(p)) props.set(p.name.text, this.expr(p.name, scope, ctx));
      else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props.set(p.name.text, this.expr(p.initializer, scope, ctx));
      else fail('TSG1001', p, 'this kind of object literal member');
    }
    return { kind: 'record', props };
  }

  private literal(n: number): Value {
    return { kind: 'atom', atom: lit(n), ty: numberTy };
  }

  private identifier(e: ts.Identifier, scope: Scope): Value {
    if (e.text === 'undefined') return { kind: 'atom', atom: lit(undefined), ty: otherTy };
    const sym = this.symbolOf(e);
    const local = scope.get(sym);
    if (local && local.kind === 'atom' && local.atom.kind === 'var' && this.loopCarried.has(local.atom.name)) {
      // A snapshot: the value as of this read, which reverse mode can save per iteration.
      const name = this.namer.fresh(e.text);
      this.block.push({ kind: 'let', name, ty: local.ty, expr: { kind: 'copy', value: local.atom }, loc: this.currentLoc });
      return { kind: 'atom', atom: v(name), ty: local.ty };
    }
    if (local) return local;
    return this.moduleBinding(e, sym);
  }

  /** A module-level binding: a function to inline, or a root object read at run time. */
  private moduleBinding(e: ts.Identifier, sym: ts.Symbol): Value {
    const target = sym.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(sym) : sym;
    const decl = target.valueDeclaration ?? target.declarations?.[0];
    if (!decl) fail('TSG2002', e, `${e.text} has no declaration the compiler can read`);
    if (ts.isFunctionDeclaration(decl)) return { kind: 'function', decl, scope: new Map() };
    if (ts.isVariableDeclaration(decl) && isModuleLevel(decl)) {
      const init = decl.initializer;
      const isConst = (decl.parent.flags & ts.NodeFlags.Const) !== 0;
      if (isConst && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return { kind: 'function', decl: init, scope: new Map() };
      const type = this.checker.getTypeAtLocation(decl);
      const root = this.moduleRoot(target, decl, type);
      if (isCellType(this.checker, type)) return { kind: 'object', root, path: [], type };
      if (isTensorType(this.checker, type) || isNumberType(type)) {
        return this.fieldRead(root, [], type, e);
      }
      return { kind: 'object', root, path: [], type };
    }
    if (ts.isParameter(decl) || ts.isVariableDeclaration(decl)) return this.captured(e, decl);
    return fail('TSG2002', e, `${e.text} (${ts.SyntaxKind[decl.kind]})`);
  }

  /**
   * A local of an enclosing function that the differentiated code closes over: read
   * through the `env` root, which the call site fills with the captured values.
   */
  private captured(e: ts.Identifier, decl: ts.ParameterDeclaration | ts.VariableDeclaration): Value {
    const init = ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
    const isConst = ts.isVariableDeclaration(decl) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
    if (isConst && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return { kind: 'function', decl: init, scope: new Map() };
    if (!ts.isIdentifier(decl.name)) fail('TSG2002', e, `${e.text} comes from a destructuring outside the differentiated code`);
    this.envRoot();
    this.capture(decl.name, e);
    const type = this.checker.getTypeAtLocation(decl);
    if (isCellType(this.checker, type) || this.checker.getPropertyOfType(type, '__tsgradCustom')) return { kind: 'object', root: 'env', path: [decl.name.text], type };
    return this.fieldRead('env', [decl.name.text], type, e);
  }

  private envRoot(known?: ReadonlyMap<string, Loc>): void {
    if (!this.roots.has('env')) this.roots.set('env', { name: this.rootName('env'), kind: 'env', captures: new Map(known) });
  }

  /**
   * Records where the captured local `name` is declared: generated code reads it as
   * `env.<name>`, so two different locals of one name would read one value (TSG2007).
   */
  private capture(name: ts.Identifier, at: ts.Identifier): void {
    const captures = this.roots.get('env')!.captures as Map<string, Loc>;
    const here = declaredAt(name);
    const known = captures.get(name.text);
    if (known && !sameLoc(known, here)) {
      fail('TSG2007', at, `${name.text} declared at ${placeOf(here)} and at ${placeOf(known)}`);
    }
    captures.set(name.text, here);
  }

  private moduleRoot(sym: ts.Symbol, decl: ts.VariableDeclaration, type: ts.Type): string {
    const existing = this.rootOf.get(sym);
    if (existing) return existing;
    const exportName = (decl.name as ts.Identifier).text;
    const name = this.rootName(exportName);
    this.roots.set(name, { name, kind: 'module', module: { file: decl.getSourceFile().fileName, exportName }, isCell: isCellType(this.checker, type) });
    this.rootOf.set(sym, name);
    return name;
  }

  private property(e: ts.PropertyAccessExpression, scope: Scope, ctx: FnContext): Value {
    const nodeType = this.checker.getTypeAtLocation(e);
    const prim = primitiveName(this.checker, nodeType, e);
    if (prim) return { kind: 'primitive', op: prim };
    const object = this.expr(e.expression, scope, ctx);
    const name = e.name.text;
    const type = object.kind === 'object' ? this.instantiated(object.type, name, nodeType) : nodeType;
    if (object.kind === 'object') {
      if (isCellType(this.checker, type) || (!isTensorType(this.checker, type) && !isNumberType(type) && type.getCallSignatures().length === 0 && (type.flags & ts.TypeFlags.Object) !== 0)) {
        return { kind: 'object', root: object.root, path: [...object.path, name], type };
      }
      if (type.getCallSignatures().length > 0) {
        return fail('TSG2001', e, `${e.getText()} is a function-valued field; call a method or a primitive instead`);
      }
      const known = unitValue(type);
      if (known) return { kind: 'atom', atom: lit(known.value), ty: otherTy };
      // `self.l1.bias!` in generated code read back keeps its assertion: the read is not null.
      const nonNull = ts.isNonNullExpression(e.parent) || this.narrowedFromNullable(object.type, name, type);
      return this.fieldRead(object.root, [...object.path, name], type, e, nonNull);
    }
    if (object.kind === 'record') return this.propOf(object, name, e);
    if (object.kind === 'tuple' && name === 'length') return this.literal(object.items.length);
    if (object.kind === 'atom') {
      return this.js(`$0.${name}`, [object], this.tyOfJs(type), e);
    }
    return fail('TSG2002', e, `property ${name} of ${describeValue(object)}`);
  }

  /**
   * A field's type as seen through the object's instantiated type: inside a generic cell
   * (`SequentialCell<T>`) the node says `T`, the instance says `[Dense, ReLU]`.
   */
  private instantiated(objectType: ts.Type, name: string, nodeType: ts.Type): ts.Type {
    if ((nodeType.flags & ts.TypeFlags.Instantiable) === 0) return nodeType;
    const prop = this.checker.getPropertyOfType(objectType, name);
    return prop ? this.checker.getTypeOfSymbol(prop) : nodeType;
  }

  /** True when the field is declared nullable but the read is narrowed to a value (`this.bias!`). */
  private narrowedFromNullable(objectType: ts.Type, name: string, narrowed: ts.Type): boolean {
    const prop = this.checker.getPropertyOfType(objectType, name);
    if (!prop) return false;
    const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
    const declared = this.checker.getTypeOfSymbol(prop);
    const hasNullish = (t: ts.Type) => (t.isUnion() ? t.types.some((u) => (u.flags & nullish) !== 0) : (t.flags & nullish) !== 0);
    return hasNullish(declared) && !hasNullish(narrowed);
  }

  private fieldRead(root: string, fieldPath: readonly string[], declared: ts.Type, node: ts.Node, nonNull = false): Value {
    // `self.l1.bias!` read back: the access itself is `Parameter | null`, the read a Parameter.
    const type = nonNull ? this.checker.getNonNullableType(declared) : declared;
    const slot = isParameterType(this.checker, type);
    const ty = isTensorType(this.checker, type) ? tensorTy : isNumberType(type) ? numberTy : otherTy;
    const base = fieldPath.length > 0 ? fieldPath[fieldPath.length - 1] : root;
    const name = this.namer.fresh(base);
    this.block.push({ kind: 'let', name, ty, expr: { kind: 'field', root, path: fieldPath, slot: slot || undefined, nonNull: nonNull || undefined }, loc: this.locOf(node) });
    return { kind: 'atom', atom: v(name), ty };
  }

  private element(e: ts.ElementAccessExpression, scope: Scope, ctx: FnContext): Value {
    const object = this.expr(e.expression, scope, ctx);
    const index = this.expr(e.argumentExpression, scope, ctx);
    if (object.kind === 'tuple') {
      if (index.kind !== 'atom' || index.atom.kind !== 'lit' || typeof index.atom.value !== 'number') {
        fail('TSG2002', e.argumentExpression, 'an array of values indexed by a run-time value; use a literal index');
      }
      return this.itemOf(object, index.atom.value, e);
    }
    if (object.kind === 'atom' && (object.ty.kind === 'numbers' || object.ty.kind === 'tensors') && index.kind === 'atom') {
      const name = this.namer.tmp();
      const ty = object.ty.kind === 'tensors' ? tensorTy : numberTy;
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'elem', array: object.atom, index: index.atom }, loc: this.locOf(e) });
      return { kind: 'atom', atom: v(name), ty };
    }
    if (object.kind === 'atom' && object.ty.kind !== 'tensor' && index.kind === 'atom') {
      return this.js('$0[$1]', [object, index], this.tyOfJs(this.checker.getTypeAtLocation(e)), e);
    }
    return fail('TSG2002', e, `indexing ${describeValue(object)}; use ops.slice or ops.gather for tensors`);
  }

  private itemOf(value: Value, index: number, node: ts.Node): Value {
    if (value.kind === 'tuple') {
      const item = value.items[index];
      if (!item) fail('TSG2002', node, `element ${index} of an array of ${value.items.length}`);
      return item;
    }
    if (value.kind === 'atom' && value.ty.kind === 'other') return this.js(`$0[${index}]`, [value], otherTy, node);
    return fail('TSG2002', node, `destructuring ${describeValue(value)}`);
  }

  private binary(e: ts.BinaryExpression, scope: Scope, ctx: FnContext): Value {
    const kind = e.operatorToken.kind;
    if (isAssignment(kind)) fail('TSG1001', e, 'an assignment inside an expression; write it as its own statement');
    const left = this.expr(e.left, scope, ctx);
    const right = this.expr(e.right, scope, ctx);
    if (left.kind === 'atom' && right.kind === 'atom') {
      const compared = foldComparison(kind, left.atom, right.atom);
      if (compared) return { kind: 'atom', atom: compared, ty: otherTy };
      const taken = foldLogical(kind, left.atom);
      if (taken) return taken === 'left' ? left : right;
    }
    const ty = this.tyOfNode(e);
    const op = operatorPrimitive(e.operatorToken.getText());
    // What grad(g)(x) gives inside is typed `any`, and so is `grad(g)(x) + k`: the operands' own types say it adds numbers.
    if (op && (ty.kind === 'number' || (isNumberValue(left) && isNumberValue(right)))) return this.prim(op, [left, right], numberTy, e);
    return this.js(`$0 ${e.operatorToken.getText()} $1`, [left, right], ty.kind === 'number' ? numberTy : otherTy, e);
  }

  private prefix(e: ts.PrefixUnaryExpression, scope: Scope, ctx: FnContext): Value {
    const operand = this.expr(e.operand, scope, ctx);
    if (e.operator === ts.SyntaxKind.PlusToken) return operand;
    const text = ts.tokenToString(e.operator) ?? '';
    const op = unaryPrimitive(text);
    if (op && this.tyOfNode(e).kind === 'number') {
      if (operand.kind === 'atom' && operand.atom.kind === 'lit' && typeof operand.atom.value === 'number') return this.literal(-operand.atom.value);
      return this.prim(op, [operand], numberTy, e);
    }
    if (e.operator === ts.SyntaxKind.ExclamationToken && operand.kind === 'atom' && operand.atom.kind === 'lit') {
      return { kind: 'atom', atom: lit(!operand.atom.value), ty: otherTy };
    }
    return this.js(`${text}$0`, [operand], otherTy, e);
  }

  private conditional(e: ts.ConditionalExpression, scope: Scope, ctx: FnContext): Value {
    const cond = this.condition(e.condition, scope, ctx);
    if (cond.kind === 'lit') return this.expr(cond.value ? e.whenTrue : e.whenFalse, scope, ctx);
    const a = this.inBlock(() => this.expr(e.whenTrue, new Map(scope), ctx));
    const b = this.inBlock(() => this.expr(e.whenFalse, new Map(scope), ctx));
    const declared: Stmt[] = [];
    const target = this.joinTarget(a.result, declared, e, 't');
    this.block.push(...declared);
    this.inBlockOf(a.stmts, () => this.assignJoin(target, a.result, e));
    this.inBlockOf(b.stmts, () => this.assignJoin(target, b.result, e));
    this.block.push({ kind: 'if', cond, then: a.stmts, else: b.stmts, loc: this.locOf(e) });
    return target;
  }

  // ---------------------------------------------------------------- calls

  private call(e: ts.CallExpression, scope: Scope, ctx: FnContext): Value {
    const calleeType = this.checker.getTypeAtLocation(e.expression);
    const op = primitiveName(this.checker, calleeType, e.expression);
    if (op) return this.primCall(op, e, scope, ctx);
    if (ts.isIdentifier(e.expression) && e.expression.text === 'eval') fail('TSG1005', e);
    if (this.readingGenerated && ts.isIdentifier(e.expression) && e.expression.text === 'numberGradient') {
      // Generated code hands a number input its gradient (runtime/number-gradient.ts): a
      // read that is not differentiated again, so refuse rather than treat it as a constant.
      fail('TSG1001', e, 'a higher order through the gradient of a number that enters tensor code; make it a 0-d Tensor');
    }
    const math = this.mathCall(e);
    if (math) return this.prim(math, e.arguments.map((a) => this.expr(a, scope, ctx)), this.tyOfNode(e), e);
    if (ts.isPropertyAccessExpression(e.expression)) {
      const method = this.methodCall(e, e.expression, scope, ctx);
      if (method) return method;
    }
    const api = gradApiName(this.checker, calleeType, e.expression);
    if (api === 'jvp') return this.jvpCall(e, scope, ctx);
    if (api === 'grad' || api === 'valueAndGrad') return this.gradientValue(e, scope, ctx);
    if (api !== undefined && api !== 'jit') {
      // vjp, jacfwd, … from inside: the call would be read as a plain callee.
      fail('TSG1001', e, `${api}() inside differentiated code (of the derivative family, jvp, grad and valueAndGrad are differentiated through); compose from outside instead: grad(grad(f)), jvp(grad(f), …), jacfwd(grad(f))`);
    }
    const callee = this.expr(e.expression, scope, ctx);
    const args = () => e.arguments.map((a) => this.expr(a, scope, ctx));
    switch (callee.kind) {
      case 'primitive':
        return this.prim(callee.op, args(), this.tyOfNode(e), e);
      case 'function':
        return this.inline(callee.decl, callee.scope, callee.thisValue, args(), e);
      case 'object':
        if (isCellType(this.checker, callee.type)) return this.cellCall(callee, args(), e);
        if (this.checker.getPropertyOfType(callee.type, '__tsgradCustom')) return this.customCall(callee, 'call', args(), e);
        break;
      case 'gradient':
        return this.gradCall(e, callee, args(), scope);
    }
    return fail('TSG2001', e.expression, e.expression.getText());
  }

  /**
   * `jvp(f, inputs, tangents)` inside differentiated code (grad of jvp): `f` is inlined on
   * the inputs and differentiated in forward mode where it stands (forward-inline.ts);
   * the value is `[output, tangent]`, as jvp returns.
   */
  private jvpCall(e: ts.CallExpression, scope: Scope, ctx: FnContext): Value {
    const [fnArg, inputsArg, tangentsArg] = e.arguments;
    if (!fnArg || !inputsArg || !tangentsArg) fail('TSG1001', e, 'jvp(f, inputs, tangents) needs its three arguments');
    const fn = this.expr(fnArg, scope, ctx);
    const list = (value: Value) => (value.kind === 'tuple' ? value.items : [value]);
    const inputs = list(this.expr(inputsArg, scope, ctx)).map((x) => this.jvpInput(x, e));
    const tangents = list(this.expr(tangentsArg, scope, ctx)).map((t) => this.atomize(t, e).atom);
    if (tangents.length !== inputs.length) fail('TSG1001', tangentsArg, `jvp with ${inputs.length} input(s) and ${tangents.length} tangent(s)`);
    if (new Set(inputs.map((x) => x.name)).size !== inputs.length) fail('TSG1001', inputsArg, 'jvp inside differentiated code with one variable as two inputs');
    const body: Stmt[] = [];
    let result: { atom: Atom; ty: Ty } | undefined;
    this.inBlockOf(body, () => this.insideDerivative(() => {
      const args: Value[] = inputs.map((x) => ({ kind: 'atom', atom: v(x.name), ty: x.ty }));
      let out: Value;
      if (fn.kind === 'function') out = this.inline(fn.decl, fn.scope, fn.thisValue, args, e);
      else if (fn.kind === 'object' && isCellType(this.checker, fn.type)) out = this.cellCall(fn, args, e);
      else return fail('TSG2004', fnArg, fnArg.getText());
      if (out.kind !== 'atom') fail('TSG1001', e, 'jvp inside differentiated code of a function with several outputs');
      result = out;
    }));
    const origin = { file: e.getSourceFile().fileName, name: 'jvp', line: this.locOf(e)?.line ?? 0 };
    try {
      // Recursive functions f calls get tangent functions beside them, which reverse mode differentiates as it does them.
      const tangentFunctions = tangentFunctionsInto(this.functions, (base) => this.functionNames.fresh(base), this.functions);
      const jvp = inlineJvp(body, result!.atom, result!.ty, inputs, tangents, this.namer, origin, tangentFunctions);
      this.block.push(...jvp.stmts);
      return { kind: 'tuple', items: [{ kind: 'atom', atom: jvp.out, ty: jvp.ty }, { kind: 'atom', atom: jvp.dout, ty: jvp.ty }] };
    } catch (err) {
      if (err instanceof ForwardModeError) fail('TSG3010', e, err.message);
      throw err;
    }
  }

  /** `grad(g, options)` or `valueAndGrad(g, options)` in differentiated code: a value inlined where it is called. */
  private gradientValue(e: ts.CallExpression, scope: Scope, ctx: FnContext): Value {
    const { request } = callSite(e, this.checker);
    if (request.weights) fail('TSG3014', e, `${gradApiName(this.checker, this.checker.getTypeAtLocation(e.expression), e.expression)}(…, { weights }) inside differentiated code; take the weights' gradient outside it`);
    return { kind: 'gradient', call: e, fn: this.expr(e.arguments[0], scope, ctx) };
  }

  /**
   * `grad(g, options)(args)` or `valueAndGrad(g, options)(args)` inside differentiated code
   * (grad of grad-inside): `g` is inlined on the arguments and differentiated in reverse
   * mode where it stands (reverse-inline.ts); the value is what the gradient function
   * returns, in MindSpore's shapes (runtime/gradient-call.ts, shapeResult).
   */
  private gradCall(e: ts.CallExpression, gradientFn: Extract<Value, { kind: 'gradient' }>, args: Value[], scope: Scope): Value {
    const { call: gradient, fn } = gradientFn;
    const site = callSite(gradient, this.checker);
    const api = site.api === 'valueAndGrad' ? 'valueAndGrad' : 'grad';
    const { gradPosition, hasAux } = site.request;
    const fnArg = gradient.arguments[0];
    const positions = positionList(site.request);
    const distinct = [...new Set(positions)];
    // Each differentiated argument is a variable of its own, so a value g also captures stays a constant to g.
    const params = distinct.map((p) => {
      if (p >= args.length) fail('TSG3001', gradient.arguments[1] ?? gradient, `position ${p}, but the call passes ${args.length} argument(s)`);
      const { atom, ty } = this.atomize(args[p], e.arguments[p]);
      if (ty.kind !== 'tensor' && ty.kind !== 'number') fail('TSG3001', e.arguments[p], `input ${p} is not a Tensor or a number`);
      const name = this.namer.fresh(atom.kind === 'var' ? atom.name : `${api}_input${p}`);
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'copy', value: atom }, loc: this.locOf(e.arguments[p]) });
      args[p] = { kind: 'atom', atom: v(name), ty };
      return { name, ty };
    });
    const lowered = this.inBlock(() => this.insideDerivative(() => {
      let out: Value;
      if (fn.kind === 'function') out = this.inline(fn.decl, fn.scope, fn.thisValue, args, e);
      else if (fn.kind === 'object' && isCellType(this.checker, fn.type)) out = this.cellCall(fn, args, e);
      // A copy: the inner call binds its own positions to copies, and this call's captured values are still the arguments given.
      else if (fn.kind === 'gradient') out = this.gradCall(e, fn, [...args], scope);
      else return fail('TSG2004', fnArg, fnArg.getText());
      if (hasAux && (out.kind !== 'tuple' || out.items.length === 0)) fail('TSG3007', gradient);
      return { out, result: this.atomize(out, e) };
    }));
    const body = lowered.stmts;
    const { out, result } = lowered.result;
    const captured = new Map<string, Ty>();
    collectTypes([fn, ...args, ...scope.values()], captured, new Set());
    const origin = { file: e.getSourceFile().fileName, name: api, line: this.locOf(e).line };
    const inputs = { params, positions: positions.map((p) => distinct.indexOf(p)), captured };
    let inlined: InlinedGrad;
    try {
      const loops = this.inlinedDerivatives === 0 && this.loweringRecursive.size === 0;
      inlined = inlineGrad(body, result.atom, result.ty, inputs, hasAux, this.namer, origin, loops);
    } catch (err) {
      if (err instanceof ReverseInlineError) fail('TSG3014', e, `${err.message}, in ${fnArg.getText()}, which ${api}() differentiates here`);
      throw err;
    }
    this.entryPrologue.push(...inlined.prologue);
    this.block.push({ kind: 'comment', text: `${api} in place: ${this.locOf(e).text}` }, ...inlined.stmts);
    const grads = inlined.grads.map((g, k): Value => ({ kind: 'atom', atom: g, ty: params[inputs.positions[k]].ty }));
    const gradValue: Value = typeof gradPosition === 'number' ? grads[0] : { kind: 'tuple', items: grads };
    if (!hasAux) return api === 'grad' ? gradValue : { kind: 'tuple', items: [out, gradValue] };
    // hasAux: the aux outputs are stopped, as they are over a gradient function read back (stop-aux.ts).
    const items = out.kind === 'tuple' ? out.items : [out];
    const aux = items.slice(1).map((item) => this.stopped(item, e));
    if (api === 'grad') return { kind: 'tuple', items: [gradValue, { kind: 'tuple', items: aux }] };
    return { kind: 'tuple', items: [{ kind: 'tuple', items: [items[0], ...aux] }, gradValue] };
  }

  /** Runs `body` lowering a function that jvp or grad then transforms where it stands. */
  private insideDerivative<T>(body: () => T): T {
    this.inlinedDerivatives++;
    try {
      return body();
    } finally {
      this.inlinedDerivatives--;
    }
  }

  /** `value` with `ops.stopGradient` on each Tensor and number in it. */
  private stopped(value: Value, e: ts.Node): Value {
    if (value.kind === 'tuple') return { kind: 'tuple', items: value.items.map((item) => this.stopped(item, e)) };
    if (value.kind === 'atom' && value.atom.kind === 'var' && (value.ty.kind === 'tensor' || value.ty.kind === 'number')) return this.prim('stopGradient', [value], value.ty, e);
    return value;
  }

  /**
   * An input of jvp inside differentiated code, as a variable of its own (forward mode seeds
   * variables): a value `f` also captures must get no tangent, so the input is always a copy.
   */
  private jvpInput(x: Value, e: ts.Node): { name: string; ty: Ty } {
    const { atom, ty } = this.atomize(x, e);
    if (ty.kind !== 'tensor' && ty.kind !== 'number') fail('TSG1001', e, 'jvp inside differentiated code takes Tensor and number inputs');
    const name = atom.kind === 'var' ? this.namer.fresh(atom.name) : this.namer.tmp();
    this.block.push({ kind: 'let', name, ty, expr: { kind: 'copy', value: atom }, loc: this.locOf(e) });
    return { name, ty };
  }

  /** True when `id` is JavaScript's global `Math` (declared in TypeScript's lib), not a program's own. */
  private isGlobalMath(id: ts.Identifier): boolean {
    if (id.text !== 'Math') return false;
    const sym = this.checker.getSymbolAtLocation(id);
    return sym?.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib || /lib\.[\w.]*\.d\.ts$/.test(d.getSourceFile().fileName)) ?? false;
  }

  private primCall(op: string, e: ts.CallExpression, scope: Scope, ctx: FnContext): Value {
    const args = e.arguments.map((a) => this.expr(a, scope, ctx));
    return this.prim(op, args, this.tyOfNode(e), e);
  }

  /** `Math.sin(a)` and friends on numbers, mapped through the registry's number forms. */
  private mathCall(e: ts.CallExpression): string | undefined {
    if (!ts.isPropertyAccessExpression(e.expression) || !ts.isIdentifier(e.expression.expression)) return undefined;
    if (!this.isGlobalMath(e.expression.expression)) return undefined;
    const op = mathPrimitive(e.expression.name.text);
    if (!op) {
      // A Math function with no derivative rule gives a constant only where it is one.
      const piecewise = ['floor', 'ceil', 'round', 'trunc', 'random'];
      if (piecewise.includes(e.expression.name.text)) return undefined;
      fail('TSG2001', e.expression, `Math.${e.expression.name.text} has no derivative rule`);
    }
    return op;
  }

  private methodCall(e: ts.CallExpression, callee: ts.PropertyAccessExpression, scope: Scope, ctx: FnContext): Value | undefined {
    const objType = this.checker.getTypeAtLocation(callee.expression);
    const name = callee.name.text;
    if (name === 'push' && ts.isIdentifier(callee.expression)) {
      const pushed = this.push(callee.expression, e, scope, ctx);
      if (pushed) return pushed;
    }
    if (isTensorType(this.checker, objType) || isNumberType(objType) || this.isNonDiffCallee(callee)) {
      // Methods of run-time values (t.item(), n.toFixed(), Math.floor, shape.map) give constants.
      // The global Math is no value of the program to read (or import): it is called by its name.
      const object = ts.isIdentifier(callee.expression) && this.isGlobalMath(callee.expression) ? undefined : this.expr(callee.expression, scope, ctx);
      const args = e.arguments.map((a) => this.expr(a, scope, ctx));
      if (args.some((a) => a.kind === 'function')) fail('TSG1001', e, `a callback passed to ${callee.getText()}`);
      if (!object) return this.js(`Math.${name}(${args.map((_, i) => `$${i}`).join(', ')})`, args, this.tyOfJs(this.checker.getTypeAtLocation(e)), e);
      return this.js(`$0.${name}(${args.map((_, i) => `$${i + 1}`).join(', ')})`, [object, ...args], this.tyOfJs(this.checker.getTypeAtLocation(e)), e);
    }
    if (primitiveName(this.checker, this.checker.getTypeAtLocation(callee), callee)) return undefined;
    const object = this.expr(callee.expression, scope, ctx);
    if (object.kind !== 'object') return undefined;
    const prop = this.checker.getPropertyOfType(object.type, name);
    const decl = prop?.valueDeclaration;
    if (decl && ts.isMethodDeclaration(decl)) {
      return this.inline(decl, new Map(), object, e.arguments.map((a) => this.expr(a, scope, ctx)), e);
    }
    if (decl && ts.isPropertyDeclaration(decl) && decl.initializer && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) {
      return this.inline(decl.initializer, new Map(), object, e.arguments.map((a) => this.expr(a, scope, ctx)), e);
    }
    return undefined;
  }

  /** `xs.push(v)` on a local array of values: the array grows at compile time. */
  private push(target: ts.Identifier, e: ts.CallExpression, scope: Scope, ctx: FnContext): Value | undefined {
    const sym = this.checker.getSymbolAtLocation(target);
    const current = sym ? scope.get(sym) : undefined;
    if (!sym || current?.kind !== 'tuple') return undefined;
    if ((this.declaredInLoops.get(sym) ?? 0) < this.loops.length) {
      fail('TSG1002', e, `${target.text}.push inside a loop whose trip count is only known at run time; collect the values with ops.stack over a tuple, or keep a running total`);
    }
    const items = [...current.items, ...e.arguments.map((a) => this.expr(a, scope, ctx))];
    scope.set(sym, { kind: 'tuple', items });
    return this.literal(items.length);
  }

  private isNonDiffCallee(callee: ts.PropertyAccessExpression): boolean {
    if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Math') return true;
    const t = this.checker.getTypeAtLocation(callee.expression);
    return (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike)) !== 0 || this.checker.isArrayType(t) && !isTensorType(this.checker, t);
  }

  private cellCall(cell: Extract<Value, { kind: 'object' }>, args: Value[], e: ts.Node): Value {
    if (this.checker.getPropertyOfType(cell.type, 'bprop')) return this.customCall(cell, 'construct', args, e);
    const prop = this.checker.getPropertyOfType(cell.type, 'construct');
    const decl = prop?.valueDeclaration;
    if (!decl || !ts.isMethodDeclaration(decl) || !decl.body) {
      const what = `${e.getText()}: a call to a ${this.checker.typeToString(cell.type)} dispatches on the run-time class, which the compiler cannot see`;
      if (this.branchDepth > 0) throw new Terminated(`tsgrad: cannot differentiate ${what}; give it a concrete Cell type (${this.locText(e)})`);
      fail('TSG2003', e, what);
    }
    return this.inline(decl, new Map(), cell, args, e);
  }

  /**
   * A call whose gradient is hand-written (a Cell's `bprop`, a `customVjp` function): kept
   * as a call; reverse mode calls its `bprop` instead of differentiating the body.
   */
  private customCall(callee: Value, form: 'construct' | 'call', args: Value[], e: ts.Node): Value {
    const target = this.atomize(callee, e).atom;
    const atoms = args.map((a) => this.atomize(a, e).atom);
    const weights = form === 'construct' && callee.kind === 'object' ? this.bpropWeights(callee, atoms.length, e) : [];
    const ty = this.tyOfNode(e);
    const name = this.namer.tmp();
    const resultTy = ty.kind === 'number' ? numberTy : tensorTy;
    const expr: Expr = { kind: 'custom', callee: target, form, args: atoms, ...(weights.length > 0 ? { weights } : {}) };
    this.block.push({ kind: 'let', name, ty: resultTy, expr, loc: this.locOf(e) });
    return { kind: 'atom', atom: v(name), ty: resultTy };
  }

  /**
   * A Cell's `bprop` may return, after one gradient per input, one per Parameter the Cell
   * declares itself (its own Parameter fields, in field order); MindSpore allows only the
   * inputs'. Its declared tuple type says which: the Parameters it covers are read here.
   */
  private bpropWeights(cell: Extract<Value, { kind: 'object' }>, inputs: number, e: ts.Node): Atom[] {
    const bprop = this.checker.getPropertyOfType(cell.type, 'bprop');
    const signature = bprop ? this.checker.getTypeOfSymbol(bprop).getCallSignatures()[0] : undefined;
    const returned = signature ? this.checker.getReturnTypeOfSignature(signature) : undefined;
    if (!returned || !this.checker.isTupleType(returned)) return [];
    const count = this.checker.getTypeArguments(returned as ts.TypeReference).length;
    if (count === inputs) return [];
    const own = this.checker.getPropertiesOfType(cell.type).filter((p) => isParameterType(this.checker, this.checker.getTypeOfSymbol(p)));
    if (count !== inputs + own.length) {
      const names = own.map((p) => p.getName()).join(', ') || 'none';
      fail('TSG2006', e, `${this.checker.typeToString(cell.type)}.bprop returns ${count} gradient(s); it takes ${inputs} input(s) and declares ${own.length} Parameter(s) (${names})`);
    }
    return own.map((p) => {
      const read = this.fieldRead(cell.root, [...cell.path, p.getName()], this.checker.getTypeOfSymbol(p), e);
      return (read as { atom: Atom }).atom;
    });
  }

  private inline(decl: ts.SignatureDeclaration, closure: Scope, thisValue: Value | undefined, args: Value[], call: ts.Node): Value {
    const active = this.inlining.find((f) => f.decl === decl);
    if (active && active.thisKey !== thisKeyOf(thisValue)) {
      // A chain of objects (this.child.level(x)) has a depth no compile-time unrolling can follow.
      fail('TSG1007', call, `${nameOf(decl)} calls itself on another object (${thisKeyOf(thisValue)}, inside ${active.thisKey})`);
    }
    // A recursive function of generated code read back is called from the start, not
    // inlined once: else each order would differentiate its first level twice over.
    if (active || (this.readingGenerated && isGeneratedHelper(decl))) return this.recursiveCall(decl, closure, thisValue, args, call);
    const scope: Scope = new Map(closure);
    this.bindArguments(decl, scope, thisValue, args);
    const savedLoc = this.currentLoc;
    const result = this.lowerBody(decl, scope, thisValue);
    this.currentLoc = savedLoc;
    void call;
    return result;
  }

  /** Binds a callee's parameters to the call's arguments, defaults filled in. */
  private bindArguments(decl: ts.SignatureDeclaration, scope: Scope, thisValue: Value | undefined, args: Value[]): Value[] {
    return decl.parameters.map((p, i) => {
      if (p.dotDotDotToken) fail('TSG1001', p, 'rest parameters');
      let arg = args[i];
      if (arg === undefined || (arg.kind === 'atom' && arg.atom.kind === 'lit' && arg.atom.value === undefined && p.initializer)) {
        arg = p.initializer ? this.expr(p.initializer, scope, this.contextFor(decl, thisValue)) : { kind: 'atom', atom: lit(undefined), ty: otherTy };
      }
      this.bindPattern(p.name, arg, scope);
      // Binding may rename the temporary that holds the argument: read it back.
      return ts.isIdentifier(p.name) ? scope.get(this.symbolOf(p.name))! : arg;
    });
  }

  // ---------------------------------------------------------------- recursion

  /**
   * A call to a function that is already being inlined: its depth is only known at run
   * time, so the function is lowered once as a function of its own and called (`call`),
   * and reverse mode gives it a forward/backward pair.
   */
  private recursiveCall(decl: ts.SignatureDeclaration, closure: Scope, thisValue: Value | undefined, args: Value[], call: ts.Node): Value {
    const what = nameOf(decl);
    if (thisValue !== undefined && thisValue.kind !== 'object') fail('TSG1007', call, `${what} is called on ${describeValue(thisValue)}`);
    const local = readsLocals(decl, closure, this.checker);
    if (local) fail('TSG1007', call, `${what} calls itself and reads ${local} of an enclosing function; pass it as a parameter`);
    // An object argument (the Cell a generated gradient passes as `self`) is fixed per lowered
    // function, as `this` is: it is bound when the function is lowered, not passed.
    const objects = new Map<number, Value>();
    const atoms: Atom[] = [];
    this.bindArguments(decl, new Map(closure), thisValue, args).forEach((arg, i) => {
      if (arg.kind === 'object') objects.set(i, arg);
      else if (arg.kind === 'atom') atoms.push(arg.atom);
      else fail('TSG1007', call, `${what} calls itself with ${describeValue(arg)} as argument ${i + 1}; pass Tensors and numbers`);
    });
    const thisKey = [thisKeyOf(thisValue), ...[...objects].map(([i, o]) => `${i}=${thisKeyOf(o)}`)].join(' ');
    const known = this.recursive.get(decl)?.find((f) => f.thisKey === thisKey);
    if (!known && this.loweringRecursive.has(decl)) fail('TSG1007', call, `${what} calls itself on another object`);
    const callee = known ?? this.lowerRecursive(decl, closure, thisValue, thisKey, call, objects);
    const name = this.namer.tmp();
    this.block.push({ kind: 'let', name, ty: callee.ty, expr: { kind: 'call', fn: callee.name, args: atoms }, loc: this.locOf(call) });
    return { kind: 'atom', atom: v(name), ty: callee.ty };
  }

  /** Lowers a recursive function as its own IR function, with its own namer and blocks. */
  private lowerRecursive(decl: ts.SignatureDeclaration, closure: Scope, thisValue: Value | undefined, thisKey: string, call: ts.Node, objects: ReadonlyMap<number, Value>) {
    const signature = this.checker.getSignatureFromDeclaration(decl);
    const ty = signature ? this.tyOf(this.checker.getReturnTypeOfSignature(signature)) : otherTy;
    if (ty.kind !== 'tensor' && ty.kind !== 'number') fail('TSG1007', call, `${nameOf(decl)} calls itself and returns something other than a Tensor or a number`);
    const name = this.functionNames.fresh(functionName(decl));
    const entry = { name, thisKey, ty };
    this.recursive.set(decl, [...(this.recursive.get(decl) ?? []), entry]);
    const saved = { namer: this.namer, block: this.block, inlining: this.inlining, loops: this.loops, loopCarried: this.loopCarried, depth: this.branchDepth, loc: this.currentLoc };
    this.namer = new Namer([...this.roots.values()].map((r) => r.name));
    this.namers.push(this.namer);
    this.block = [];
    this.inlining = [];
    this.loops = [];
    this.loopCarried = new Set();
    this.branchDepth = 0;
    this.loweringRecursive.add(decl);
    try {
      const scope: Scope = new Map(closure);
      const params = decl.parameters.flatMap((p, i) => {
        const object = objects.get(i);
        if (!object) return [this.lowerParam(p, scope)];
        this.bindPattern(p.name, object, scope);
        return [];
      });
      const body = this.block;
      const result = this.atomize(this.lowerBody(decl, scope, thisValue), decl);
      const sf = decl.getSourceFile();
      const line = sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
      this.functions.push({ name, roots: [], params, body, result: result.atom, resultTy: ty, origin: { file: sf.fileName, name: nameOf(decl), line } });
    } finally {
      this.loweringRecursive.delete(decl);
      Object.assign(this, { namer: saved.namer, block: saved.block, inlining: saved.inlining, loops: saved.loops, loopCarried: saved.loopCarried, branchDepth: saved.depth, currentLoc: saved.loc });
    }
    return entry;
  }

  /** A name for a root object, free in every function's namer. */
  private rootName(base: string): string {
    let name = this.namer.fresh(base);
    while (this.namers.some((n) => n !== this.namer && n.has(name))) name = this.namer.fresh(base);
    for (const n of this.namers) n.claim(name);
    return name;
  }

  private contextFor(decl: ts.Node, thisValue: Value | undefined): FnContext {
    return { decl, declareAt: { block: this.block, index: this.block.length }, multipleReturns: false, thisValue };
  }

  // ---------------------------------------------------------------- building IR

  private prim(op: string, args: Value[], ty: Ty, node: ts.Node): Value {
    const atoms = args.map((a, i) => this.atomize(a, (node as ts.CallExpression).arguments?.[i] ?? node).atom);
    const name = this.namer.tmp();
    const resultTy = ty.kind === 'number' ? numberTy : tensorTy;
    this.block.push({ kind: 'let', name, ty: resultTy, expr: { kind: 'prim', op, args: atoms }, loc: this.locOf(node) });
    return { kind: 'atom', atom: v(name), ty: resultTy };
  }

  private js(template: string, args: Value[], ty: Ty, node: ts.Node): Value {
    const atoms = args.map((a) => this.atomize(a, node).atom);
    const name = this.namer.tmp();
    const expr: Expr = { kind: 'js', template, args: atoms };
    this.block.push({ kind: 'let', name, ty, expr, loc: this.locOf(node) });
    return { kind: 'atom', atom: v(name), ty };
  }

  /** The run-time atom for a value; tuples become tuple variables. */
  private atomize(value: Value, node: ts.Node): { atom: Atom; ty: Ty } {
    if (value.kind === 'atom') return value;
    if (value.kind === 'tuple') {
      const items = value.items.map((item) => this.atomize(item, node));
      const name = this.namer.tmp();
      const ty: Ty = { kind: 'tuple', items: items.map((i) => i.ty) };
      this.block.push({ kind: 'let', name, ty, expr: { kind: 'tuple', items: items.map((i) => i.atom) }, loc: this.locOf(node) });
      return { atom: v(name), ty };
    }
    if (value.kind === 'object') {
      const name = this.namer.fresh(value.path[value.path.length - 1] ?? value.root);
      this.block.push({ kind: 'let', name, ty: otherTy, expr: { kind: 'field', root: value.root, path: value.path }, loc: this.locOf(node) });
      return { atom: v(name), ty: otherTy };
    }
    return fail('TSG2002', node, `${describeValue(value)} used as a run-time value`);
  }

  // ---------------------------------------------------------------- types and places

  private tyOf(type: ts.Type): Ty {
    if (isTensorType(this.checker, type)) return tensorTy;
    if (isNumberType(type)) return numberTy;
    if (this.checker.isArrayType(type) && isNumberType(this.checker.getTypeArguments(type as ts.TypeReference)[0])) return { kind: 'numbers' };
    return otherTy;
  }

  private tyOfNode(node: ts.Node): Ty {
    return this.tyOf(this.checker.getTypeAtLocation(node));
  }

  /** Results of JavaScript computations are constants, but keep number/tensor for typing. */
  private tyOfJs(type: ts.Type): Ty {
    return this.tyOf(type);
  }

  private typeText(type: ts.Type, at: ts.Node): string {
    return this.checker.typeToString(type, at, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType);
  }

  private symbolOf(node: ts.Node): ts.Symbol {
    const sym = this.checker.getSymbolAtLocation(node);
    if (!sym) fail('TSG2002', node, `${node.getText()} has no symbol`);
    return sym;
  }

  private resolveSymbol(node: ts.Node): ts.Symbol | undefined {
    const sym = this.checker.getSymbolAtLocation(node);
    if (!sym) return undefined;
    return sym.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(sym) : sym;
  }

  private locText(node: ts.Node): string {
    const loc = this.locOf(node);
    return `${path.basename(loc.file)}:${loc.line}:${loc.column}`;
  }

  private at(node: ts.Node): void {
    this.currentLoc = this.locOf(node);
  }

  private locOf(node: ts.Node): Loc {
    const sf = node.getSourceFile();
    const start = node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const origin = this.originOf(sf.fileName, line + 1);
    if (origin) return origin;
    const text = (sf.text.split(/\r?\n/)[line] ?? '').trim();
    return { file: sf.fileName, line: line + 1, column: character + 1, text };
  }
}

// ------------------------------------------------------------------ helpers

/** The class declaration behind a Cell type. */
export function classRefOf(type: ts.Type): ClassRef | undefined {
  const decl = type.getSymbol()?.valueDeclaration ?? type.getSymbol()?.declarations?.[0];
  if (!decl || !ts.isClassDeclaration(decl) || !decl.name) return undefined;
  return { file: decl.getSourceFile().fileName, name: decl.name.text };
}

/** The object a method runs on, as `root.path`, or '' for a plain function. */
function thisKeyOf(thisValue: Value | undefined): string {
  return thisValue?.kind === 'object' ? [thisValue.root, ...thisValue.path].join('.') : '';
}

/** The first local of an enclosing function (a run-time value in `closure`) that `decl` reads. */
function readsLocals(decl: ts.SignatureDeclaration, closure: Scope, checker: ts.TypeChecker): string | undefined {
  const isLocal = (value: Value | undefined): boolean =>
    value !== undefined && ((value.kind === 'atom' && value.atom.kind === 'var') || (value.kind === 'tuple' && value.items.some(isLocal)) || (value.kind === 'record' && [...value.props.values()].some(isLocal)));
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const sym = checker.getSymbolAtLocation(node);
      if (sym && isLocal(closure.get(sym))) found = node.text;
    }
    ts.forEachChild(node, visit);
  };
  visit(decl);
  return found;
}

/** A function of a generated module other than its entry: a recursive function or one of its gradients. */
function isGeneratedHelper(decl: ts.SignatureDeclaration): boolean {
  if (!ts.isFunctionDeclaration(decl) || !path.basename(decl.getSourceFile().fileName).startsWith('__tsgrad_order_')) return false;
  return !(ts.getModifiers(decl) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The value of a variable declared without an initializer, before it is assigned. */
function isNumberValue(value: Value): boolean {
  return value.kind === 'atom' && value.ty.kind === 'number';
}

function isUnassigned(value: Value): boolean {
  return value.kind === 'atom' && value.atom.kind === 'lit' && value.atom.value === undefined;
}

/** Where a declaration's name is, as a Loc (file, 1-based line and column, the line's text). */
export function declaredAt(name: ts.Node): Loc {
  const sf = name.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(name.getStart(sf));
  return { file: sf.fileName, line: line + 1, column: character + 1, text: (sf.text.split(/\r?\n/)[line] ?? '').trim() };
}

export function sameLoc(a: Loc, b: Loc): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

/** `net.ts:4:9`. */
export function placeOf(loc: Loc): string {
  return `${path.basename(loc.file)}:${loc.line}:${loc.column}`;
}

function isModuleLevel(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && ts.isVariableStatement(decl.parent.parent) && ts.isSourceFile(decl.parent.parent.parent);
}

function countReturns(node: ts.Node): number {
  let n = 0;
  const visit = (child: ts.Node): void => {
    if (ts.isFunctionLike(child)) return;
    if (ts.isReturnStatement(child)) n++;
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
  return n;
}

/** True when `node` holds a break or continue that leaves a loop enclosing `node`. */
function containsJump(node: ts.Node): boolean {
  let found = false;
  const visit = (child: ts.Node, depth: number): void => {
    if (found || ts.isFunctionLike(child)) return;
    if ((ts.isBreakStatement(child) || ts.isContinueStatement(child)) && depth === 0) found = true;
    const inner = ts.isIterationStatement(child, false) ? depth + 1 : depth;
    ts.forEachChild(child, (c) => visit(c, inner));
  };
  if (ts.isIterationStatement(node, false)) return false;
  visit(node, 0);
  return found;
}

/** Symbols assigned anywhere inside `node` (not inside nested functions). */
function assignedSymbols(node: ts.Node, checker: ts.TypeChecker): ts.Symbol[] {
  const out = new Set<ts.Symbol>();
  const visit = (child: ts.Node): void => {
    if (ts.isFunctionLike(child)) return;
    let target: ts.Expression | undefined;
    if (ts.isBinaryExpression(child) && isAssignment(child.operatorToken.kind)) target = child.left;
    if ((ts.isPrefixUnaryExpression(child) || ts.isPostfixUnaryExpression(child)) && (child.operator === ts.SyntaxKind.PlusPlusToken || child.operator === ts.SyntaxKind.MinusMinusToken)) target = child.operand;
    const targets = target && ts.isArrayLiteralExpression(target) ? target.elements : target ? [target] : [];
    for (const t of targets) {
      if (ts.isIdentifier(t)) {
        const sym = checker.getSymbolAtLocation(t);
        if (sym) out.add(sym);
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(node);
  return [...out];
}

function containsReturn(node: ts.Node): boolean {
  return countReturns(node) > 0 || ts.isReturnStatement(node);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function compoundOperator(kind: ts.SyntaxKind): string {
  const text = ts.tokenToString(kind) ?? '';
  return text.slice(0, -1);
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a.kind === 'atom' && b.kind === 'atom') {
    return a.atom.kind === b.atom.kind && (a.atom.kind === 'var' ? a.atom.name === (b.atom as { name: string }).name : a.atom.value === (b.atom as { value: unknown }).value);
  }
  if (a.kind === 'tuple' && b.kind === 'tuple') return a.items.length === b.items.length && a.items.every((x, i) => sameValue(x, b.items[i]));
  return false;
}

/** The types of the variables `values` hold, through tuples, records and closures (each scope once). */
function collectTypes(values: Iterable<Value>, into: Map<string, Ty>, seen: Set<Scope>): void {
  for (const value of values) {
    if (value.kind === 'atom' && value.atom.kind === 'var') into.set(value.atom.name, value.ty);
    else if (value.kind === 'tuple') collectTypes(value.items, into, seen);
    else if (value.kind === 'record') collectTypes(value.props.values(), into, seen);
    else if (value.kind === 'gradient') collectTypes([value.fn], into, seen);
    else if (value.kind === 'function' && !seen.has(value.scope)) {
      seen.add(value.scope);
      collectTypes(value.scope.values(), into, seen);
    }
  }
}

function describeValue(value: Value): string {
  switch (value.kind) {
    case 'atom':
      return `a ${value.ty.kind}`;
    case 'tuple':
      return `an array of ${value.items.length}`;
    case 'object':
      return 'an object';
    case 'function':
      return 'a function';
    case 'primitive':
      return `the primitive ${value.op}`;
    case 'record':
      return 'an object literal';
    case 'gradient':
      return 'a gradient function (call it where it stands)';
  }
}

function describeSyntax(node: ts.Node): string {
  return ts.SyntaxKind[node.kind].replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A function's name for generated code: its own, or the const it is assigned to. */
function functionName(decl: ts.Node): string {
  const name = (decl as { name?: ts.Node }).name ?? (ts.isVariableDeclaration(decl.parent) ? decl.parent.name : undefined);
  return name && ts.isIdentifier(name) ? name.text : 'recursive';
}

function nameOf(decl: ts.Node): string {
  const name = (decl as { name?: ts.Node }).name;
  return name ? name.getText() : 'an anonymous function';
}

export function relativeFile(file: string, from: string): string {
  return path.relative(from, file).split(path.sep).join('/');
}
