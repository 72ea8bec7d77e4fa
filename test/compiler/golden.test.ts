// Golden generated modules: each seed's and each language fixture's generated gradient
// module is kept as a real file beside it (fixtures/seed/*.grad.ts,
// fixtures/language/*.grad.ts) and compared byte for byte; the generated code, with the
// call sites wired, type-checks under `tsc --strict`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Compiler, applyEdits, createProject } from '../../compiler/index.js';
import { repoRoot } from '../helpers/cli.js';

/** A folder of fixtures whose generated modules are golden. */
interface Group {
  readonly name: string;
  readonly dir: string;
  readonly files: string[];
}

const sources = (dir: string, pattern: RegExp) => readdirSync(dir).filter((f) => pattern.test(f) && !f.endsWith('.grad.ts')).sort();
const seedDir = path.join(repoRoot, 'fixtures/seed');
const languageDir = path.join(repoRoot, 'fixtures/language');
const groups: Group[] = [
  { name: 'seed', dir: seedDir, files: sources(seedDir, /^\d\d-.*\.ts$/) },
  { name: 'language', dir: languageDir, files: sources(languageDir, /\.ts$/) },
];

/** Each fixture compiled once: the golden test and the type check share the result. */
const compiledFiles = new Map<string, ReturnType<Compiler['compileProgram']>>();
function compile(dir: string, file: string) {
  const key = path.join(dir, file);
  let compiled = compiledFiles.get(key);
  if (!compiled) compiledFiles.set(key, (compiled = new Compiler(createProject([key])).compileProgram()));
  return compiled;
}

for (const group of groups) {
  describe(`golden generated modules: ${group.name}`, () => {
    for (const file of group.files) {
      it(file, () => {
        const compiled = compile(group.dir, file);
        expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(compiled.modules.size).toBe(1);
        const [golden, text] = [...compiled.modules][0];
        if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, text);
        expect(text).toBe(readFileSync(golden, 'utf8'));
      });
    }

    it('type-checks under tsc --strict with the call sites wired', () => {
      const out = path.join(repoRoot, '.tsgrad', `tsc-check-${group.name}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      for (const file of group.files) {
        const compiled = compile(group.dir, file);
        const source = path.join(group.dir, file);
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
}
