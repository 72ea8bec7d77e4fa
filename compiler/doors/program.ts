// Compiles a program with its gradients into runnable JavaScript: the door behind
// `tsgrad run`. Sources get their call sites wired to generated modules, everything is
// transpiled to ES modules under `<package root>/.tsgrad/run/<hash>/`, mirroring the
// source tree, so that `tsgrad` resolves from there as it does from the sources.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { Diagnostic } from '../diagnostics.js';
import { createProject, isRuntimeFile } from '../1-parse/project.js';
import { Compiler, applyEdits, CompiledProgram } from '../pipeline.js';

export interface BuiltProgram {
  readonly entry: string;
  readonly outDir: string;
  readonly diagnostics: Diagnostic[];
  readonly compiled: CompiledProgram;
}

/** The nearest folder above `file` with a package.json (the project root). */
export function projectRoot(file: string): string {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(path.resolve(file));
    dir = parent;
  }
}

export function buildForRun(entryFile: string): BuiltProgram {
  const entry = path.resolve(entryFile);
  const project = createProject([entry]);
  const compiled = new Compiler(project).compileProgram();
  const root = projectRoot(entry);
  const outDir = path.join(root, '.tsgrad', 'run', createHash('sha256').update(entry).digest('hex').slice(0, 12));
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { entry, outDir, diagnostics: compiled.diagnostics, compiled };
  const sources = project
    .getSourceFiles()
    .map((s) => s.compilerNode)
    .filter((sf) => !sf.isDeclarationFile && !isRuntimeFile(sf.fileName) && !sf.fileName.includes(`${path.sep}node_modules${path.sep}`) && !path.basename(sf.fileName).startsWith('__tsgrad_'));
  for (const sf of sources) {
    const text = applyEdits(readFileSync(sf.fileName, 'utf8'), compiled.edits.get(sf.fileName));
    writeJs(root, outDir, sf.fileName, text);
  }
  for (const [file, text] of compiled.modules) writeJs(root, outDir, file, text);
  return { entry: outPath(root, outDir, entry), outDir, diagnostics: compiled.diagnostics, compiled };
}

function outPath(root: string, outDir: string, file: string): string {
  const rel = path.relative(root, file);
  if (rel.startsWith('..')) throw new Error(`tsgrad run: ${file} is outside the project at ${root}`);
  return path.join(outDir, rel.replace(/\.(m|c)?tsx?$/, '.js'));
}

function writeJs(root: string, outDir: string, file: string, text: string): void {
  const js = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
    fileName: file,
  }).outputText;
  const out = outPath(root, outDir, file);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, withJsSpecifiers(js));
}

/** Relative imports get the `.js` ending Node's ES modules need. */
export function withJsSpecifiers(js: string): string {
  return js.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\2/g, (_m, lead: string, q: string, spec: string) => {
    let fixed = spec;
    if (/\.(m|c)?tsx?$/.test(fixed)) fixed = fixed.replace(/\.(m|c)?tsx?$/, (e) => e.replace('ts', 'js'));
    else if (!/\.(m|c)?js$|\.json$/.test(fixed)) fixed = `${fixed}.js`;
    return `${lead}${q}${fixed}${q}`;
  });
}
