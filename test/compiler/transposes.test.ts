// Transposes chosen at compile time (compiler/4-simplify/transposes.ts): the generated
// gradient of matmul(x, transpose(w, [1, 0])) holds matmulNT/matmulTN and no transpose,
// and fixtures/language/transposes.ts checks its values against central differences
// (float64) and against the float64 gradient (float32, WebAssembly kernel).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, createProject } from '../../compiler/index.js';
import { printedValues, repoRoot, tsgrad } from '../helpers/cli.js';

describe('transposes chosen at compile time', () => {
  const r = tsgrad('run', 'fixtures/language/transposes.ts');
  const found = printedValues(r.stdout);
  it('runs', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  for (const [name, tol] of [['input', 1e-6], ['weight', 1e-6], ['float32-input', 1e-4], ['float32-weight', 1e-4], ['batched', 1e-6]] as const) {
    it(name, () => {
      expect(found.has(name)).toBe(true);
      expect(found.get(name)!).toBeLessThan(tol);
    });
  }
  it('the dense layer gradient makes no transposed copy; a transpose of three axes stays', () => {
    const file = path.join(repoRoot, 'fixtures/language/transposes.ts');
    const [text] = [...new Compiler(createProject([file])).compileProgram().modules.values()];
    const layer = text.slice(text.indexOf('export function Layer_construct_grad_0_w('), text.indexOf('export function Layer_construct_grad_0_w_artifact'));
    expect(layer).toContain('ops.matmulNT(x, w)');
    expect(layer).toContain('ops.matmulTN(');
    expect(layer).not.toMatch(/= ops\.(transpose|matrixTranspose|transposeInverse)\(/);
    const batched = text.slice(text.indexOf('export function batched_grad_0('));
    expect(batched).toContain('ops.transpose(x, t0)');
  });
});
