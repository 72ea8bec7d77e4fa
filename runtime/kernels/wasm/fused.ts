// Runs a fused elementwise loop (fused-kernel.ts) over float32 arrays of any length: the
// operands stream through the shared arena in chunks of CHUNK elements (each chunk's slots
// stay in L2), a ragged tail is computed in a whole vector and only its elements are kept,
// and sums are added up in float64 from the stored summands in the sum kernel's order.

import { Arena, roundUp } from './arena.js';
import { instantiate } from './engine.js';
import { LoopProgram, UNROLL, buildLoopModule } from './fused-kernel.js';
import { WasmElementwise } from './elementwise.js';
import { arenaAdd, sharedArena } from './index.js';

// A multiple of 4·UNROLL: the last group of vectors of a chunk stays inside its slot.
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
   * Runs the loop over `count` elements in chunks: `load(heap, i0, len)` puts each chunk's
   * inputs in their slots (slot k at k·CHUNK), `store(heap, i0, len)` takes its outputs from
   * the slots after the inputs'.
   */
  chunks(nIn: number, nOut: number, scalars: readonly number[], count: number, load: (heap: Float32Array, i0: number, len: number) => void, store: (heap: Float32Array, i0: number, len: number) => void): void {
    const { arena, run } = this.fn();
    arena.reserve((nIn + nOut) * CHUNK * 4);
    const heap = arena.f32;
    const args: number[] = [];
    for (let k = 0; k < nIn; k++) args.push(k * CHUNK * 4);
    for (const s of scalars) args.push(s);
    for (let k = 0; k < nOut; k++) args.push((nIn + k) * CHUNK * 4);
    args.push(0);
    for (let i0 = 0; i0 < count; i0 += CHUNK) {
      const len = Math.min(CHUNK, count - i0);
      load(heap, i0, len);
      args[args.length - 1] = roundUp(len, 4 * UNROLL) / (4 * UNROLL);
      run(...args);
      store(heap, i0, len);
    }
  }

  /**
   * The program's outputs (new arrays of the inputs' length) and its sums, in order, for
   * `inputs` of one length and one number per scalar.
   */
  run(inputs: readonly Float32Array[], scalars: readonly number[]): { outputs: Float32Array[]; sums: number[] } {
    const { arena, run } = this.fn();
    const n = inputs[0].length;
    const nIn = inputs.length;
    const nOut = this.program.outputs.length;
    const nSums = this.program.sums.length;
    arena.reserve((nIn + nOut + nSums) * CHUNK * 4);
    const heap = arena.f32;
    // Slot k of the arena holds operand k's chunk: inputs, then outputs, then summands.
    const args: number[] = [];
    for (let k = 0; k < nIn; k++) args.push(k * CHUNK * 4);
    for (const s of scalars) args.push(s);
    for (let k = 0; k < nOut + nSums; k++) args.push((nIn + k) * CHUNK * 4);
    args.push(0);
    // Four partial sums per sum, continued across chunks (CHUNK is a multiple of 4).
    const partial = Array.from({ length: nSums }, () => [0, 0, 0, 0]);
    const outputs: Float32Array[] = [];
    // The outputs share one new buffer: allocating a typed array's store costs far more
    // than the loop over a thousand elements, so one store is made, not one per output.
    const store = new ArrayBuffer(nOut * n * 4);
    for (let k = 0; k < nOut; k++) outputs.push(new Float32Array(store, k * n * 4, n));
    for (let i0 = 0; i0 < n; i0 += CHUNK) {
      const len = Math.min(CHUNK, n - i0);
      for (let k = 0; k < nIn; k++) heap.set(len === n ? inputs[k] : inputs[k].subarray(i0, i0 + len), k * CHUNK);
      args[args.length - 1] = roundUp(len, 4 * UNROLL) / (4 * UNROLL);
      run(...args);
      for (let k = 0; k < nOut; k++) outputs[k].set(heap.subarray((nIn + k) * CHUNK, (nIn + k) * CHUNK + len), i0);
      for (let s = 0; s < nSums; s++) addUp(partial[s], heap, (nIn + nOut + s) * CHUNK, len);
    }
    return { outputs, sums: partial.map(([s0, s1, s2, s3]) => s0 + s1 + (s2 + s3)) };
  }
}

