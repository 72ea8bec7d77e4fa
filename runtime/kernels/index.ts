// The one interface between ops and kernels. Ops call only what this module exports:
// elementwise loops by op name, the batched matrix product, reductions and data
// movement. A faster kernel set (WebAssembly SIMD) replaces entries with
// `installKernels` without touching ops or their derivative rules.

import { TypedArray } from '../dtype.js';
import {
  BinaryLoops,
  BinaryName,
  UnaryLoop,
  UnaryName,
  binaryExpressions,
  compileBinary,
  compileUnary,
  unaryExpressions,
} from './elementwise.js';
import { gemmBatched } from './matmul.js';

export type { BinaryLoops, BinaryName, UnaryLoop, UnaryName } from './elementwise.js';
export { runBinary, broadcastStrides } from './elementwise.js';
export { expandTo, sumTo } from './broadcast.js';
export { sumAxes } from './reduce.js';
export { permute } from './transpose.js';

/**
 * Batched matrix product: `aOffsets.length` products, each m×k by k×n, written to
 * consecutive m×n blocks of `out` (zero-filled on entry).
 */
export type MatmulKernel = (
  a: TypedArray,
  aOffsets: readonly number[],
  b: TypedArray,
  bOffsets: readonly number[],
  out: TypedArray,
  m: number,
  k: number,
  n: number,
) => void;

/**
 * One m×k·k×n product out = op(a)·op(b) with `transA` (a stored k×m) or `transB` (b
 * stored n×k), when a kernel can do it without a transposed copy; false when it cannot,
 * and the op then transposes and multiplies (the plain kernels always say false).
 */
export type MatmulTransposedKernel = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
) => boolean;

export interface KernelSet {
  unary: Record<UnaryName, UnaryLoop>;
  binary: Record<BinaryName, BinaryLoops>;
  matmul: MatmulKernel;
  matmulTransposed: MatmulTransposedKernel;
}

function compileAll(): KernelSet {
  const unary = {} as Record<UnaryName, UnaryLoop>;
  for (const [name, expr] of Object.entries(unaryExpressions)) unary[name as UnaryName] = compileUnary(expr);
  const binary = {} as Record<BinaryName, BinaryLoops>;
  for (const [name, expr] of Object.entries(binaryExpressions)) binary[name as BinaryName] = compileBinary(expr);
  return { unary, binary, matmul: gemmBatched, matmulTransposed: () => false };
}

/** The kernels in use. Read at call time, so installed replacements take effect at once. */
export const kernels: KernelSet = compileAll();

/**
 * Replaces some kernels (e.g. a WebAssembly matmul for float32). A replacement must
 * accept every typed array the plain kernel accepts, or fall back to it.
 */
export function installKernels(replacements: {
  unary?: Partial<KernelSet['unary']>;
  binary?: Partial<KernelSet['binary']>;
  matmul?: MatmulKernel;
  matmulTransposed?: MatmulTransposedKernel;
}): void {
  Object.assign(kernels.unary, replacements.unary);
  Object.assign(kernels.binary, replacements.binary);
  if (replacements.matmul) kernels.matmul = replacements.matmul;
  if (replacements.matmulTransposed) kernels.matmulTransposed = replacements.matmulTransposed;
}

/** The plain TypeScript kernels, for fallbacks and benchmarks. */
export const plainKernels: Readonly<KernelSet> = compileAll();
