// Activity analysis: a variable is active when it depends on a requested input or
// weight (varied) and the differentiated output depends on it (useful). Only active
// variables get adjoints, so unrequested inputs and weights cost no work.

import { Atom, Func, Stmt } from '../ir/nodes.js';
import { primitiveSpec } from '../../runtime/ops/registry.js';

export interface Activity {
  readonly varied: ReadonlySet<string>;
  readonly useful: ReadonlySet<string>;
  isActive(name: string): boolean;
}

/**
 * `sources`: the variables differentiated with respect to (params, weight reads).
 * `outputs`: the variables whose sum is differentiated.
 */
export function analyzeActivity(func: Func, sources: Iterable<string>, outputs: Iterable<string>): Activity {
  const edges = dataflow(func.body);
  const varied = closure(new Set(sources), (from) => edges.forward.get(from));
  const useful = closure(new Set(outputs), (to) => edges.backward.get(to));
  return { varied, useful, isActive: (name) => varied.has(name) && useful.has(name) };
}

interface Edges {
  /** input variable → variables computed from it along a differentiable path */
  readonly forward: Map<string, Set<string>>;
  readonly backward: Map<string, Set<string>>;
}

/** The differentiable dependencies: which variables flow into which, through rules. */
function dataflow(body: readonly Stmt[]): Edges {
  const forward = new Map<string, Set<string>>();
  const backward = new Map<string, Set<string>>();
  const link = (from: Atom, to: string) => {
    if (from.kind !== 'var') return;
    if (!forward.has(from.name)) forward.set(from.name, new Set());
    forward.get(from.name)!.add(to);
    if (!backward.has(to)) backward.set(to, new Set());
    backward.get(to)!.add(from.name);
  };
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      switch (s.kind) {
        case 'let': {
          const e = s.expr;
          if (e.kind === 'prim') {
            const spec = primitiveSpec(e.op);
            const rules = spec?.vjp ?? {};
            e.args.forEach((a, i) => {
              const param = spec?.params[i];
              if (param !== undefined && rules[param]) link(a, s.name);
            });
          } else if (e.kind === 'copy') link(e.value, s.name);
          else if (e.kind === 'tuple') e.items.forEach((a) => link(a, s.name));
          else if (e.kind === 'index') link(e.value, s.name);
          else if (e.kind === 'elem') link(e.array, s.name);
          else if (e.kind === 'custom') [...e.args, ...(e.weights ?? [])].forEach((a) => link(a, s.name));
          else if (e.kind === 'call') [...e.args, ...(e.weights ?? [])].forEach((a) => link(a, s.name));
          break;
        }
        case 'assign':
          link(s.value, s.name);
          break;
        case 'store':
          link(s.value, s.array);
          break;
        case 'if':
          visit(s.then);
          visit(s.else);
          break;
        case 'loop':
          visit(s.head);
          visit(s.body);
          break;
        case 'declare':
        case 'break':
        case 'continue':
        case 'effect':
        case 'comment':
          break;
        default:
          exhaustive(s);
      }
    }
  };
  visit(body);
  return { forward, backward };
}

function closure(start: Set<string>, next: (name: string) => Set<string> | undefined): Set<string> {
  const work = [...start];
  while (work.length > 0) {
    const name = work.pop()!;
    for (const n of next(name) ?? []) {
      if (!start.has(n)) {
        start.add(n);
        work.push(n);
      }
    }
  }
  return start;
}

export function exhaustive(x: never): never {
  throw new Error(`unhandled IR node: ${JSON.stringify(x)}`);
}
