// tsgrad/vite: the door for Vite, and so for Vitest, which transforms through Vite. The
// `transform` hook wires each user file's grad call sites to their artifacts (with a
// source map back to the user's text), and the generated gradient modules are served as
// modules that exist only in memory, at the path a build would write them
// (`net.ts` → `net.grad.ts`), so their own relative imports resolve as usual.

import path from 'node:path';
import type { Plugin } from 'vite';
import type { Project } from 'ts-morph';
import { Diagnostic, formatDiagnostic } from '../diagnostics.js';
import { createProject } from '../1-parse/project.js';
import { Compiler, CompiledProgram, applyEdits } from '../pipeline.js';
import { EditedText, editMap } from './sourcemap.js';

export interface TsgradViteOptions {
  /** Which module ids to compile; default: TypeScript files outside node_modules. */
  readonly include?: (id: string) => boolean;
}

/**
 * The Vite plugin.
 *
 * @example
 * // vite.config.ts (Vitest reads it too)
 * import { defineConfig } from 'vite';
 * import tsgrad from 'tsgrad/vite';
 * export default defineConfig({ plugins: [tsgrad()] });
 */
export default function tsgrad(options: TsgradViteOptions = {}): Plugin {
  const include = options.include ?? ((id: string) => /\.(m|c)?tsx?$/.test(id) && !id.includes('/node_modules/') && !id.endsWith('.d.ts'));
  const program = new IncrementalProgram();
  return {
    name: 'tsgrad',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/^\.\.?\/.*\.grad(\.(m|c)?(js|ts))?$/.test(source)) return null;
      const file = path.resolve(path.dirname(cleanId(importer)), source).replace(/\.grad(\.(m|c)?(js|ts))?$/, '.grad.ts');
      return program.module(file) !== undefined ? file : null;
    },
    load(id) {
      return program.module(cleanId(id)) ?? null;
    },
    watchChange(id) {
      program.changed(cleanId(id));
    },
    transform(code, id) {
      const file = cleanId(id);
      if (id.startsWith('\0') || !include(file) || file.endsWith('.grad.ts') || program.module(file) !== undefined) return null;
      if (!program.has(file) && !code.includes('tsgrad')) return null;
      const compiled = program.compile(file, code);
      for (const d of compiled.diagnostics.filter((x) => path.resolve(x.file) === file)) {
        if (d.severity === 'error') this.error({ message: formatDiagnostic(d), id: file, loc: { line: d.line, column: d.column - 1 } });
        else this.warn(warning(d));
      }
      const edits = compiled.edits.get(file);
      if (!edits) return null;
      const edited = applyEdits(code, edits);
      return { code: edited, map: editMap(file, code, edited, new EditedText(code, edited, edits)) };
    },
  };
}

/** One ts-morph project that grows with the files Vite transforms, compiled when it changes. */
class IncrementalProgram {
  private project: Project | undefined;
  private compiled: CompiledProgram | undefined;

  has(file: string): boolean {
    return this.project?.getSourceFile(file) !== undefined;
  }

  module(file: string): string | undefined {
    return this.compiled?.modules.get(file);
  }

  changed(file: string): void {
    const sf = this.project?.getSourceFile(file);
    if (!sf) return;
    sf.refreshFromFileSystemSync();
    this.compiled = undefined;
  }

  /** The program's gradients, with `file` read as `code`. */
  compile(file: string, code: string): CompiledProgram {
    if (!this.project) {
      this.project = createProject([file]);
      this.compiled = undefined;
    } else if (!this.project.getSourceFile(file)) {
      this.project.addSourceFileAtPath(file);
      this.project.resolveSourceFileDependencies();
      this.compiled = undefined;
    }
    const sf = this.project.getSourceFileOrThrow(file);
    if (sf.getFullText() !== code) {
      sf.replaceWithText(code);
      this.compiled = undefined;
    }
    this.compiled ??= new Compiler(this.project).compileProgram();
    return this.compiled;
  }
}

function cleanId(id: string): string {
  return path.resolve(id.replace(/[?#].*$/, ''));
}

function warning(d: Diagnostic): string {
  return `${path.relative(process.cwd(), d.file)}:${d.line}:${d.column} ${d.code}: ${d.message}`;
}
