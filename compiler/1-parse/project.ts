// The TypeScript program the compiler reads. `tsgrad` resolves to the runtime's own
// sources (shipped in the package), so that built-in cells are read from their
// `construct` bodies like any user cell.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { CompileError, codes } from '../diagnostics.js';

/** The root of the tsgrad package this compiler belongs to. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'tsgrad') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('tsgrad: cannot find the tsgrad package root');
    dir = parent;
  }
}

export function runtimeSourceDir(): string {
  return path.join(packageRoot(), 'runtime');
}

export const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  types: [],
};

/** A project holding `files` and everything they import. */
export function createProject(files: readonly string[]): Project {
  const runtime = runtimeSourceDir();
  const project = new Project({
    compilerOptions: {
      ...compilerOptions,
      paths: {
        tsgrad: [path.join(runtime, 'index.ts')],
        'tsgrad/*': [path.join(packageRoot(), '*')],
      },
    },
    skipAddingFilesFromTsConfig: true,
  });
  try {
    for (const file of files) project.addSourceFileAtPath(path.resolve(file));
    project.resolveSourceFileDependencies();
    exportEverything(project);
  } catch (e) {
    // TypeScript's own parser recurses per nesting level: a coded error, not a crash.
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw nestedTooDeeply(path.resolve(files[0] ?? '.'));
    throw e;
  }
  return project;
}

function nestedTooDeeply(file: string): CompileError {
  const { message, hint } = codes.TSG1009;
  return new CompileError({ code: 'TSG1009', severity: 'error', message, hint, file, line: 1, column: 1, frame: '' });
}

/**
 * Generated code imports the classes and module bindings it reads from the files that
 * declare them; so that the compiler can read generated code back (higher orders), the
 * project's copy of each user file exports its top-level declarations. The list is
 * appended at the end, so no position in the file moves. (Output files get the
 * exports they need through the call-site edits.)
 */
function exportEverything(project: Project): void {
  for (const sf of project.getSourceFiles()) {
    const node = sf.compilerNode;
    if (node.isDeclarationFile || isRuntimeFile(node.fileName) || node.fileName.includes('/node_modules/')) continue;
    const names = unexportedNames(node);
    if (names.length === 0) continue;
    project.createSourceFile(node.fileName, `${node.text}\nexport { ${names.join(', ')} };\n`, { overwrite: true });
  }
}

function unexportedNames(sf: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const stmt of sf.statements) {
    const mods = ts.canHaveModifiers(stmt) ? (ts.getModifiers(stmt) ?? []) : [];
    if (mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    if ((ts.isClassDeclaration(stmt) || ts.isFunctionDeclaration(stmt) || ts.isEnumDeclaration(stmt)) && stmt.name) names.push(stmt.name.text);
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) collectBindingNames(d.name, names);
    }
  }
  return names;
}

function collectBindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collectBindingNames(el.name, out);
}

/** True for files of tsgrad's own runtime (built-in cells, ops). */
export function isRuntimeFile(fileName: string): boolean {
  const runtime = runtimeSourceDir() + path.sep;
  return path.resolve(fileName).startsWith(runtime);
}
