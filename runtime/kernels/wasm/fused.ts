// Runs a fused elementwise loop (fused-kernel.ts) over float32 arrays of any length: the
// operands stream through the shared arena in chunks of CHUNK elements (each chunk's slots
// stay in L2), a ragged tail is computed in a whole vector and only its elements are kept,
// and sums are added up in float64 from the stored summands, as the sum kernel does.

import { Arena, roundUp } from './arena.js';
import { instantiate } from './engine.js';
import { LoopProgram, buildLoopModule } from './fused-kernel.js';
import { sharedArena } from './index.js';

const CHUNK = 8192;

type RunFn = (...args: number[]) => void;

/** One compiled program, bound to the arena it was instantiated against. */
export class WasmLoop {
  private bytes: Uint8Array | undefined;
  private bound: { arena: Arena; run: RunFn } | undefined;

  constructor(readonly program: LoopProgram) {}

  private fn(): { arena: Arena; run: RunFn } {
    const arena = sharedArena();
    if (this.bound?.arena !== arena) {
      this.bytes ??= buildLoopModule(this.program);
      this.bound = { arena, run: instantiate(this.bytes, arena.memory).run as RunFn };
    }
    return this.bound;
  }

  /**
   * Fills `outputs` (one array per program output, each of the inputs' length) and returns
   * the program's sums, in order.
   */
  run(inputs: readonly Float32Array[], scalars: readonly number[], outputs: readonly Float32Array[]): number[] {
    const { arena, run } = this.fn();
    const n = inputs[0].length;
    const nSums = this.program.sums.length;
    const slots = inputs.length + outputs.length + nSums;
    arena.reserve(slots * CHUNK * 4);
    const heap = arena.f32;
    const inAt = inputs.map((_, k) => k * CHUNK);
    const outAt = [...outputs, ...this.program.sums].map((_, k) => (inputs.length + k) * CHUNK);
    const args: number[] = [...inAt.map((a) => a * 4), ...scalars, ...outAt.map((a) => a * 4), 0];
    const sums = new Array<number>(nSums).fill(0);
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const len = Math.min(CHUNK, n - i0);
      const whole = len === n;
      inputs.forEach((x, k) => heap.set(whole ? x : x.subarray(i0, i0 + len), inAt[k]));
      args[args.length - 1] = roundUp(len, 4) / 4;
      run(...args);
      outputs.forEach((out, k) => out.set(heap.subarray(outAt[k], outAt[k] + len), i0));
      for (let s = 0; s < nSums; s++) {
        const at = outAt[outputs.length + s];
        let acc = sums[s];
        for (let e = 0; e < len; e++) acc += heap[at + e];
        sums[s] = acc;
      }
    }
    return sums;
  }
}
