// The TypeScript program the compiler reads. `tsgrad` resolves to the runtime's own
// sources (shipped in the package), so that built-in cells are read from their
// `construct` bodies like any user cell.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';

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
  for (const file of files) project.addSourceFileAtPath(path.resolve(file));
  project.resolveSourceFileDependencies();
  return project;
}

/** True for files of tsgrad's own runtime (built-in cells, ops). */
export function isRuntimeFile(fileName: string): boolean {
  const runtime = runtimeSourceDir() + path.sep;
  return path.resolve(fileName).startsWith(runtime);
}
