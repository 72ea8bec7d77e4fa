// Golden generated modules: each seed's generated gradient module is kept as a real
// file beside it (fixtures/seed/*.grad.ts) and compared byte for byte; the generated
// code, with the call sites wired, type-checks under `tsc --strict`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, applyEdits, createProject } from '../../compiler/index.js';
import { repoRoot } from '../helpers/cli.js';

const dir = path.join(repoRoot, 'fixtures/seed');
const seeds = readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f) && !f.endsWith('.grad.ts'));

function compileSeed(file: string) {
  return new Compiler(createProject([path.join(dir, file)])).compileProgram();
}

describe('golden generated modules', () => {
  for (const file of seeds) {
    it(file, () => {
      const compiled = compileSeed(file);
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const [modulePath, text] = [...compiled.modules][0];
      const golden = modulePath;
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it('type-checks under tsc --strict with the call sites wired', () => {
    const out = path.join(repoRoot, '.tsgrad', 'tsc-check');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    for (const file of seeds) {
      const compiled = compileSeed(file);
      const source = path.join(dir, file);
      writeFileSync(path.join(out, file), applyEdits(readFileSync(source, 'utf8'), compiled.edits.get(source)));
      for (const [modulePath, text] of compiled.modules) writeFileSync(path.join(out, path.basename(modulePath)), text);
    }
    writeFileSync(
      path.join(out, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true, types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules/@types')],
          lib: ['ES2022', 'DOM'],
          paths: { tsgrad: [path.join(repoRoot, 'runtime/index.ts')] },
        },
        include: ['*.ts'],
      }),
    );
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(out, 'tsconfig.json')], { encoding: 'utf8' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout);
    }
    expect(output).toBe('');
  });
});
