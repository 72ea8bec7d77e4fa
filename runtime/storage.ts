// Where tensor data lives. V8 keeps a typed array of up to 64 bytes inside its object on
// the JavaScript heap; anything larger gets a store of its own outside the heap, and
// making one costs about 0.4 µs at 100 bytes and 1–1.5 µs at 4 KB, more than the loop
// that fills it (a 1000-element float32 product takes about 0.6 µs). Op results of
// middling size are therefore cut from a shared block instead, the way Node's Buffer
// pool cuts small Buffers from an 8 KB block: a view on the block costs about 0.05 µs,
// plus the block's own cost spread over the arrays it holds.
//
// Blocks are never reused: a fresh ArrayBuffer is zero-filled, so every array handed out
// is zero-filled as the kernels expect, and a block is freed by the garbage collector
// once no array cut from it is alive. The price is the Buffer pool's: a long-lived array
// keeps its whole block alive (at most BLOCK_BYTES, and an array of at least
// POOLED_MIN_BYTES shares it with at most BLOCK_BYTES / POOLED_MIN_BYTES others). Arrays
// of up to 64 bytes stay on the heap, where V8 makes them cheaply; large ones get their
// own store, where the block would save little next to filling them.

import { TypedArray } from './dtype.js';

/** Bytes of one block. */
export const BLOCK_BYTES = 32768;
/** Arrays of more bytes than this get a store of their own. */
export const POOLED_MAX_BYTES = 4096;
/** Arrays of fewer bytes than this are made on the V8 heap. */
export const POOLED_MIN_BYTES = 65;

let block = new ArrayBuffer(BLOCK_BYTES);
let used = 0;

/** The byte offset of `bytes` fresh, zero-filled bytes in `block`, 8-byte aligned. */
function take(bytes: number): number {
  if (used + bytes > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    used = 0;
  }
  const at = used;
  used += (bytes + 7) & ~7;
  return at;
}

// One function per array type, so that each `new` sees a single constructor (V8 inlines it).

/** A zero-filled Float32Array of `size` elements. */
export function allocFloat32(size: number): Float32Array {
  const bytes = size * 4;
  if (!(bytes >= POOLED_MIN_BYTES && bytes <= POOLED_MAX_BYTES)) return new Float32Array(size);
  const at = take(bytes); // before reading `block`: take may start a new one
  return new Float32Array(block, at, size);
}

/**
 * A one-element Float32Array holding `value` (rounded): the store of a 0-d float32 result.
 * `new` and a store, not `Float32Array.of(value)`, which V8 runs at twice the cost (0.060
 * against 0.030 µs): a compiled forward of ten elements costs about 0.15 µs in all.
 */
export function float32Of(value: number): Float32Array {
  const data = new Float32Array(1);
  data[0] = value;
  return data;
}

/** A zero-filled Float64Array of `size` elements. */
export function allocFloat64(size: number): Float64Array {
  const bytes = size * 8;
  if (!(bytes >= POOLED_MIN_BYTES && bytes <= POOLED_MAX_BYTES)) return new Float64Array(size);
  const at = take(bytes); // before reading `block`: take may start a new one
  return new Float64Array(block, at, size);
}

/** A zero-filled Int32Array of `size` elements. */
export function allocInt32(size: number): Int32Array {
  const bytes = size * 4;
  if (!(bytes >= POOLED_MIN_BYTES && bytes <= POOLED_MAX_BYTES)) return new Int32Array(size);
  const at = take(bytes); // before reading `block`: take may start a new one
  return new Int32Array(block, at, size);
}

/** A zero-filled Uint8Array of `size` elements. */
export function allocUint8(size: number): Uint8Array {
  if (!(size >= POOLED_MIN_BYTES && size <= POOLED_MAX_BYTES)) return new Uint8Array(size);
  const at = take(size); // before reading `block`: take may start a new one
  return new Uint8Array(block, at, size);
}

/** Whether `data` was cut from a shared block (for tests). */
export function isPooled(data: TypedArray): boolean {
  return data.buffer.byteLength === BLOCK_BYTES && data.byteLength <= POOLED_MAX_BYTES;
}
