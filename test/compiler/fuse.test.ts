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
