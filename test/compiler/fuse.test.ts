// Fused elementwise loops (compiler/5-emit/fuse.ts): the fused gradient of each chain in
// fixtures/fuse/chains.ts matches the op-by-op gradient and float64 central differences,
// and really ran in a loop; the readable function, which higher orders read, keeps ops.
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

describe('fused elementwise loops', () => {
  const r = tsgrad('run', 'fixtures/fuse/chains.ts');
  const rows = new Map(r.stdout.trim().split('\n').map((line) => {
    const [name, vsOps, vsFd, loops] = line.split(' ');
    return [name, { vsOps: Number(vsOps), vsFd: Number(vsFd), loops: Number(loops) }] as const;
  }));

  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const name of ['chain.1000', 'chain.8195', 'rosenbrock', 'chain.second', 'chain.value', 'mixed']) {
    it(`${name}: the loop's gradient is the ops' gradient (float32) and the finite difference`, () => {
      const row = rows.get(name)!;
      expect(row).toBeDefined();
      expect(row.loops).toBeGreaterThan(0);
      expect(row.vsOps).toBeLessThan(1e-5);
      expect(row.vsFd).toBeLessThan(1e-4);
    });
  }
  it('broadcasting operands take the ops (the guard refuses them) with the same gradient', () => {
    const row = rows.get('broadcast')!;
    expect(row.loops).toBe(0);
    expect(row.vsOps).toBeLessThan(1e-5);
    expect(row.vsFd).toBeLessThan(1e-4);
  });

  it('emits the loop beside the readable function, which keeps its ops', () => {
    const e = tsgrad('emit', 'fixtures/fuse/chains.ts', '--function', 'chain');
    expect(e.status).toBe(0);
    const readable = e.stdout.slice(e.stdout.indexOf('export function chain_grad_0('), e.stdout.indexOf('export function chain_grad_0_fused('));
    expect(readable).toContain('const t0 = ops.sin(x);');
    expect(readable).not.toContain('fused.');
    expect(e.stdout).toContain("const chain_grad_0_loop0 = fused.loop({");
    expect(e.stdout).toContain("['t0', 'sin', 'x'],");
    expect(e.stdout).toContain('fn: chain_grad_0_fused,');
  });
});

// JavaScript loops (fixtures/fuse/frames.ts): framed runs read slices and write padSlices in
// place at every size; other runs take a JavaScript loop below the WebAssembly loops' 32
// elements. Their gradients have the ops' float32 bits and match float64 central differences.
describe('fused JavaScript loops', () => {
  const r = tsgrad('run', 'fixtures/fuse/frames.ts');
  const rows = new Map(r.stdout.trim().split('\n').map((line) => {
    const [name, bits, vsFd, frames] = line.split(' ');
    return [name, { bits: Number(bits), vsFd: Number(vsFd), frames: Number(frames) }] as const;
  }));

  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  const framed = [2, 3, 10, 32, 33, 34, 1001, 129, 130, 8195, 16390].map((n) => `rosenbrock.${n}`);
  const shifted = ['shifted.zeros', 'shifted.zeros.10', 'shifted.40', 'shifted.301'];
  const cases = [...framed, 'offsets.4', 'offsets.5', 'offsets.40', 'offsets.300', 'neighbours.zeros', 'neighbours.40', 'neighbours.zeros.300', ...shifted, 'rows', 'chain.1', 'chain.2', 'chain.9', 'chain.31', 'chain.value'];
  for (const name of cases) {
    it(`${name}: a JavaScript loop ran and gave the ops' bits and the finite difference`, () => {
      const row = rows.get(name)!;
      expect(row).toBeDefined();
      expect(row.frames).toBeGreaterThan(0);
      expect(row.bits).toBe(0);
      expect(row.vsFd).toBeLessThan(1e-4);
    });
  }
  it('a slice that is not one contiguous block (along axis 1) takes the ops, with the same gradient', () => {
    const row = rows.get('columns')!;
    expect(row.frames).toBe(0);
    expect(row.bits).toBe(0);
    expect(row.vsFd).toBeLessThan(1e-4);
  });

  it("emits Rosenbrock's gradient as one loop over x, writing one array", () => {
    const e = tsgrad('emit', 'fixtures/fuse/frames.ts', '--function', 'rosenbrock');
    expect(e.status).toBe(0);
    const fused = e.stdout.slice(e.stdout.indexOf('export function rosenbrock_grad_0_fused('), e.stdout.indexOf('function rosenbrock_grad_0_run0_ops('));
    // No op runs on the way (comments quote the source, which has ops).
    const code = fused.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line)).join('\n');
    expect(code).not.toMatch(/\bops\.\w+\(/);
    // From fused.framedLoopMin elements the same program runs as WebAssembly, in place too.
    expect(fused).toContain('rosenbrock_grad_0_loop0.runInto([x_data, x_data], [head_at, tail_at], count, [t1], [[d_x_data, t31_at, true], [d_x_data, t33_at, false]]);');
    // Every box has one item: the vector checks, with no Frame, given the items (no arrays);
    // the window that sets the count is not checked twice.
    // x is checked once; its boxes against its length.
    expect(fused).toContain('const x_length = fused.vector.length(x);');
    expect(fused.match(/fused\.vector\.length\(/g)).toHaveLength(1);
    expect(fused).toContain('const count = fused.vector.extent(x_length, 0, t2);');
    expect(fused).toContain('const head_at = 0;');
    expect(fused).toContain('const tail_at = fused.vector.window(x_length, 1, t2, count);');
    expect(fused).toMatch(/const t\d+_at = fused\.vector\.pieceIn\(x_length, 1, count\);/);
    expect(code).not.toMatch(/const t\d+ = \[/);
    expect(fused).toContain('const d_x = fused.vector.target(x);');
    expect(fused).not.toContain('fused.frame()');
    expect(fused).toContain('const t10 = Math.fround(head * head);');
    // The adjoint of tail (offset 1) reaches each element first: stored; head's is added.
    expect(fused).toMatch(/d_x_data\[t\d+_at \+ i\] = t22;/);
    expect(fused).toMatch(/d_x_data\[t\d+_at \+ i\] \+= d_head;/);
    expect(fused.match(/for \(/g)).toHaveLength(1);
  });
});
