// A tiny WebAssembly binary emitter: LEB128, the module sections our kernels need, and a
// typed instruction builder (control flow, i32/f32 scalar ops, the 128-bit SIMD subset).
// It guarantees well-formed section framing; whether a body type-checks is left to
// `WebAssembly.validate`, which the tests run on every module we build.
//
// Why our own emitter rather than AssemblyScript or a WAT assembler from npm: the kernels
// are a few hundred instructions generated from parameters (register-block shape, unroll),
// so a builder is shorter than a template language, adds no dependency, runs in well under
// a millisecond at startup and needs no build step at install.

/** Value types, by their binary encoding. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 for 32-bit integers. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A length-prefixed byte vector (names, section payloads, function bodies). */
function sized(bytes: number[]): number[] {
  return [...uleb(bytes.length), ...bytes];
}

/** A vector of items: count, then each item's bytes. */
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function utf8(s: string): number[] {
  return sized([...new TextEncoder().encode(s)]);
}

/** Alignment hints are log2 of bytes; memory offsets are constant byte offsets. */
function memarg(align: number, offset: number): number[] {
  return [...uleb(align), ...uleb(offset)];
}

const SIMD = 0xfd;

/**
 * One function body under construction. Methods append one instruction each and return
 * `this` where chaining reads well; structured control takes a callback for the body so
 * `end` can never be forgotten.
 */
export class Code {
  readonly bytes: number[] = [];
  private readonly localTypes: ValType[] = [];
  private depth = 0;

  constructor(readonly paramCount: number) {}

  /** Declares a new local of `type` and returns its index. */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  private emit(...bs: number[]): this {
    this.bytes.push(...bs);
    return this;
  }
  private simd(op: number, ...imm: number[]): this {
    return this.emit(SIMD, ...uleb(op), ...imm);
  }

  // --- control -----------------------------------------------------------------------
  /** `block` … `end`; `br(0)` from the body jumps past the end. */
  block(body: () => void): this {
    this.emit(0x02, 0x40);
    this.depth++;
    body();
    this.depth--;
    return this.emit(0x0b);
  }
  /** `loop` … `end`; `br(0)` from the body jumps back to the top. */
  loop(body: () => void): this {
    this.emit(0x03, 0x40);
    this.depth++;
    body();
    this.depth--;
    return this.emit(0x0b);
  }
  /** `if` … `end` on the i32 on the stack (no else arm). */
  if(body: () => void): this {
    this.emit(0x04, 0x40);
    this.depth++;
    body();
    this.depth--;
    return this.emit(0x0b);
  }
  br(label: number): this {
    return this.emit(0x0c, ...uleb(label));
  }
  brIf(label: number): this {
    return this.emit(0x0d, ...uleb(label));
  }

  /**
   * `for (i = from; i < limit; i += step) body()` over an i32 local, skipped when
   * `from >= limit`. `limit` is a local index; the body sees the loop two labels deep.
   */
  forRange(i: number, from: () => void, limit: number, step: number, body: () => void): this {
    from();
    this.localSet(i);
    return this.block(() => {
      this.localGet(i).localGet(limit).i32GeS().brIf(0);
      this.loop(() => {
        body();
        this.localGet(i).i32Const(step).i32Add().localTee(i);
        this.localGet(limit).i32LtS().brIf(0);
      });
    });
  }

  // --- locals and constants ------------------------------------------------------------
  localGet(i: number): this {
    return this.emit(0x20, ...uleb(i));
  }
  localSet(i: number): this {
    return this.emit(0x21, ...uleb(i));
  }
  localTee(i: number): this {
    return this.emit(0x22, ...uleb(i));
  }
  i32Const(n: number): this {
    return this.emit(0x41, ...sleb(n));
  }
  f32Const(x: number): this {
    const b = new Uint8Array(new Float32Array([x]).buffer);
    return this.emit(0x43, ...b);
  }
  /** A v128 constant with four equal f32 lanes. */
  f32x4Const(x: number): this {
    const b = new Uint8Array(new Float32Array([x, x, x, x]).buffer);
    return this.simd(0x0c, ...b);
  }
  /** A v128 constant with four equal i32 lanes. */
  i32x4Const(n: number): this {
    const b = new Uint8Array(new Int32Array([n, n, n, n]).buffer);
    return this.simd(0x0c, ...b);
  }

  // --- i32 ---------------------------------------------------------------------------
  i32Add(): this { return this.emit(0x6a); }
  i32Sub(): this { return this.emit(0x6b); }
  i32Mul(): this { return this.emit(0x6c); }
  i32Shl(): this { return this.emit(0x74); }
  i32Eqz(): this { return this.emit(0x45); }
  i32LtS(): this { return this.emit(0x48); }
  i32GeS(): this { return this.emit(0x4e); }

