// Public face of the WebAssembly SIMD kernels: feature detection, float32 matmul (plain,
// transposed operands, batched) and f32x4 elementwise maps, with drop-in adapters for the
// plain kernel set that fall back to it where wasm does not pay. Modules are emitted from
// TypeScript on first use (emit.ts), so nothing is built at install and nothing is downloaded.

import { Arena } from './arena.js';
import { wasm } from './engine.js';
import { MatmulOptions, WasmMatmul } from './matmul.js';
import { WasmElementwise } from './elementwise.js';
import { BinaryArithName, UnaryExactName, UnaryMathName, binaryArithNames, unaryExactNames, unaryMathNames } from './elementwise-kernel.js';

export type { MatmulOptions } from './matmul.js';
export type { BinaryArithName, UnaryExactName, UnaryMathName } from './elementwise-kernel.js';
export { unaryExactNames, unaryMathNames, binaryArithNames } from './elementwise-kernel.js';

/**
 * The smallest module using a v128 instruction: `(func (result v128) v128.const 0)`.
 * Validating it is how WebAssembly SIMD support is detected.
 */
const simdProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: [] -> [v128]
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // body
]);

let available: boolean | undefined;

/** True when this engine runs WebAssembly with the 128-bit SIMD proposal. */
export function wasmAvailable(): boolean {
  available ??= wasm !== undefined && wasm.validate(simdProbe);
  return available;
}

// Built on first use and shared; the arena is the memory both modules import.
let arena: Arena | undefined;
let kernel: WasmMatmul | undefined;
let elementwise: WasmElementwise | undefined;

/** The memory every kernel module imports (the fused loops of kernels/fused.ts use it too). */
export function sharedArena(): Arena {
  if (!wasmAvailable()) throw new Error('WebAssembly SIMD is not available in this engine');
  return (arena ??= new Arena());
}

function matmulKernel(): WasmMatmul {
  return (kernel ??= new WasmMatmul(sharedArena()));
}

function elementwiseKernels(): WasmElementwise {
  return (elementwise ??= new WasmElementwise(sharedArena()));
}

/**
 * out (m×n) = op(a) · op(b), float32, row-major. `transA`: a is stored k×m; `transB`: b is
 * stored n×k. Transposes cost nothing extra (they are folded into packing).
 *
 * @example
 * const out = new Float32Array(2 * 2);
 * matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), out, 2, 2, 2);
 * // out = [1, 2, 3, 4]
 */
export function matmulF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  matmulKernel().run(a, b, out, m, k, n, opts);
}

/**
 * `batch` independent products out[i] = op(a[i]) · op(b[i]). An operand holding a single
 * matrix (a.length === m*k, or b.length === k*n) is shared by every batch entry.
 *
 * @example
 * // two 1×1 products: [2·5, 3·5]
 * const out = new Float32Array(2);
 * matmulBatchedF32(new Float32Array([2, 3]), new Float32Array([5]), out, 2, 1, 1, 1);
 */
export function matmulBatchedF32(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  batch: number,
  m: number,
  k: number,
  n: number,
  opts: MatmulOptions = {},
): void {
  const aStep = a.length === m * k && batch > 1 ? 0 : m * k;
  const bStep = b.length === k * n && batch > 1 ? 0 : k * n;
  const kernel = matmulKernel();
  for (let i = 0; i < batch; i++) {
    const ai = a.subarray(i * aStep, i * aStep + m * k);
    const bi = b.subarray(i * bStep, i * bStep + k * n);
    kernel.run(ai, bi, out.subarray(i * m * n, (i + 1) * m * n), m, k, n, opts);
  }
}

type AnyArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * The batched-with-offsets kernel signature of runtime/kernels/index.ts (`MatmulKernel`):
 * products a[aOffsets[i]…] · b[bOffsets[i]…] into consecutive m×n blocks of `out`.
 */
export type OffsetMatmul = (
  a: AnyArray,
  aOffsets: readonly number[],
  b: AnyArray,
  bOffsets: readonly number[],
  out: AnyArray,
  m: number,
  k: number,
  n: number,
) => void;

