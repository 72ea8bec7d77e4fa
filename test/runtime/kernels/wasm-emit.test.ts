// The wasm emitter: LEB128 encodings, and every module we build validates and runs.
import { describe, expect, it } from 'vitest';
import { Code, F32, I32, ModuleBuilder, sleb, uleb } from '../../../runtime/kernels/wasm/emit.js';
import { buildMatmulModule } from '../../../runtime/kernels/wasm/matmul-module.js';
import { instantiate, newMemory } from '../../../runtime/kernels/wasm/engine.js';
import { wasmAvailable } from '../../../runtime/kernels/wasm/index.js';

describe('LEB128', () => {
  it('encodes unsigned values as in the spec examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });
  it('encodes signed values with the sign bit in the last byte', () => {
    expect(sleb(0)).toEqual([0]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});

describe('emitted modules', () => {
  it('detects WebAssembly SIMD on Node 20', () => {
    expect(wasmAvailable()).toBe(true);
  });

  it.each([
    { mr: 4, nr: 8, ku: 1 },
    { mr: 4, nr: 8, ku: 4 },
    { mr: 6, nr: 8, ku: 2 },
    { mr: 3, nr: 4, ku: 1 },
    { mr: 2, nr: 16, ku: 8 },
  ])('matmul module %o validates', (shape) => {
    expect(WebAssembly.validate(buildMatmulModule(shape))).toBe(true);
  });

  it('runs a scalar loop and a SIMD body built with the Code builder', () => {
    const bytes = new ModuleBuilder()
      .func('sumTo', [I32], [I32], (c) => {
        // for (i = 0; i < n; i++) s += i
        const [i, s] = [c.local(I32), c.local(I32)];
        c.forRange(i, () => c.i32Const(0), 0, 1, () => c.localGet(s).localGet(i).i32Add().localSet(s));
        c.localGet(s);
      })
      .func('axpy4', [I32, F32], [], (c) => {
        // mem[0..4] = mem[0..4] * x + mem[4..8]
        c.i32Const(0).i32Const(0).v128Load().localGet(1).f32x4Splat().f32x4Mul().i32Const(0).v128Load(16).f32x4Add().v128Store();
      })
      .toBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = newMemory(1);
    const fns = instantiate(bytes, memory) as { sumTo: (n: number) => number; axpy4: (p: number, x: number) => void };
    expect(fns.sumTo(10)).toBe(45);
    expect(fns.sumTo(0)).toBe(0);
    const f32 = new Float32Array(memory.buffer, 0, 8);
    f32.set([1, 2, 3, 4, 10, 20, 30, 40]);
    fns.axpy4(0, 2);
    expect([...f32.subarray(0, 4)]).toEqual([12, 24, 36, 48]);
  });

  it('reports a body with broken types as invalid rather than throwing', () => {
    const bytes = new ModuleBuilder().func('bad', [], [I32], (c: Code) => void c.f32Const(1)).toBytes();
    expect(WebAssembly.validate(bytes)).toBe(false);
  });
});
