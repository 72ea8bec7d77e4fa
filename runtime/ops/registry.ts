// The one list of primitives. Everything else (the public `ops` namespace, the compiler's
// rule lookup and number syntax, the registry-driven gradient tests) derives from it:
// adding an op is its file plus one line here.

import type { PrimitiveSpec } from './primitive.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { atan } from './atan.js';
import { broadcastLike } from './broadcastLike.js';
import { cos } from './cos.js';
import { cosh } from './cosh.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { expm1 } from './expm1.js';
import { log } from './log.js';
import { log1p } from './log1p.js';
import { logSoftmax } from './logSoftmax.js';
import { matmul } from './matmul.js';
import { matrixTranspose } from './matrixTranspose.js';
import { maximum } from './maximum.js';
import { mean } from './mean.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { oneHot } from './oneHot.js';
import { onesLike } from './onesLike.js';
import { pow } from './pow.js';
import { reducedCount } from './reducedCount.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { reshapeLike } from './reshapeLike.js';
import { restoreReduced } from './restoreReduced.js';
import { round } from './round.js';
import { selectFirst } from './selectFirst.js';
import { sigmoid } from './sigmoid.js';
import { sign } from './sign.js';
import { sin } from './sin.js';
import { sinh } from './sinh.js';
import { softmax } from './softmax.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { step } from './step.js';
import { stopGradient } from './stopGradient.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { sumToLike } from './sumToLike.js';
import { tan } from './tan.js';
import { tanh } from './tanh.js';
import { transpose } from './transpose.js';
import { transposeInverse } from './transposeInverse.js';
import { zerosLike } from './zerosLike.js';

export const primitives = {
  abs,
  add,
  atan,
  broadcastLike,
  cos,
  cosh,
  div,
  exp,
  expm1,
  log,
  log1p,
  logSoftmax,
  matmul,
  matrixTranspose,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  oneHot,
  onesLike,
  pow,
  reducedCount,
  relu,
  reshape,
  reshapeLike,
  restoreReduced,
  round,
  selectFirst,
  sigmoid,
  sign,
  sin,
  sinh,
  softmax,
  sqrt,
  square,
  step,
  stopGradient,
  sub,
  sum,
  sumToLike,
  tan,
  tanh,
  transpose,
  transposeInverse,
  zerosLike,
} as const;

export type PrimitiveName = keyof typeof primitives;

/** The spec of the primitive named `name`, or undefined. */
export function primitiveSpec(name: string): PrimitiveSpec | undefined {
  return Object.prototype.hasOwnProperty.call(primitives, name)
    ? (primitives as Record<string, { spec: PrimitiveSpec }>)[name].spec
    : undefined;
}