/**
 * Whether an m×k·k×n float32 product is faster on wasm than the plain loop. A call costs
 * about 1 µs of copying and packing, and the 4×8 register block pads m up to a multiple of 4
 * and n of 8, so thin products waste most of the kernel. Measured (bench/matmul.ts): 8³ and
 * 12³ tie, 4×16·16×16 and 16³ are 2-5x faster on wasm, 1×64·64×64 and 64×64·64×1 are
 * slower, 1×256·256×256 and 256×256·256×1 are 2x faster.
 */
export function worthWasm(m: number, k: number, n: number): boolean {
  const work = m * k * n;
  const padded = Math.ceil(m / 4) * 4 * Math.ceil(n / 8) * 8 * k;
  return work >= 65536 || (work >= 1024 && padded <= 2 * work);
}

/**
 * A drop-in for the plain batched kernel: float32 products that pass `worth` (by default
 * `worthWasm`) run on wasm, everything else (other dtypes, tiny products, no SIMD) on
 * `fallback`. `out` is overwritten block by block, which equals `+=` on the zero-filled
 * `out` the contract promises.
 *
 * @example
 * installKernels({ matmul: wasmMatmulKernel(plainKernels.matmul) });
 */
export function wasmMatmulKernel(fallback: OffsetMatmul, worth = worthWasm): OffsetMatmul {
  return (a, aOffsets, b, bOffsets, out, m, k, n) => {
    const fast = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
    if (!fast || !worth(m, k, n) || !wasmAvailable()) return fallback(a, aOffsets, b, bOffsets, out, m, k, n);
    const kernel = matmulKernel();
    for (let i = 0; i < aOffsets.length; i++) {
      const ai = a.subarray(aOffsets[i], aOffsets[i] + m * k);
      const bi = b.subarray(bOffsets[i], bOffsets[i] + k * n);
      kernel.run(ai, bi, out.subarray(i * m * n, (i + 1) * m * n), m, k, n);
    }
  };
}

/**
 * The transposed-operand product of runtime/kernels/index.ts (`MatmulTransposedKernel`):
 * float32 products that pass `worth` run on wasm with the transpose folded into packing;
 * anything else returns false and the op transposes and multiplies.
 */
export function wasmMatmulTransposed(worth = worthWasm): (a: AnyArray, b: AnyArray, out: AnyArray, m: number, k: number, n: number, transA: boolean, transB: boolean) => boolean {
  return (a, b, out, m, k, n, transA, transB) => {
    const fast = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
    if (!fast || !worth(m, k, n) || !wasmAvailable()) return false;
    matmulKernel().run(a, b, out, m, k, n, { transA, transB });
    return true;
  };
}

/**
 * Drops the compiled kernel and its memory (WebAssembly memory never shrinks, so this is
 * the way to give back the arena after one very large product). The next call rebuilds.
 */
export function releaseWasmKernels(): void {
  kernel = undefined;
  elementwise = undefined;
  arena = undefined;
}

/**
 * out[i] = f(x[i]) for f in sin, cos, exp, tanh, as f32x4 polynomials (within 1.5 float32
 * ulp of the correctly rounded value; sin/cos exact in reduction while |x| < 1e5).
 *
 * @example
 * const out = new Float32Array(3);
 * unaryF32('exp', new Float32Array([0, 1, -1]), out); // [1, 2.7182817, 0.36787945]
 */
export function unaryF32(name: UnaryMathName, x: Float32Array, out: Float32Array): void {
  elementwiseKernels().unary(name, x, out);
}

/** out[i] = a[i] ∘ b[i] for ∘ in add, sub, mul, div (exact IEEE float32 results). */
export function binaryF32(name: BinaryArithName, a: Float32Array, b: Float32Array, out: Float32Array): void {
  elementwiseKernels().binary(name, a, b, out);
}

/**
 * The elementwise add on float32 slots of the shared arena (byte offsets; exact IEEE sums,
 * as `binaryF32('add', …)`). Made before a caller takes its view of the arena: making the
 * module may grow the memory, which detaches earlier views.
 */
export function arenaAdd(): WasmElementwise {
  return elementwiseKernels();
}

/** Below this many elements Math.* in a plain loop is as fast as the wasm call (16 is a tie). */
export const wasmUnaryMinLength = 32;

type UnaryLoopLike = (x: AnyArray, out: AnyArray) => void;