  // --- f32 scalar ----------------------------------------------------------------------
  f32Load(offset = 0): this { return this.emit(0x2a, ...memarg(2, offset)); }
  f32Store(offset = 0): this { return this.emit(0x38, ...memarg(2, offset)); }

  // --- v128 memory ---------------------------------------------------------------------
  /** Alignment hint 4 bytes: packed panels are float-aligned, not always 16-aligned. */
  v128Load(offset = 0): this { return this.simd(0x00, ...memarg(2, offset)); }
  v128Store(offset = 0): this { return this.simd(0x0b, ...memarg(2, offset)); }
  /** Loads one f32 and broadcasts it to all four lanes (a single vbroadcastss on x64). */
  v128Load32Splat(offset = 0): this { return this.simd(0x09, ...memarg(2, offset)); }

  // --- f32x4 ---------------------------------------------------------------------------
  f32x4Splat(): this { return this.simd(0x13); }
  f32x4ExtractLane(lane: number): this { return this.simd(0x1f, lane); }
  f32x4Ne(): this { return this.simd(0x42); }
  f32x4Lt(): this { return this.simd(0x43); }
  f32x4Gt(): this { return this.simd(0x44); }
  f32x4Le(): this { return this.simd(0x45); }
  f32x4Ge(): this { return this.simd(0x46); }
  f32x4Abs(): this { return this.simd(0xe0); }
  f32x4Neg(): this { return this.simd(0xe1); }
  f32x4Sqrt(): this { return this.simd(0xe3); }
  f32x4Add(): this { return this.simd(0xe4); }
  f32x4Sub(): this { return this.simd(0xe5); }
  f32x4Mul(): this { return this.simd(0xe6); }
  f32x4Div(): this { return this.simd(0xe7); }
  f32x4Min(): this { return this.simd(0xe8); }
  f32x4Max(): this { return this.simd(0xe9); }
  f32x4Nearest(): this { return this.simd(0x6a); }
  f32x4ConvertI32x4S(): this { return this.simd(0xfa); }
  i32x4TruncSatF32x4S(): this { return this.simd(0xf8); }

  // --- i32x4 and bitwise v128 ----------------------------------------------------------
  i32x4Add(): this { return this.simd(0xae); }
  i32x4Sub(): this { return this.simd(0xb1); }
  i32x4Shl(): this { return this.simd(0xab); }
  i32x4ShrS(): this { return this.simd(0xac); }
  v128And(): this { return this.simd(0x4e); }
  v128Or(): this { return this.simd(0x50); }
  v128Xor(): this { return this.simd(0x51); }
  /** Lanes of the first operand where the mask (top of stack) is set, else the second. */
  v128Bitselect(): this { return this.simd(0x52); }

  /** The body's encoding: local declarations (one run per local), instructions, `end`. */
  encode(): number[] {
    if (this.depth !== 0) throw new Error('wasm emit: unbalanced control in function body');
    const locals = this.localTypes.map((t) => [1, t]);
    return sized([...vec(locals), ...this.bytes, 0x0b]);
  }
}

interface FuncDef {
  name: string;
  params: ValType[];
  results: ValType[];
  code: Code;
}

/**
 * A module that imports one linear memory as `env.memory` and exports functions. The
 * memory is imported so every kernel module shares the caller's growable arena.
 */
export class ModuleBuilder {
  private readonly funcs: FuncDef[] = [];

  constructor(private readonly minPages = 1) {}

  /** Adds an exported function whose body `build` writes; params are locals 0..n-1. */
  func(name: string, params: ValType[], results: ValType[], build: (c: Code) => void): this {
    const code = new Code(params.length);
    build(code);
    this.funcs.push({ name, params, results, code });
    return this;
  }

  /** The module's bytes: header, type, import, function, export and code sections. */
  toBytes(): Uint8Array {
    const section = (id: number, payload: number[]): number[] => [id, ...sized(payload)];
    const types = this.funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
    const memoryImport = [...utf8('env'), ...utf8('memory'), 0x02, 0x00, ...uleb(this.minPages)];
    const funcIndices = this.funcs.map((_, i) => uleb(i));
    const exports = this.funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]);
    const bodies = this.funcs.map((f) => f.code.encode());
    return new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      ...section(1, vec(types)),
      ...section(2, vec([memoryImport])),
      ...section(3, vec(funcIndices)),
      ...section(7, vec(exports)),
      ...section(10, vec(bodies)),
    ]);
  }
}
