// A readable text form of the IR (`tsgrad emit --ir`): one statement a line, blocks
// indented, types after names, primitives by registry name.

import { Atom, Expr, Func, Stmt, Ty } from './nodes.js';

export function printFunc(func: Func): string {
  const lines: string[] = [];
  const roots = func.roots.map((r) => `${r.name}: ${r.kind}${r.module ? ` ${r.module.exportName}` : ''}`);
  lines.push(`func ${func.name}(${func.params.map((p) => `${p.name}: ${ty(p.ty)}`).join(', ')})${roots.length ? ` roots {${roots.join(', ')}}` : ''} {`);
  block(func.body, 1, lines);
  lines.push(`  return ${atom(func.result)}: ${ty(func.resultTy)}`, '}');
  return lines.join('\n');
}

function block(stmts: readonly Stmt[], depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  for (const s of stmts) {
    switch (s.kind) {
      case 'let':
        lines.push(`${pad}${s.mutable ? 'var' : 'let'} ${s.name}: ${ty(s.ty)} = ${expr(s.expr)}`);
        break;
      case 'declare':
        lines.push(`${pad}var ${s.name}: ${ty(s.ty)}`);
        break;
      case 'assign':
        lines.push(`${pad}${s.name} := ${atom(s.value)}`);
        break;
      case 'if':
        lines.push(`${pad}if ${atom(s.cond)} {`);
        block(s.then, depth + 1, lines);
        lines.push(`${pad}} else {`);
        block(s.else, depth + 1, lines);
        lines.push(`${pad}}`);
        break;
      case 'loop':
        lines.push(`${pad}loop ${s.testFirst ? 'while' : 'do-while'} {`);
        block(s.head, depth + 1, lines);
        lines.push(`${pad}  test ${atom(s.cond)}`);
        block(s.body, depth + 1, lines);
        lines.push(`${pad}}`);
        break;
      case 'break':
      case 'continue':
        lines.push(`${pad}${s.kind}`);
        break;
      case 'effect':
        lines.push(`${pad}effect ${expr(s.expr)}`);
        break;
      case 'store':
        lines.push(`${pad}${s.array}[${atom(s.index)}] = ${atom(s.value)}`);
        break;
      case 'comment':
        lines.push(`${pad}# ${s.text}`);
        break;
    }
  }
}

function expr(e: Expr): string {
  switch (e.kind) {
    case 'prim':
      return `${e.op}(${e.args.map(atom).join(', ')})`;
    case 'copy':
      return atom(e.value);
    case 'field':
      return `${e.slot ? 'param ' : ''}${[e.root, ...e.path].join('.')}`;
    case 'tuple':
      return `(${e.items.map(atom).join(', ')})`;
    case 'index':
      return `${atom(e.value)}[${e.index}]`;
    case 'js':
      return `js\`${e.template}\`(${e.args.map(atom).join(', ')})`;
    case 'elem':
      return `${atom(e.array)}[${atom(e.index)}]`;
    case 'custom':
      return `custom ${atom(e.callee)}.${e.form}(${e.args.map(atom).join(', ')})`;
    case 'call':
      return `call ${e.fn}(${e.args.map(atom).join(', ')})`;
  }
}

function atom(a: Atom): string {
  return a.kind === 'var' ? a.name : a.value === undefined ? 'undefined' : JSON.stringify(a.value);
}

function ty(t: Ty): string {
  return t.kind === 'tuple' ? `(${t.items.map(ty).join(', ')})` : t.kind;
}
