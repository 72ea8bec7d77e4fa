// The one list of primitives. Everything else (the public `ops` namespace, the compiler's
// rule lookup and number syntax, the registry-driven gradient tests, the primitive
// factories) derives from it: adding an op is its file plus one line here and one export
// line in index.ts.

import type { PrimitiveSpec } from './primitive.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { argmax } from './argmax.js';
import { argmin } from './argmin.js';
import { atan } from './atan.js';
import { atan2 } from './atan2.js';
import { broadcastLike } from './broadcastLike.js';
import { broadcastTo } from './broadcastTo.js';
import { cast } from './cast.js';
import { concat } from './concat.js';
import { concatPad } from './concatPad.js';
import { concatPiece } from './concatPiece.js';
import { cos } from './cos.js';
import { cosh } from './cosh.js';
import { div } from './div.js';
import { eqMask } from './eqMask.js';
import { equal } from './equal.js';
import { exp } from './exp.js';
import { expandDims } from './expandDims.js';
import { expm1 } from './expm1.js';
import { fill } from './fill.js';
import { gather } from './gather.js';
import { geMask } from './geMask.js';
import { greater } from './greater.js';
import { greaterEqual } from './greaterEqual.js';
import { hypot } from './hypot.js';
import { less } from './less.js';
import { lessEqual } from './lessEqual.js';
import { log } from './log.js';
import { log1p } from './log1p.js';
import { logicalAnd } from './logicalAnd.js';
import { logicalNot } from './logicalNot.js';
import { logicalOr } from './logicalOr.js';
import { logSoftmax } from './logSoftmax.js';
import { matmul } from './matmul.js';
import { matmulCotangent } from './matmulCotangent.js';
import { matmulNT } from './matmulNT.js';
import { matmulOperand } from './matmulOperand.js';
import { matmulTN } from './matmulTN.js';
import { matrixTranspose } from './matrixTranspose.js';
import { max } from './max.js';
import { maximum } from './maximum.js';
import { mean } from './mean.js';
import { min } from './min.js';
import { minimum } from './minimum.js';
import { mod } from './mod.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { notEqual } from './notEqual.js';
import { oneHot } from './oneHot.js';
import { ones } from './ones.js';
import { onesLike } from './onesLike.js';
import { padSlice } from './padSlice.js';
import { pow } from './pow.js';
import { randn } from './randn.js';
import { reducedCount } from './reducedCount.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { reshapeLike } from './reshapeLike.js';
import { restoreReduced } from './restoreReduced.js';
import { round } from './round.js';
import { scatterAdd } from './scatterAdd.js';
import { sigmoid } from './sigmoid.js';
import { sign } from './sign.js';
import { sin } from './sin.js';
import { sinh } from './sinh.js';
import { slice } from './slice.js';
import { sliceLike } from './sliceLike.js';
import { softmax } from './softmax.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { squeeze } from './squeeze.js';
import { stack } from './stack.js';
import { step } from './step.js';
import { stopGradient } from './stopGradient.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { sumToLike } from './sumToLike.js';
import { tan } from './tan.js';
import { tanh } from './tanh.js';
import { transpose } from './transpose.js';
import { transposeInverse } from './transposeInverse.js';
import { uniform } from './uniform.js';
import { where } from './where.js';
import { zeros } from './zeros.js';
import { zerosLike } from './zerosLike.js';

export const primitives = {
  abs,
  add,
  argmax,
  argmin,
  atan,
  atan2,
  broadcastLike,
  broadcastTo,
  cast,
  concat,
  concatPad,
  concatPiece,
  cos,
  cosh,
  div,
  eqMask,
  equal,
  exp,
  expandDims,
  expm1,
  fill,
  gather,
  geMask,
  greater,
  greaterEqual,
  hypot,
  less,
  lessEqual,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  logSoftmax,
  matmul,
  matmulCotangent,
  matmulNT,
  matmulOperand,
  matmulTN,
  matrixTranspose,
  max,
  maximum,
  mean,
  min,
  minimum,
  mod,
  mul,
  neg,
  notEqual,
  oneHot,
  ones,
  onesLike,
  padSlice,
  pow,
  randn,
  reducedCount,
  relu,
  reshape,
  reshapeLike,
  restoreReduced,
  round,
  scatterAdd,
  sigmoid,
  sign,
  sin,
  sinh,
  slice,
  sliceLike,
  softmax,
  sqrt,
  square,
  squeeze,
  stack,
  step,
  stopGradient,
  sub,
  sum,
  sumToLike,
  tan,
  tanh,
  transpose,
  transposeInverse,
  uniform,
  where,
  zeros,
  zerosLike,
} as const;

export type PrimitiveName = keyof typeof primitives;

/** The spec of the primitive named `name`, or undefined. */
export function primitiveSpec(name: string): PrimitiveSpec | undefined {
  return Object.prototype.hasOwnProperty.call(primitives, name)
    ? (primitives as Record<string, { spec: PrimitiveSpec }>)[name].spec
    : undefined;
}
