// Prints an IR function as formatted TypeScript: `const` for values written once, `let`
// for joins, tensors through `ops.*`, numbers as plain arithmetic, and the comments the
// differentiator left (`// grad of: …`). A value defined inside a branch and read after
// it is declared before the branch. Output is deterministic: same IR, same text.

import { Atom, Expr, Func, Loc, Stmt, Ty, childBlocks } from '../ir/nodes.js';
import { exprAtoms } from '../4-simplify/simplify.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';

export interface EmitOptions {
  /** The exported function's name. */
  readonly name: string;
  /** TSDoc lines above the function. */
  readonly doc?: readonly string[];
  /** Type text for the `self` parameter, when the function takes the network first. */
  readonly selfType?: string;
  /** Round every number operation to float32 (`Math.fround`): the scalar path of float32 code. */
  readonly fround?: boolean;
  /** A condition checked first: when it does not hold the function returns undefined (and its type says so). */
  readonly guard?: string;
}

/** Set while a function is emitted with `fround`. */
let froundNumbers = false;
/** The arguments every `call` passes first (`self`, `env`), as the functions of a program share them. */
let leadingArgs: readonly string[] = [];

const INDENT = '  ';

/** Output lines, each with the source location of the statement it came from. */
class Lines {
  readonly text: string[] = [];
  readonly origins: (Loc | undefined)[] = [];
  /** The location recorded for the lines pushed next. */
  loc: Loc | undefined;
  push(...lines: string[]): void {
    for (const line of lines) {
      this.text.push(line);
      this.origins.push(this.loc);
    }
  }
}

export function emitFunction(func: Func, options: EmitOptions): string {
  return emitFunctionLines(func, options).text.join('\n');
}

/** The function's lines and, for each, the user's source location it came from (for source maps). */
export function emitFunctionLines(func: Func, options: EmitOptions): { text: string[]; origins: (Loc | undefined)[] } {
  froundNumbers = options.fround ?? false;
  const envType = envTypeOf(func);
  leadingArgs = [...(options.selfType !== undefined ? ['self'] : []), ...(envType !== undefined ? ['env'] : [])];
  try {
    const main = emitLines(func, options, envType);
    for (const helper of calledFunctions(func)) {
      const lines = emitLines(helper, { ...options, guard: undefined, name: helper.name, doc: helper.doc ? [helper.doc] : undefined }, envType, false);
      main.text.push('', ...lines.text);
      main.origins.push(undefined, ...lines.origins);
    }
    return main;
  } finally {
    froundNumbers = false;
    leadingArgs = [];
  }
}

/** The functions `func` calls, directly or through each other, in the order it lists them. */
function calledFunctions(func: Func): Func[] {
  const byName = new Map((func.functions ?? []).map((f) => [f.name, f]));
  const reached = new Set<string>();
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'let' && s.expr.kind === 'call' && !reached.has(s.expr.fn) && byName.has(s.expr.fn)) {
        reached.add(s.expr.fn);
        visit(byName.get(s.expr.fn)!.body);
      }
      for (const child of childBlocks(s)) visit(child);
    }
  };
  visit(func.body);
  return (func.functions ?? []).filter((f) => reached.has(f.name));
}

function emitLines(func: Func, options: EmitOptions, envType: string | undefined, exported = true): { text: string[]; origins: (Loc | undefined)[] } {
  const hoisted = hoistedNames(func.body);
  const types = new Map<string, Ty>();
  const lines = new Lines();
  if (options.doc && options.doc.length > 0) {
    lines.push('/**', ...options.doc.map((l) => (l ? ` * ${l}` : ' *')), ' */');
  }
  const params = [
    ...(options.selfType !== undefined ? [`self: ${options.selfType}`] : []),
    ...(envType !== undefined ? [`env: ${envType}`] : []),
    ...func.params.map((p) => `${p.name}: ${tsTypeOf(p.ty, p.tsType)}`),
  ];
  const resultType = `${tsTypeOf(func.resultTy)}${options.guard !== undefined ? ' | undefined' : ''}`;
  lines.push(`${exported ? 'export ' : ''}function ${options.name}(${params.join(', ')}): ${resultType} {`);
  if (options.guard !== undefined) lines.push(`${INDENT}if (!(${options.guard}))`, `${INDENT}${INDENT}return undefined;`);
  const declaredUp = collectHoistedLets(func.body, hoisted);
  for (const [name, ty] of declaredUp) lines.push(`${INDENT}let ${name}!: ${tsTypeOf(ty)};`);
  emitBlock(func.body, 1, lines, hoisted, types);
  lines.loc = undefined;
  lines.push(`${INDENT}return ${atom(func.result)};`);
  lines.push('}');
  return { text: lines.text, origins: lines.origins };
}

