// Registry-driven dtype checks: every differentiable op, on every case of its domain, gives
// a float32 result for float32 inputs that agrees with its float64 result to float32
// precision; and elementwise ops on int32 inputs give int32 (arithmetic) or float32
// (div and transcendental functions), matching the float64 values.
import { describe, expect, it } from 'vitest';
import { Tensor, float32, float64, int32 } from '../../../runtime/index.js';
import { primitives } from '../../../runtime/ops/registry.js';
import type { PrimitiveSpec } from '../../../runtime/ops/primitive.js';
import { randomTensor } from '../../helpers/finiteDiff.js';
import { Rng } from '../../helpers/rng.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);
const withDomain = specs.filter((s) => s.domain);

function as(t: Tensor, dtype: typeof float32): Tensor {
  return new Tensor(t.data, dtype, { shape: t.shape });
}

function args(spec: PrimitiveSpec, c: Record<string, unknown>, rng: Rng, convert: (t: Tensor) => Tensor): unknown[] {
  return spec.params.map((p) => {
    const range = spec.domain!.ranges[p];
    const value = c[p];
    if (range && Array.isArray(value) && value.some(Array.isArray)) return value.map((s) => convert(randomTensor(rng, s as number[], range[0], range[1])));
    if (range) return convert(randomTensor(rng, value as number[], range[0], range[1]));
    return value;
  });
}

describe.each(withDomain.map((s) => [s.name, s] as const))('%s', (_n, spec) => {
  it('float32 in, float32 out, close to float64', () => {
    spec.domain!.cases.forEach((c, ci) => {
      const r64 = spec.kernel(...args(spec, c, new Rng(ci), (t) => t)) as Tensor;
      const r32 = spec.kernel(...args(spec, c, new Rng(ci), (t) => as(t, float32))) as Tensor;
      expect(r64.dtype).toBe(float64);
      expect(r32.dtype).toBe(float32);
      expect(r32.shape).toEqual(r64.shape);
      r32.data.forEach((v, i) => expect(Math.abs(v - r64.data[i]), `${spec.name} case ${ci} [${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(r64.data[i]))));
    });
  });
});

describe('int32 inputs', () => {
  const a = new Tensor([3, -2, 5], int32);
  const b = new Tensor([2, 4, -3], int32);
  it.each(['add', 'sub', 'mul', 'maximum', 'minimum', 'mod'])('%s stays int32', (name) => {
    const op = (primitives as Record<string, (...x: unknown[]) => Tensor>)[name];
    const r = op(a, b);
    expect(r.dtype).toBe(int32);
    const f = op(as(a, float64), as(b, float64));
    expect(Array.from(r.data)).toEqual(Array.from(f.data));
  });
  it.each(['div', 'atan2', 'hypot'])('%s gives float32', (name) => {
    const op = (primitives as Record<string, (...x: unknown[]) => Tensor>)[name];
    expect(op(a, b).dtype).toBe(float32);
  });
  it.each(['neg', 'abs', 'square', 'relu', 'sign'])('%s stays int32', (name) => {
    const op = (primitives as Record<string, (...x: unknown[]) => Tensor>)[name];
    expect(op(a).dtype).toBe(int32);
  });
  it.each(['sin', 'cos', 'exp', 'log1p', 'tanh', 'sigmoid', 'sqrt', 'atan'])('%s gives float32', (name) => {
    const op = (primitives as Record<string, (...x: unknown[]) => Tensor>)[name];
    expect(op(a).dtype).toBe(float32);
  });
});
