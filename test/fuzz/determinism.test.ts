// Determinism and safety of generated code: compiling the same random programs twice, in
// two fresh projects, gives byte-identical modules, and no generated module calls eval
// or new Function.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, createProject } from '../../compiler/index.js';
import { buildProgram, header, recipeArb } from './programs/generate.js';
import { fuzzDir } from './programs/run.js';

function compile(file: string): Map<string, string> {
  const compiled = new Compiler(createProject([file])).compileProgram();
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled.modules;
}

describe('determinism and safety', () => {
  const recipes = fc.sample(recipeArb, { seed: 7, numRuns: 20 });
  const source = header + recipes.map((r, i) => buildProgram(`d_${i}`, r).source).join('\n') + '\n';
  mkdirSync(fuzzDir, { recursive: true });
  const file = path.join(fuzzDir, 'determinism.ts');
  writeFileSync(file, source);
  const first = compile(file);
  const second = compile(file);

  it('compiles the same input to the same bytes', () => {
    expect(first.size).toBeGreaterThan(0);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [k, text] of first) expect(second.get(k)).toBe(text);
  });
  it('generates no eval and no new Function', () => {
    for (const text of first.values()) {
      expect(text).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/);
    }
  });
});
