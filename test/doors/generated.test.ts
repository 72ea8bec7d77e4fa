// Generated gradient modules on their own: `tsgrad gen` writes gradients.grad.ts beside
// its source, plain tsc (no plugin) compiles an app that imports its functions directly,
// the app runs without grad(); --check catches stale modules and missing exports.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, run, tsgradIn } from '../helpers/fixture.js';

describe('generated gradient modules, imported directly', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyFixture('generated');
  });

  it('are written beside the source, typed, and run under plain tsc', () => {
    expect(tsgradIn(dir, 'gen', 'src/gradients.ts').stdout).toBe('src/gradients.grad.ts: written\n');
    const generated = readFileSync(path.join(dir, 'src/gradients.grad.ts'), 'utf8');
    expect(generated).toContain('export function Net_construct_grad_0_1(self: Net, x: Tensor, y: Tensor): [Tensor, Tensor] {');
    expect(generated).toContain('export function cube_grad_0(a: number): [number] {');
    const tsc = run(dir, process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
    expect(run(dir, process.execPath, ['dist/main.js']).stdout).toBe(
      '(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))\nd(a^3)/da at 2 = 12\n',
    );
  });

  it('--check passes when current and fails when the source moved on', () => {
    expect(tsgradIn(dir, 'gen', '--check', 'src/gradients.ts')).toMatchObject({ status: 0, stdout: 'src/gradients.grad.ts: unchanged\n' });
    const model = path.join(dir, 'src/model.ts');
    writeFileSync(model, readFileSync(model, 'utf8').replace('ops.mul(ops.mul(x, x), y)', 'ops.mul(x, y)'));
    expect(tsgradIn(dir, 'gen', '--check', 'src/gradients.ts')).toMatchObject({ status: 1, stdout: 'src/gradients.grad.ts: stale\n' });
  });

  it('asks for an export the generated module needs', () => {
    const other = copyFixture('generated');
    appendFileSync(path.join(other, 'src/gradients.ts'), 'const scale = 2;\nfunction scaled(a: number): number {\n  return a * scale;\n}\nexport const scaledGrad = grad(scaled);\n');
    const r = tsgradIn(other, 'gen', 'src/gradients.ts');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/src\/gradients\.ts\(\d+,1\): error TSG0002: the generated module imports a declaration the source does not export: export (scale|scaled)/);
  });
});
