// The one list of primitives. Everything else (the public `ops` namespace, the compiler's
// rule lookup, the registry-driven gradient tests, the docs) derives from it: adding an
// op is its file plus one line here.

import type { PrimitiveSpec } from './primitive.js';
import { add } from './add.js';
import { broadcastLike } from './broadcastLike.js';
import { cos } from './cos.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { onesLike } from './onesLike.js';
import { sin } from './sin.js';
import { sumToLike } from './sumToLike.js';

export const primitives = {
  add,
  broadcastLike,
  cos,
  mul,
  neg,
  onesLike,
  sin,
  sumToLike,
} as const;

export type PrimitiveName = keyof typeof primitives;

/** The spec of the primitive named `name`, or undefined. */
export function primitiveSpec(name: string): PrimitiveSpec | undefined {
  return Object.prototype.hasOwnProperty.call(primitives, name)
    ? (primitives as Record<string, { spec: PrimitiveSpec }>)[name].spec
    : undefined;
}