/**
 * Where a `runInto` output goes: `data[at + i]`, stored (`=`) or added (`+=`); or, for a
 * sum's summands, a SumSink that adds them up as they leave the arena.
 */
export type Sink = readonly [data: Float32Array, at: number, stored: boolean] | SumSink;

/**
 * The summands of a sum, added up straight from the arena into four float64 partial sums
 * in the order of the sum kernel (kernels/reduce.ts): no array of summands is made, whose
 * store (over 64 bytes, off the heap) cost more than the loop itself over a thousand elements.
 */
export class SumSink {
  readonly partials = [0, 0, 0, 0];

  /** The sum: what ops.sum's kernel gives over the same summands. */
  total(): number {
    const p = this.partials;
    return p[0] + p[1] + (p[2] + p[3]);
  }
}

/**
 * `run` for a program with no sums, reading input k at `data[k][offsets[k] + i]` for i below
 * `count` and writing output k into `sinks[k]` straight from the arena: no array per
 * input or output (a fused run's slices read in place and padSlices written in place,
 * a sum's summands added up where the loop left them).
 */
export function runInto(loop: WasmLoop, data: readonly Float32Array[], offsets: readonly number[], count: number, scalars: readonly number[], sinks: readonly Sink[]): void {
  // An added sink is summed in the arena by the add kernel, in a scratch slot after the
  // program's: a JavaScript loop of float32 += cost about 2 µs per 1000 elements, a third
  // of Rosenbrock's gradient. The kernel and the slot are made before `chunks` takes its
  // view of the arena (making either may grow the memory).
  const adder = sinks.some((s) => !(s instanceof SumSink) && !s[2]) ? arenaAdd() : undefined;
  const scratch = (data.length + sinks.length) * CHUNK;
  if (adder) sharedArena().reserve((scratch + CHUNK) * 4);
  loop.chunks(data.length, sinks.length, scalars, count, (heap, i0, len) => {
    for (let k = 0; k < data.length; k++) heap.set(data[k].subarray(offsets[k] + i0, offsets[k] + i0 + len), k * CHUNK);
  }, (heap, i0, len) => {
    for (let k = 0; k < sinks.length; k++) {
      const sink = sinks[k];
      const from = (data.length + k) * CHUNK;
      if (sink instanceof SumSink) {
        addUp(sink.partials, heap, from, len);
        continue;
      }
      const [out, at, stored] = sink;
      if (stored) out.set(heap.subarray(from, from + len), at + i0);
      else addInto(out, at + i0, heap, from, len, adder!, scratch);
    }
  });
}

/**
 * out[at + i] += heap[from + i] for i below len, by the add kernel: out's elements are
 * copied to the scratch slot, added to in place, and copied back (the sums ops.add gives).
 */
function addInto(out: Float32Array, at: number, heap: Float32Array, from: number, len: number, adder: WasmElementwise, scratch: number): void {
  heap.set(out.subarray(at, at + len), scratch);
  adder.addAt(scratch * 4, from * 4, scratch * 4, len);
  out.set(heap.subarray(scratch, scratch + len), at);
}

/**
 * Adds heap[at … at+len) into four float64 partial sums by index mod 4, the tail into the
 * first: the order of the sum kernel (kernels/reduce.ts), so a loop's sum is the op's sum.
 */
function addUp(p: number[], heap: Float32Array, at: number, len: number): void {
  // Not `let [s0, s1, s2, s3] = p`: V8 then ran this loop at about 2.4 ns an element, not 0.4.
  let s0 = p[0], s1 = p[1], s2 = p[2], s3 = p[3];
  const end4 = at + len - (len % 4);
  let e = at;
  for (; e < end4; e += 4) {
    s0 += heap[e];
    s1 += heap[e + 1];
    s2 += heap[e + 2];
    s3 += heap[e + 3];
  }
  for (; e < at + len; e++) s0 += heap[e];
  p[0] = s0;
  p[1] = s1;
  p[2] = s2;
  p[3] = s3;
}
