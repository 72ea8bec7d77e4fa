// Public face of the WebAssembly SIMD kernels: feature detection and float32 matmul
// (plain, transposed operands, batched). Modules are emitted from TypeScript on first use
// (emit.ts), so nothing is built at install and nothing is downloaded.

import { Arena } from './arena.js';
import { wasm } from './engine.js';
import { MatmulOptions, WasmMatmul } from './matmul.js';

export type { MatmulOptions } from './matmul.js';

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

let kernel: WasmMatmul | undefined;

function matmulKernel(): WasmMatmul {
  if (!wasmAvailable()) throw new Error('WebAssembly SIMD is not available in this engine');
  return (kernel ??= new WasmMatmul(new Arena()));
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
 * Below this many multiply-adds per product (m·k·n) the plain loop wins: the wasm call,
 * copies and packing cost about 1 µs (bench/matmul.ts: 8³ is a tie, 16³ is 5x for wasm).
 */
export const wasmMatmulMinWork = 1024;

/**
 * A drop-in for the plain batched kernel: float32 products of at least `minWork`
 * multiply-adds run on wasm, everything else (other dtypes, tiny products, no SIMD) on
 * `fallback`. `out` is overwritten block by block, which equals `+=` on the zero-filled
 * `out` the contract promises.
 *
 * @example
 * installKernels({ matmul: wasmMatmulKernel(plainKernels.matmul) });
 */
export function wasmMatmulKernel(fallback: OffsetMatmul, minWork = wasmMatmulMinWork): OffsetMatmul {
  return (a, aOffsets, b, bOffsets, out, m, k, n) => {
    const fast = a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array;
    if (!fast || m * k * n < minWork || !wasmAvailable()) return fallback(a, aOffsets, b, bOffsets, out, m, k, n);
    const kernel = matmulKernel();
    for (let i = 0; i < aOffsets.length; i++) {
      const ai = a.subarray(aOffsets[i], aOffsets[i] + m * k);
      const bi = b.subarray(bOffsets[i], bOffsets[i] + k * n);
      kernel.run(ai, bi, out.subarray(i * m * n, (i + 1) * m * n), m, k, n);
    }
  };
}

/**
 * Drops the compiled kernel and its memory (WebAssembly memory never shrinks, so this is
 * the way to give back the arena after one very large product). The next call rebuilds.
 */
export function releaseWasmKernels(): void {
  kernel = undefined;
}
