// What the compiler's fused elementwise runs (compiler/5-emit/fuse.ts) call at run time:
// `loop(program)` makes one f32x4 WebAssembly loop for a run of ops (built on first use),
// and `accepts` is the guard every call passes first: the loops take float32 tensors all
// of one shape, with the WebAssembly kernels in use. Fewer elements, TSGRAD_KERNELS=plain
// or no SIMD take the same steps as a JavaScript loop in the generated module, whose
// operands a `frame()` checks (fused-frame.ts); anything else (broadcasting, other
// dtypes) runs the same statements as ops instead.

import { float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { float32Of } from '../storage.js';
import { wasmAvailable, wasmUnaryMinLength } from './wasm/index.js';
import { LoopProgram } from './wasm/fused-kernel.js';
import { Sink, SumSink, WasmLoop, runInto } from './wasm/fused.js';

export type { LoopProgram, LoopStep, LoopOperand } from './wasm/fused-kernel.js';
export type { Sink, SumSink } from './wasm/fused.js';

const env = typeof process !== 'undefined' ? process.env : {};
let enabled: boolean | undefined;

/** True when the fused loops run here: WebAssembly SIMD, and the plain kernels not asked for. */
export function loopsEnabled(): boolean {
  enabled ??= env.TSGRAD_KERNELS !== 'plain' && wasmAvailable();
  return enabled;
}

/**
 * True when a fused loop may take these tensors: loops are enabled and every one is a
 * float32 tensor with the shape of the first, of at least wasmUnaryMinLength elements
 * (where the op kernels are the loops' own f32x4 code, so a loop gives their exact results).
 */
export function accepts(...tensors: unknown[]): boolean {
  if (!loopsEnabled()) return false;
  const first = tensors[0];
  // Below wasmUnaryMinLength the op kernels take Math.sin & co., which a loop would not match.
  if (!(first instanceof Tensor) || first.dtype !== float32 || first.size < wasmUnaryMinLength) return false;
  const shape = first.shape;
  for (let k = 1; k < tensors.length; k++) {
    const t = tensors[k];
    if (!(t instanceof Tensor) || t.dtype !== float32 || t.shape.length !== shape.length) return false;
    for (let d = 0; d < shape.length; d++) if (t.shape[d] !== shape[d]) return false;
  }
  return true;
}

/** A fused loop: one pass over the elements for a run of elementwise ops. */
export class Loop {
  private readonly kernel: WasmLoop;

  constructor(readonly program: LoopProgram) {
    this.kernel = new WasmLoop(program);
  }

  /**
   * The program's outputs (tensors of the inputs' shape) then its sums (0-d tensors), for
   * `inputs` that `accepts` took and one number per scalar.
   */
  run(inputs: readonly Tensor[], scalars: readonly number[]): Tensor[] {
    const data: Float32Array[] = [];
    for (const t of inputs) data.push(t.data as Float32Array);
    const { outputs, sums } = this.kernel.run(data, scalars);
    const shape = inputs[0].shape;
    const out: Tensor[] = [];
    for (const o of outputs) out.push(Tensor.fromData(o, [...shape], float32));
    for (const s of sums) out.push(Tensor.fromData(float32Of(s), [], float32));
    return out;
  }

  /**
   * For a program with no sums: reads input k at `data[k][offsets[k] + i]` for i below
   * `count`, and writes output k into its sink `[array, at, stored]`: `array[at + i]`,
   * stored (`=`) or added (`+=`), or adds it up into a `sumSink()`. Loops must be enabled
   * (`loopTakes`).
   */
  runInto(data: readonly Float32Array[], offsets: readonly number[], count: number, scalars: readonly number[], sinks: readonly Sink[]): void {
    runInto(this.kernel, data, offsets, count, scalars, sinks);
  }
}

/** A sink that adds a `runInto` output up in ops.sum's order; `total()` is the sum. */
export function sumSink(): SumSink {
  return new SumSink();
}

/**
 * From this many elements a framed run (one that reads slices and writes padSlices in
 * place) takes its WebAssembly loop; below, its JavaScript loop costs less than the copies.
 */
export const framedLoopMin = 128;

/** True when a framed run of `count` elements takes its WebAssembly loop (`Loop.runInto`). */
export function loopTakes(count: number): boolean {
  return count >= framedLoopMin && loopsEnabled();
}

/**
 * The fused loop of `program`, compiled on its first run.
 *
 * @example
 * const k = fused.loop({ inputs: ['x'], scalars: [], steps: [['s', 'sin', 'x'], ['y', 'mul', 's', 'x']], outputs: ['y'], sums: [] });
 * if (fused.accepts(x)) [y] = k.run([x], []);
 */
export function loop(program: LoopProgram): Loop {
  return new Loop(program);
}

export { slice, owned, padSlices } from './fused-slices.js';
export { Frame, frame } from './fused-frame.js';
export { vector } from './fused-vector.js';