function emitBlock(stmts: readonly Stmt[], depth: number, lines: Lines, hoisted: Set<string>, types: Map<string, Ty>): void {
  const pad = INDENT.repeat(depth);
  for (const s of stmts) {
    lines.loc = 'loc' in s ? s.loc : undefined;
    switch (s.kind) {
      case 'let':
        types.set(s.name, s.ty);
        if (hoisted.has(s.name)) lines.push(`${pad}${s.name} = ${expr(s.expr, s.ty)};`);
        else {
          // Tuples are annotated: an array literal alone would widen to T[].
          const annotation = s.ty.kind === 'tuple' ? `: ${tsTypeOf(s.ty)}` : '';
          lines.push(`${pad}${s.mutable ? 'let' : 'const'} ${s.name}${annotation} = ${expr(s.expr, s.ty)};`);
        }
        break;
      case 'declare':
        types.set(s.name, s.ty);
        if (!hoisted.has(s.name)) lines.push(`${pad}let ${s.name}${s.partial ? '!' : ''}: ${tsTypeOf(s.ty)};`);
        break;
      case 'assign':
        lines.push(`${pad}${s.name} = ${atom(s.value)};`);
        break;
      case 'if': {
        lines.push(`${pad}if (${atom(s.cond)}) {`);
        emitBlock(s.then, depth + 1, lines, hoisted, types);
        if (s.else.some((x) => x.kind !== 'comment')) {
          lines.push(`${pad}} else {`);
          emitBlock(s.else, depth + 1, lines, hoisted, types);
        }
        lines.push(`${pad}}`);
        break;
      }
      case 'loop': {
        const inner = INDENT.repeat(depth + 1);
        const test = () => lines.push(`${inner}if (!${atom(s.cond)}) break;`);
        if (s.testFirst && s.head.length === 0) {
          lines.push(`${pad}while (${atom(s.cond)}) {`);
          emitBlock(s.body, depth + 1, lines, hoisted, types);
        } else if (s.testFirst) {
          lines.push(`${pad}while (true) {`);
          emitBlock(s.head, depth + 1, lines, hoisted, types);
          test();
          emitBlock(s.body, depth + 1, lines, hoisted, types);
        } else {
          lines.push(`${pad}while (true) {`);
          emitBlock(s.body, depth + 1, lines, hoisted, types);
          emitBlock(s.head, depth + 1, lines, hoisted, types);
          test();
        }
        lines.push(`${pad}}`);
        break;
      }
      case 'break':
        lines.push(`${pad}break;`);
        break;
      case 'continue':
        lines.push(`${pad}continue;`);
        break;
      case 'effect':
        lines.push(`${pad}${expr(s.expr, { kind: 'other' })};`);
        break;
      case 'store':
        lines.push(`${pad}${s.array}[${atom(s.index)}] = ${atom(s.value)};`);
        break;
      case 'comment':
        lines.push(`${pad}// ${s.text}`);
        break;
    }
  }
}

