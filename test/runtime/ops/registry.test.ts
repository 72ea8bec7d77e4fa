// Meta-tests over the registry: every differentiable primitive has a rule for each
// differentiable parameter, forward and reverse, a domain and a line of math; and every
// rule is written only in runtime ops. The latter runs each rule with a recorder
// installed on opaque values that throw on any use (property reads, arithmetic,
// comparisons), and checks that it completes and records only registered primitives.
import { describe, expect, it } from 'vitest';
import * as ops from '../../../runtime/ops/index.js';
import { Tensor } from '../../../runtime/tensor.js';
import { broadcastShapes } from '../../../runtime/shape.js';
import { primitives, primitiveSpec } from '../../../runtime/ops/registry.js';
import { PrimitiveSpec, withRecorder } from '../../../runtime/ops/primitive.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);
const differentiable = specs.filter((s) => s.vjp && Object.keys(s.vjp).length > 0);

/** A stand-in for a symbolic value: any use other than passing it along throws. */
function opaque(label: string): object {
  const fail = (what: string) => () => {
    throw new Error(`a rule used ${label} (${what}) instead of passing it to an op`);
  };
  return new Proxy(Object.create(null), {
    get: (_t, key) => fail(`read .${String(key)}`)(),
    has: fail('in'),
    set: fail('write'),
    ownKeys: fail('keys'),
    getOwnPropertyDescriptor: fail('descriptor'),
    apply: fail('call'),
  });
}

type Recorded = { op: string; result: object };

function runRule(spec: PrimitiveSpec, param: string, kind: 'vjp' | 'jvp', c: Record<string, unknown>): { value: unknown; recorded: Recorded[]; results: Set<object> } {
  const p: Record<string, unknown> = { out: opaque('out') };
  for (const name of spec.params) {
    const ranged = spec.domain?.ranges[name] !== undefined;
    const value = c[name];
    if (ranged && Array.isArray(value) && value.some(Array.isArray)) p[name] = value.map((_, i) => opaque(`${name}[${i}]`));
    else if (ranged) p[name] = opaque(name);
    else p[name] = value;
  }
  const seed = param === spec.variadic && kind === 'jvp' ? (c[param] as unknown[]).map((_, i) => opaque(`d${param}[${i}]`)) : opaque('dy');
  const recorded: Recorded[] = [];
  const results = new Set<object>();
  const rule = (spec[kind] as Record<string, (p: unknown, d: unknown) => unknown>)[param];
  const value = withRecorder((op) => {
    const result = opaque(`the result of ${op}`);
    recorded.push({ op, result });
    results.add(result);
    return result;
  }, () => rule(p, seed));
  return { value, recorded, results };
}

describe('every differentiable primitive', () => {
  it.each(differentiable.map((s) => [s.name, s] as const))('%s has math, a domain, and both rules per parameter', (_n, spec) => {
    expect(spec.math.length).toBeGreaterThan(10);
    expect(spec.domain?.cases.length ?? 0).toBeGreaterThan(0);
    const params = Object.keys(spec.vjp!);
    expect(Object.keys(spec.jvp ?? {}).sort()).toEqual([...params].sort());
    for (const p of params) {
      expect(spec.params).toContain(p);
      expect(spec.domain!.ranges[p], `range for ${p}`).toBeDefined();
    }
    for (const s of spec.save) expect([...spec.params, 'out']).toContain(s);
  });

  it.each(differentiable.map((s) => [s.name, s] as const))('%s rules call only registered ops and nothing else', (_n, spec) => {
    for (const c of spec.domain!.cases) {
      for (const kind of ['vjp', 'jvp'] as const) {
        for (const param of Object.keys(spec[kind]!)) {
          const { value, recorded, results } = runRule(spec, param, kind, c);
          expect(recorded.length, `${kind} ${param} records ops`).toBeGreaterThan(0);
          for (const r of recorded) expect(primitiveSpec(r.op), `${r.op} is registered`).toBeDefined();
          const outputs = kind === 'vjp' && param === spec.variadic ? (value as object[]) : [value as object];
          for (const o of outputs) expect(results.has(o), `${kind} ${param} returns an op's result`).toBe(true);
        }
      }
    }
  });
});

