// One growable WebAssembly.Memory shared by every kernel module, with a float32 view that
// is refreshed after each growth (growing detaches the old ArrayBuffer). Memory only grows:
// a call reuses what earlier calls left, so steady-state calls allocate nothing.

import { WasmMemory, newMemory } from './engine.js';

const PAGE = 65536;

export class Arena {
  readonly memory: WasmMemory = newMemory(16);
  private view = new Float32Array(this.memory.buffer);

  /** Float32 view of the whole memory; valid until the next `reserve` that grows. */
  get f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }
}

/** Rounds `n` up to a multiple of `m`. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