function expr(e: Expr, ty: Ty): string {
  switch (e.kind) {
    case 'prim': {
      const spec = primitiveSpec(e.op);
      if (ty.kind === 'number' && spec?.number) {
        const text = substitute(spec.number.syntax, e.args.map(operand));
        return froundNumbers && !/^[\w$.]+$/.test(text) ? `Math.fround(${text})` : text;
      }
      return `ops.${e.op}(${trimUndefined(e.args).map(atom).join(', ')})`;
    }
    case 'copy':
      return atom(e.value);
    case 'field': {
      const access = [e.root, ...e.path].map((p, i) => (i === 0 ? p : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${/^\d+$/.test(p) ? p : JSON.stringify(p)}]`)).join('');
      return e.nonNull ? `${access}!` : access;
    }
    case 'tuple':
      return `[${e.items.map(atom).join(', ')}]`;
    case 'index':
      return `${atom(e.value)}[${e.index}]`;
    case 'js':
      return substitute(e.template, e.args.map(operand));
    case 'custom':
      return `${atom(e.callee)}${e.form === 'construct' ? '.construct' : ''}(${e.args.map(atom).join(', ')})`;
    case 'call':
      return `${e.fn}(${[...leadingArgs, ...e.args.map(atom)].join(', ')})`;
    case 'elem':
      return `${atom(e.array)}[${atom(e.index)}]`;
  }
}

/** Trailing `undefined` arguments are the op's defaults: leave them out. */
function trimUndefined(args: readonly Atom[]): readonly Atom[] {
  let n = args.length;
  while (n > 0 && args[n - 1].kind === 'lit' && (args[n - 1] as { value: unknown }).value === undefined) n--;
  return args.slice(0, n);
}

function substitute(template: string, operands: readonly string[]): string {
  return template.replace(/\$(\d+)/g, (_, i: string) => operands[Number(i)]);
}

/** An atom as an operand of an operator: negative numbers in parentheses. */
function operand(a: Atom): string {
  const text = atom(a);
  return text.startsWith('-') ? `(${text})` : text;
}

export function atom(a: Atom): string {
  if (a.kind === 'var') return a.name;
  const value = a.value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  return JSON.stringify(value);
}

export function tsTypeOf(ty: Ty, fallback?: string): string {
  switch (ty.kind) {
    case 'tensor':
      return 'Tensor';
    case 'number':
      return 'number';
    case 'numbers':
      return 'number[]';
    case 'tensors':
      return 'Tensor[]';
    case 'tuple':
      return `[${ty.items.map((t) => tsTypeOf(t)).join(', ')}]`;
    case 'other':
      return fallback && /^(string|boolean|number\[\]|string\[\]|boolean\[\])$/.test(fallback) ? fallback : 'any';
  }
}

/**
 * What an artifact calls: the generated function `fn`, or, when it reads the module's
 * values through `env` (envTypeOf), `fn` with `env()` passed after `self`.
 */
export function withEnv(fn: string, envType: string | undefined, hasSelf: boolean): string {
  if (envType === undefined) return fn;
  return hasSelf ? `(self: any, ...args: any[]) => (${fn} as any)(self, env(), ...args)` : `(...args: any[]) => (${fn} as any)(env(), ...args)`;
}

/** `{ w: Tensor; n: number }` for the values the function reads from `env`, if any. */
export function envTypeOf(func: Func): string | undefined {
  if (!func.roots.some((r) => r.kind === 'env')) return undefined;
  const members = new Map<string, Ty>();
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'let' && s.expr.kind === 'field' && s.expr.root === 'env' && s.expr.path.length > 0) {
        const name = s.expr.path[0];
        if (!members.has(name)) members.set(name, s.expr.path.length === 1 ? s.ty : { kind: 'other' });
      }
      for (const child of childBlocks(s)) visit(child);
    }
  };
  visit(func.body);
  for (const f of func.functions ?? []) visit(f.body);
  // Captured values whose reads were dead code: nothing to take (the call site passes nothing).
  if (members.size === 0) return undefined;
  return `{ ${[...members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, t]) => `${n}: ${tsTypeOf(t)}`).join('; ')} }`;
}

// ------------------------------------------------------------------ hoisting

/** Names defined by a `let` inside a nested block but used outside that block. */
function hoistedNames(body: readonly Stmt[]): Set<string> {
  const defBlock = new Map<string, readonly Stmt[]>();
  const parent = new Map<readonly Stmt[], readonly Stmt[] | undefined>();
  const uses: [string, readonly Stmt[]][] = [];
  const visit = (block: readonly Stmt[], up: readonly Stmt[] | undefined) => {
    parent.set(block, up);
    for (const s of block) {
      if (s.kind === 'declare') defBlock.set(s.name, block);
      if (s.kind === 'let') {
        defBlock.set(s.name, block);
        for (const a of exprAtoms(s.expr)) if (a.kind === 'var') uses.push([a.name, block]);
      } else if (s.kind === 'assign') {
        if (s.value.kind === 'var') uses.push([s.value.name, block]);
        // Reverse mode restores a loop's values by assigning them outside their block.
        uses.push([s.name, block]);
      } else if (s.kind === 'effect') {
        for (const a of exprAtoms(s.expr)) if (a.kind === 'var') uses.push([a.name, block]);
      } else if (s.kind === 'if') {
        if (s.cond.kind === 'var') uses.push([s.cond.name, block]);
        visit(s.then, block);
        visit(s.else, block);
      } else if (s.kind === 'loop') {
        // The test reads the condition inside the loop's head block.
        if (s.cond.kind === 'var') uses.push([s.cond.name, s.head]);
        visit(s.head, block);
        visit(s.body, block);
      }
    }
  };
  visit(body, undefined);
  const hoisted = new Set<string>();
  for (const [name, useBlock] of uses) {
    const def = defBlock.get(name);
    if (!def || def === body) continue;
    let b: readonly Stmt[] | undefined = useBlock;
    while (b && b !== def) b = parent.get(b);
    if (b !== def) hoisted.add(name);
  }
  return hoisted;
}

function collectHoistedLets(body: readonly Stmt[], hoisted: Set<string>): [string, Ty][] {
  const out: [string, Ty][] = [];
  const visit = (block: readonly Stmt[]) => {
    for (const s of block) {
      if ((s.kind === 'let' || s.kind === 'declare') && hoisted.has(s.name)) out.push([s.name, s.ty]);
      for (const child of childBlocks(s)) visit(child);
    }
  };
  visit(body);
  return out;
}