describe('every primitive', () => {
  it.each(specs.map((s) => [s.name, s] as const))('%s is exported from ops under its name, with a factory', (name, spec) => {
    const exported = (ops as Record<string, unknown>)[name] as { primitive?: string } | undefined;
    expect(exported?.primitive).toBe(name);
    const factory = (ops.factories as unknown as Record<string, () => unknown>)[name[0].toUpperCase() + name.slice(1)];
    expect(factory()).toBe(exported);
    expect(spec.params.length).toBeGreaterThanOrEqual(0);
  });

  it.each(specs.filter((s) => s.shape && s.domain).map((s) => [s.name, s] as const))('%s declares its output shape truly', (_n, spec) => {
    for (const c of spec.domain!.cases) {
      const shapeOf = (p: string): number[] => (spec.domain!.ranges[p] ? (c[p] as number[]) : new Tensor(c[p] as never).shape);
      const args = spec.params.map((p) => (spec.domain!.ranges[p] ? ops.ones(c[p] as number[], 'float64') : c[p]));
      const out = spec.kernel(...args) as Tensor;
      const declared = spec.shape!;
      const want = typeof declared === 'string' ? shapeOf(declared) : declared.map(shapeOf).reduce((a, b) => broadcastShapes('test', a, b));
      expect(out.shape).toEqual(want);
    }
  });

  it('zero-gradient ops declare empty rules and non-differentiable ops none', () => {
    for (const name of ['onesLike', 'zerosLike', 'stopGradient', 'ones', 'zeros', 'randn', 'uniform', 'step', 'sign']) {
      expect(primitiveSpec(name)!.vjp).toEqual({});
      expect(primitiveSpec(name)!.jvp).toEqual({});
    }
    for (const name of ['argmax', 'argmin', 'equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'logicalNot', 'cast']) {
      expect(primitiveSpec(name)!.vjp).toBeUndefined();
    }
  });

  it('number syntax maps each Math function and operator to one primitive', () => {
    const seen = new Map<string, string>();
    for (const s of specs) {
      const syntax = s.number?.syntax;
      if (!syntax) continue;
      const math = syntax.match(/^Math\.(\w+)\(/)?.[1];
      const binary = syntax.match(/^\$0 (\S+) \$1$/)?.[1];
      const unary = syntax.match(/^(\S)\$0$/)?.[1];
      const key = math ?? (binary ? `a ${binary} b` : unary ? `${unary}a` : undefined);
      if (!key) continue;
      expect(seen.get(key), `${key} claimed by ${seen.get(key)} and ${s.name}`).toBeUndefined();
      seen.set(key, s.name);
    }
    expect(Object.fromEntries(seen)).toMatchObject({
      sin: 'sin', cos: 'cos', tan: 'tan', exp: 'exp', log: 'log', sqrt: 'sqrt', tanh: 'tanh', abs: 'abs',
      log1p: 'log1p', expm1: 'expm1', atan: 'atan', atan2: 'atan2', hypot: 'hypot', sinh: 'sinh', cosh: 'cosh',
      sign: 'sign', max: 'maximum', min: 'minimum', 'a + b': 'add', 'a - b': 'sub', '-a': 'neg', 'a * b': 'mul',
      'a / b': 'div', 'a ** b': 'pow', 'a % b': 'mod',
    });
  });

  it('number forms agree with the tensor kernels', () => {
    const samples = [-1.7, -0.4, 0.3, 0.9, 2.2];
    for (const s of specs) {
      if (!s.number) continue;
      const arity = (s.number.syntax.match(/\$(\d)/g) ?? []).reduce((m, t) => Math.max(m, Number(t[1]) + 1), 0);
      if (arity === 0 || ['sumToLike', 'broadcastLike', 'stopGradient'].includes(s.name)) continue;
      for (const a of samples) {
        for (const b of arity > 1 ? samples : [0]) {
          const args = arity === 3 ? [a > 0 ? 1 : 0, a, b] : arity === 2 ? [Math.abs(a), b] : [Math.abs(a) < 1 || !['log', 'sqrt'].includes(s.name) ? Math.abs(a) : a];
          const want = s.number.fn(...args);
          const got = (s.kernel(...args.map((v) => new Tensor(v, 'float64'))) as { item(): number }).item();
          if (Number.isNaN(want)) expect(got, `${s.name}(${args.join(', ')})`).toBeNaN();
          else expect(got, `${s.name}(${args.join(', ')})`).toBeCloseTo(want, 12);
        }
      }
    }
  });
});
