// The slice of the WebAssembly JS API the kernels use, typed here because the project's
// `lib` (ES2022 + Node types) does not declare `WebAssembly`. Undefined where the engine has
// no WebAssembly at all, so feature detection never throws.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const wasm: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

function api(): WasmApi {
  if (!wasm) throw new Error('WebAssembly is not available in this engine');
  return wasm;
}

/** Compiles `bytes` synchronously (our modules are a few KB) against `env.memory`. */
export function instantiate(bytes: Uint8Array, memory: WasmMemory): Record<string, unknown> {
  const { Module, Instance } = api();
  return new Instance(new Module(bytes), { env: { memory } }).exports;
}

/** A fresh growable memory of `pages` 64 KiB pages. */
export function newMemory(pages: number): WasmMemory {
  return new (api().Memory)({ initial: pages });
}
