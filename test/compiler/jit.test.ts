// jit (compiler/jit.ts, runtime/jit.ts): the compiled forward of each program in
// fixtures/jit/forward.ts gives the source's own values bit for bit, through its fused
// loops where it has them; bad calls say what was expected and what came; code jit cannot
// compile is the coded error grad gives; without the compiler jit says what to run.
import { describe, expect, it } from 'vitest';
import { jit, ops, Tensor, TsgradError } from '../../runtime/index.js';
import { tsgrad } from '../helpers/cli.js';

describe('jit: compiled forwards, bit for bit', () => {
  const r = tsgrad('run', 'fixtures/jit/forward.ts');
  const rows = new Map(
    r.stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [name, differing, loops] = line.split(' ');
        return [name, { differing: Number(differing), loops: Number(loops) }] as const;
      }),
  );

  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  const cases = [
    ...['rosenbrock.2', 'rosenbrock.5', 'rosenbrock.10', 'rosenbrock.127', 'rosenbrock.128', 'rosenbrock.1000', 'rosenbrock.float64'],
    ...['chain.10', 'chain.1000', 'seed.1', 'seed.10', 'seed.1000', 'seed.broadcast', 'mlp', 'mlp.wide'],
    // −a + −b and x + 0 keep their +0 (simplify's exact mode: no negation sinking, no x + 0 → x).
    ...['zeros.4', 'zeros.1', 'zeros.number'],
    ...['pow', 'custom.bprop', 'custom.vjp', 'closure'],
    ...['series.12', 'series.0', 'smooth.1000.3', 'smooth.10.0', 'smooth.8195.2', 'numbers.10', 'numbers.1000'],
    ...['grad.seed', 'grad.rosenbrock', 'jit.jit'],
  ];
  for (const name of cases) {
    it(`${name}: the same values as the source run op by op`, () => {
      expect(rows.get(name)?.differing).toBe(0);
    });
  }
  it('elementwise runs went through the fused loops (JavaScript below 32 elements, WebAssembly above)', () => {
    for (const name of ['chain.10', 'chain.1000', 'smooth.1000.3', 'smooth.8195.2']) expect(rows.get(name)?.loops, name).toBeGreaterThan(0);
  });
});

describe('jit: generated code', () => {
  it('is the forward with source lines, a fused form the artifact calls, and its module', () => {
    const e = tsgrad('emit', 'fixtures/jit/forward.ts', '--function', 'rosenbrock', '--jit');
    expect(e.status).toBe(0);
    const readable = e.stdout.slice(e.stdout.indexOf('export function rosenbrock_jit('), e.stdout.indexOf('export function rosenbrock_jit_fused('));
    expect(readable).toContain('// line 11: const a = ops.sub(tail, ops.square(head));');
    expect(readable).toContain('const a = ops.sub(tail, t10);');
    expect(readable).not.toContain('fused.');
    expect(e.stdout).toContain('fn: rosenbrock_jit_fused,');
    expect(e.stdout).toContain('export function rosenbrock_jit_artifact(): JitArtifact {');
  });
  it('a Cell reading a Parameter gets the float32 scalar path for one-element tensors', () => {
    const e = tsgrad('emit', 'fixtures/jit/forward.ts', '--cell', 'SeedNet', '--jit');
    expect(e.status).toBe(0);
    expect(e.stdout).toContain('export function SeedNet_construct_jit_scalar(self: SeedNet, x: number, y: number): number {');
    expect(e.stdout).toContain('if (!(isScalarF32(x, x) && isScalarF32(y, x) && isScalarF32(self.z!, x))) {');
    expect(e.stdout).toContain('return scalarTensor(SeedNet_construct_jit_scalar(self, x.data[0], y.data[0]), x);');
  });
  it('is deterministic', () => {
    const a = tsgrad('emit', 'fixtures/jit/forward.ts', '--function', 'smooth', '--jit');
    const b = tsgrad('emit', 'fixtures/jit/forward.ts', '--function', 'smooth', '--jit');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('jit: bad calls', () => {
  const r = tsgrad('run', 'fixtures/jit/misuse.ts');
  const lines = r.stdout.trim().split('\n');
  const line = (name: string) => lines.find((l) => l.startsWith(`${name}: `));

  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('an input of the wrong kind or count names what was expected and what came', () => {
    expect(line('kind')).toMatch(/^kind: TypeError: jit\(scaled\): input 0 \(x\) must be a Tensor, got string "a"/);
    expect(line('count')).toMatch(/^count: TypeError: jit\(scaled\): expected 2 input\(s\) \(x, k\), got 1/);
    expect(line('number')).toMatch(/^number: TypeError: jit\(scaled\): input 1 \(k\) must be a number, got a Tensor of shape \[3\] \(Float32\)/);
    expect(line('array')).toMatch(/^array: TypeError: jit\(sum3\): input 0 \(a\) must be an array of numbers, got number 3/);
  });
  it('shapes that do not broadcast throw what the ops throw', () => {
    expect(line('shapes')).toBe('shapes: RangeError: mul: shapes [3] and [2] do not broadcast (dimension 0: 3 vs 2) (as the source)');
  });
  it('other dtypes, broadcasting and one-element calls give the source values', () => {
    for (const name of ['three', 'int32', 'broadcast', 'one-element', 'float64']) expect(line(name)).toBe(`${name}: ok, same`);
  });
});

describe('jit: what it cannot compile', () => {
  it('unsupported code is the coded error grad gives, at the same place', () => {
    const r = tsgrad('check', 'fixtures/jit/errors.ts');
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => / - error /.test(l));
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e).toMatch(/fixtures\/jit\/errors\.ts:5:3 - error TSG1003: try\/catch cannot be differentiated$/);
  });
  it('a second argument, or a gradient function, is TSG3012', () => {
    const r = tsgrad('check', 'fixtures/jit/arguments.ts', 'fixtures/errors/codes/TSG3012.ts');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('arguments.ts:5:39 - error TSG3012: jit compiles a Cell or a function: jit takes one argument, the Cell or function to compile');
    expect(r.stdout).toContain('TSG3012.ts:4:37 - error TSG3012: jit compiles a Cell or a function: jit of a grad result');
  });
  it('lists jit sites with tsgrad check', () => {
    const r = tsgrad('check', 'fixtures/jit/forward.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok jit of rosenbrock -> rosenbrock_jit');
    expect(r.stdout).toContain('ok jit of Mlp.construct -> Mlp_construct_jit');
  });
});

describe('jit without the compiler', () => {
  it('throws what to run, as grad does', () => {
    const f = (x: Tensor) => ops.sin(x);
    expect(() => jit(f)).toThrow(TsgradError);
    expect(() => jit(f)).toThrow('jit(f): no compiled forward. tsgrad compiles ahead of time: run this file with `tsgrad run`');
  });
  it('refuses what is not a Cell or a function', () => {
    expect(() => jit(3 as never)).toThrow('jit: expected a Cell or a function to compile, got number 3');
  });
});
