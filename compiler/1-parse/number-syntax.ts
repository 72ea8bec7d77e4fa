// How plain-number code maps to primitives: derived from each primitive's `number.syntax`
// in the runtime registry (`Math.sin($0)`, `$0 * $1`, `-$0`), never from a list here.

import { primitives } from '../../runtime/ops/registry.js';
import type { PrimitiveSpec } from '../../runtime/ops/primitive.js';

const math = new Map<string, string>();
const binary = new Map<string, string>();
const unary = new Map<string, string>();

for (const op of Object.values(primitives) as { spec: PrimitiveSpec }[]) {
  const syntax = op.spec.number?.syntax;
  if (!syntax) continue;
  let m: RegExpMatchArray | null;
  if ((m = syntax.match(/^Math\.(\w+)\(/))) math.set(m[1], op.spec.name);
  else if ((m = syntax.match(/^\$0 (\S+) \$1$/))) binary.set(m[1], op.spec.name);
  else if ((m = syntax.match(/^(\S)\$0$/))) unary.set(m[1], op.spec.name);
}

/** The primitive for `Math.<name>`, if it has a number form. */
export function mathPrimitive(name: string): string | undefined {
  return math.get(name);
}

/** The primitive for the binary operator `op` on numbers (`*` → mul). */
export function operatorPrimitive(op: string): string | undefined {
  return binary.get(op);
}

/** The primitive for the unary operator `op` on numbers (`-` → neg). */
export function unaryPrimitive(op: string): string | undefined {
  return unary.get(op);
}
