// Every diagnostic the compiler can report: a stable code, a message, and what to write
// instead. Codes never change meaning; new ones are added at the end of their group.
//   TSG0xxx  the build doors: configuration and committed modules
//   TSG1xxx  the fence: syntax tsgrad does not differentiate
//   TSG2xxx  resolution: callees and values the compiler cannot see through
//   TSG3xxx  the request at a call site (gradPosition, weights, hasAux; jit's argument)
//   TSG4xxx  warnings: requested gradients that are always zero

import { ts } from 'ts-morph';

export const codes = {
  TSG0001: { message: 'no output folder', hint: 'pass --out-dir or set compilerOptions.outDir' },
  TSG0002: { message: 'the generated module imports a declaration the source does not export', hint: 'export it: a committed gradient module can only import what the source exports' },
  TSG1001: { message: 'unsupported syntax', hint: 'rewrite it with the constructs listed in SPEC.md, "What the compiler differentiates"' },
  TSG1002: { message: 'this loop form cannot be differentiated', hint: 'use for, while, do…while, or for…of over an array whose length is known (a tuple)' },
  TSG1003: { message: 'try/catch cannot be differentiated', hint: 'move error handling outside the differentiated function' },
  TSG1004: { message: 'async functions, await and generators cannot be differentiated', hint: 'compute synchronously inside construct' },
  TSG1005: { message: 'eval and new Function cannot be differentiated', hint: 'write the computation as ordinary code' },
  TSG1006: { message: 'writes to fields or module state cannot be differentiated', hint: 'keep state changes outside construct; return values instead' },
  TSG1007: { message: 'this recursion cannot be differentiated', hint: 'a recursive function takes Tensors and numbers, returns a Tensor or a number, reads no locals of an enclosing function, calls itself on the same object' },
  TSG1008: { message: 'a return inside a loop is not supported yet', hint: 'break out of the loop and return after it' },
  TSG1009: { message: 'this code is nested too deeply to compile', hint: 'split the expression into named steps (const a = …; const b = …)' },
  TSG2001: { message: 'cannot resolve the callee', hint: 'call ops.*, a primitive object (ops.Sin()), a Cell, or a function of the program' },
  TSG2002: { message: 'cannot see through this value', hint: 'give it a concrete type (a Tensor, a number, a Cell subclass or a function of the program)' },
  TSG2003: { message: 'this Cell has no construct method the compiler can read', hint: 'give the value a concrete Cell subclass type that defines construct' },
  TSG2004: { message: 'cannot differentiate this call', hint: 'pass a Cell instance, a function declaration, an arrow function, or a module-level const' },
  TSG2005: { message: 'values that differ between branches must have the same structure', hint: 'make both branches produce the same kind of value' },
  TSG2006: { message: 'a bprop returns the wrong number of gradients', hint: 'return one gradient per input of construct, then (optionally) one per Parameter the Cell declares, in field order' },
  TSG2007: { message: 'the differentiated code reads two different locals of enclosing functions by one name', hint: 'rename one of them: generated code receives captured locals by name' },
  TSG2008: { message: 'at this call the captured local is hidden by another of the same name', hint: 'call it where the locals the function captures are in scope under their own names, or rename the local that hides one' },
  TSG3001: { message: 'gradPosition is out of range', hint: 'positions count the inputs from 0' },
  TSG3002: { message: 'gradPosition must be a number literal, an array of number literals, or null', hint: 'write the positions literally at the call site' },
  TSG3003: { message: 'gradPosition: null needs weights', hint: 'pass weights, or request at least one input position' },
  TSG3004: { message: 'options must be an object literal', hint: 'write { gradPosition, weights, hasAux } at the call site' },
  TSG3005: { message: 'hasAux must be a boolean literal', hint: 'write hasAux: true or hasAux: false' },
  TSG3007: { message: 'hasAux needs a function that returns an array of outputs', hint: 'return [loss, aux…]' },
  TSG3010: { message: 'forward mode cannot differentiate this', hint: 'give the primitive a jvp rule beside its vjp in runtime/ops, or use reverse mode (grad, vjp, jacrev)' },
  TSG3011: { message: 'this option is not supported by this API', hint: 'jacfwd, jacrev and hessian take { gradPosition, hasAux } and differentiate inputs only' },
  TSG3012: { message: 'jit compiles a Cell or a function', hint: 'write jit(net) or jit(f) with one argument; a gradient function is compiled code already: call it directly, or take grad(jit(f))' },
  TSG3013: { message: 'hasAux over a gradient function taken with weights needs that gradient to have one gradPosition', hint: 'its first output is then the input gradient; with gradPosition null or several positions, use jacfwd or jacrev with hasAux, which take the first output as the gradient function returns it' },
  TSG3014: { message: 'grad inside differentiated code cannot differentiate this in place', hint: 'write the function it differentiates without recursion or bprop (and, for grad(grad(g))(x) or inside jvp, without loops), make number inputs that enter tensor code 0-d Tensors, take weight gradients outside, or compose from outside: grad(grad(f)), jvp(grad(f), …)' },
  TSG4001: { message: 'the requested gradient is always zero', hint: 'check that the input or weight reaches the output' },
} as const;

export type DiagnosticCode = keyof typeof codes;

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  /** The message, with the specifics of this occurrence. */
  readonly message: string;
  readonly hint: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The source line and a caret under the span. */
  readonly frame: string;
}

/** Thrown by compiler phases; carries one diagnostic. */
export class CompileError extends Error {
  /** Every diagnostic of this failure; the first is `diagnostic`. */
  readonly diagnostics: readonly Diagnostic[];
  constructor(readonly diagnostic: Diagnostic, more: readonly Diagnostic[] = []) {
    super([diagnostic, ...more].map(formatDiagnostic).join('\n'));
    this.name = 'CompileError';
    this.diagnostics = [diagnostic, ...more];
  }
}

/** A diagnostic at `node`; `detail` names the construct. */
export function diagnosticAt(code: DiagnosticCode, node: ts.Node, detail?: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  const lineText = sf.text.split(/\r?\n/)[line] ?? '';
  const width = Math.max(1, Math.min(node.getEnd(), sf.getLineEndOfPosition(start)) - start);
  const frame = `${String(line + 1).padStart(4)} | ${lineText}\n     | ${' '.repeat(character)}${'^'.repeat(width)}`;
  const entry = codes[code];
  return {
    code,
    severity,
    message: detail ? `${entry.message}: ${detail}` : entry.message,
    hint: entry.hint,
    file: sf.fileName,
    line: line + 1,
    column: character + 1,
    frame,
  };
}

/**
 * `d`, moved to `line:column` of `file` (whose text is `text`): for a diagnostic raised in
 * generated code that a higher order reads back, which the user never wrote.
 */
export function movedTo(d: Diagnostic, file: string, text: string, line: number, column: number): Diagnostic {
  const lineText = text.split(/\r?\n/)[line - 1] ?? '';
  const width = Math.max(1, lineText.trimEnd().length - (column - 1));
  const frame = `${String(line).padStart(4)} | ${lineText}\n     | ${' '.repeat(column - 1)}${'^'.repeat(width)}`;
  return { ...d, file, line, column, frame };
}

export function fail(code: DiagnosticCode, node: ts.Node, detail?: string): never {
  throw new CompileError(diagnosticAt(code, node, detail));
}

/** `file:line:column - error TSG1003: message` with the code frame and the hint. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} - ${d.severity} ${d.code}: ${d.message}\n${d.frame}\n     = ${d.hint}`;
}