/**
 * Drop-ins for the plain unary loops of sin, cos, exp, tanh (float32 arrays of at least
 * `wasmUnaryMinLength`) and of the exact maps square, neg, abs, relu (at least
 * `wasmBinaryMinLength`: their plain loops call no Math function) on wasm; everything else
 * runs `fallback[name]` (runtime/kernels `UnaryLoop`).
 *
 * @example
 * installKernels({ unary: wasmUnaryLoops(plainKernels.unary) });
 */
export function wasmUnaryLoops(fallback: Record<UnaryMathName | UnaryExactName, UnaryLoopLike>): Record<UnaryMathName | UnaryExactName, UnaryLoopLike> {
  const loops = {} as Record<UnaryMathName | UnaryExactName, UnaryLoopLike>;
  const names: [UnaryMathName | UnaryExactName, number][] = [
    ...unaryMathNames.map((n) => [n, wasmUnaryMinLength] as [UnaryMathName, number]),
    ...unaryExactNames.map((n) => [n, wasmBinaryMinLength] as [UnaryExactName, number]),
  ];
  for (const [name, minLength] of names) {
    const plain = fallback[name];
    if (plain === undefined) continue;
    loops[name] = (x, out) => {
      if (out.length >= minLength && x instanceof Float32Array && out instanceof Float32Array && wasmAvailable()) {
        elementwiseKernels().unary(name, x, out);
      } else plain(x, out);
    };
  }
  return loops;
}

/** Below this many elements a plain add/mul loop beats the wasm call and its copies. */
export const wasmBinaryMinLength = 128;

/** Rows shorter than this repeat on the plain loop: one wasm call per row costs ~0.03 µs. */
export const wasmRepeatMinRow = 64;

interface BinaryLoopsLike {
  same(a: AnyArray, b: AnyArray, out: AnyArray): void;
  scalarA(x: number, b: AnyArray, out: AnyArray): void;
  scalarB(a: AnyArray, y: number, out: AnyArray): void;
  repeatB(a: AnyArray, b: AnyArray, out: AnyArray): void;
}

/**
 * Drop-ins for add, sub, mul, div (runtime/kernels `BinaryLoops`): on float32 arrays of at
 * least `wasmBinaryMinLength` elements, the same-shape loop, the loops with a number
 * operand and the loop of a repeated row (a bias; rows a multiple of 4 of at least
 * `wasmRepeatMinRow`) run on wasm, with the plain loops' bits (one IEEE float32 step per
 * element either way); everything else stays on `fallback[name]`.
 *
 * @example
 * installKernels({ binary: wasmBinaryLoops(plainKernels.binary) });
 */
export function wasmBinaryLoops<L extends BinaryLoopsLike>(fallback: Record<BinaryArithName, L>): Record<BinaryArithName, L> {
  const loops = {} as Record<BinaryArithName, L>;
  for (const name of binaryArithNames) {
    const plain = fallback[name];
    // The length first: it is the cheap test that small operands (most calls) fail.
    const same: BinaryLoopsLike['same'] = (a, b, out) => {
      const fast = out.length >= wasmBinaryMinLength && a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
      if (fast && wasmAvailable()) elementwiseKernels().binary(name, a, b, out);
      else plain.same(a, b, out);
    };
    const scalarA: BinaryLoopsLike['scalarA'] = (x, b, out) => {
      const fast = out.length >= wasmBinaryMinLength && b instanceof Float32Array && out instanceof Float32Array;
      if (fast && wasmAvailable()) elementwiseKernels().scalar(name, b, x, out, true);
      else plain.scalarA(x, b, out);
    };
    const scalarB: BinaryLoopsLike['scalarB'] = (a, y, out) => {
      const fast = out.length >= wasmBinaryMinLength && a instanceof Float32Array && out instanceof Float32Array;
      if (fast && wasmAvailable()) elementwiseKernels().scalar(name, a, y, out, false);
      else plain.scalarB(a, y, out);
    };
    const repeatB: BinaryLoopsLike['repeatB'] = (a, b, out) => {
      const m = b.length;
      const fast =
        out.length >= wasmBinaryMinLength && m >= wasmRepeatMinRow && m % 4 === 0 && m <= 16384 &&
        a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
      if (fast && wasmAvailable()) elementwiseKernels().repeatB(name, a, b, out);
      else plain.repeatB(a, b, out);
    };
    loops[name] = { ...plain, same, scalarA, scalarB, repeatB };
  }
  return loops;
}
