// Installs the WebAssembly SIMD kernels (float32 matmul, also with a transposed operand, sin/cos/exp/tanh, add/sub/mul/div)
// over the plain TypeScript ones when this JavaScript engine validates WebAssembly SIMD.
// Each installed kernel falls back to the plain one by itself (other dtypes, small or
// broadcast operands). Set TSGRAD_KERNELS=plain to keep the plain kernels.
import { installKernels, plainKernels } from './index.js';
import { wasmAvailable, wasmBinaryLoops, wasmMatmulKernel, wasmMatmulTransposed, wasmUnaryLoops } from './wasm/index.js';

const env = typeof process !== 'undefined' ? process.env : {};

if (env.TSGRAD_KERNELS !== 'plain' && wasmAvailable()) {
  installKernels({
    matmul: wasmMatmulKernel(plainKernels.matmul),
    matmulTransposed: wasmMatmulTransposed(),
    unary: wasmUnaryLoops(plainKernels.unary),
    binary: wasmBinaryLoops(plainKernels.binary),
  });
}
