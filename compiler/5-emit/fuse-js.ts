// A fused run's steps as a plain JavaScript loop (the fuse pass, fuse.ts, decides what the
// loop reads and writes): each step is its op's plain float32 kernel expression
// (runtime/kernels/elementwise.ts) on one element, rounded to float32 with Math.fround
// where the kernel's store would round it, so the loop gives the ops' bits exactly.

import { binaryExpressions, unaryExpressions } from '../../runtime/kernels/elementwise.js';
import { atom } from './typescript.js';

/** One step of the loop: `name = op(args)`, the operands already as JavaScript text. */
export interface JsStep {
  readonly name: string;
  readonly op: string;
  readonly args: readonly string[];
  /** The source comment to show above it (`grad of: …`), where that changes. */
  readonly comment?: string;
}

export interface JsLoop {
  /** The loop index and trip count, as names or expressions. */
  readonly index: string;
  readonly count: string;
  /** `const <name> = <expr>;` at the top of the body: the elements the loop reads. */
  readonly loads: readonly { readonly name: string; readonly expr: string }[];
  readonly steps: readonly JsStep[];
  /** Statements at the end of the body: the stores. */
  readonly stores: readonly string[];
}

/** Ops whose result is one of their operands (or 0, 1): exact in float32 with no rounding. */
const unrounded: ReadonlySet<string> = new Set(['neg', 'abs', 'relu', 'step', 'copy', 'stopGradient', 'maximum', 'minimum']);

/** A number operand as the float32 kernel sees it: rounded to float32 once, here. */
export function f32Literal(value: number): string {
  const text = atom({ kind: 'lit', value: Math.fround(value) });
  return text.startsWith('-') ? `(${text})` : text;
}

/** The JavaScript expression of one step, as the op's plain float32 kernel computes it. */
export function stepExpression(op: string, args: readonly string[]): string {
  let expr: string;
  if (op === 'stopGradient') expr = args[0];
  else if (op in unaryExpressions) expr = unaryExpressions[op as keyof typeof unaryExpressions].replace(/\bv\b/g, args[0]);
  else if (op in binaryExpressions) {
    expr = binaryExpressions[op as keyof typeof binaryExpressions].replace(/\b[xy]\b/g, (k) => (k === 'x' ? args[0] : args[1]));
  } else throw new Error(`fuse: no JavaScript form for ${op}`);
  return unrounded.has(op) ? expr : `Math.fround(${expr})`;
}

/** The loop's lines, indented by `indent`. */
export function jsLoopLines(loop: JsLoop, indent: string): string[] {
  const inner = `${indent}  `;
  const lines = [`${indent}for (let ${loop.index} = 0; ${loop.index} < ${loop.count}; ${loop.index}++) {`];
  for (const { name, expr } of loop.loads) lines.push(`${inner}const ${name} = ${expr};`);
  for (const step of loop.steps) {
    if (step.comment !== undefined) lines.push(`${inner}// ${step.comment}`);
    lines.push(`${inner}const ${step.name} = ${stepExpression(step.op, step.args)};`);
  }
  for (const store of loop.stores) lines.push(`${inner}${store}`);
  lines.push(`${indent}}`);
  return lines;
}
