// The door for users who commit generated code: `tsgrad gen` writes each generated
// gradient module beside its source (`gradients.ts` → `gradients.grad.ts`). The module
// is ordinary typed TypeScript that imports only `tsgrad` and the user's exported
// declarations, so the app imports its functions directly and needs no compiler at run
// time. With `check`, nothing is written and stale or missing modules are reported.

import { codes } from '../diagnostics.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { createProject } from '../1-parse/project.js';
import { Compiler } from '../pipeline.js';
import { BuildDiagnostic } from './build.js';

export interface GenerateResult {
  /** Generated module → 'written' | 'unchanged' | 'stale' (check mode). */
  readonly modules: Map<string, 'written' | 'unchanged' | 'stale'>;
  readonly diagnostics: BuildDiagnostic[];
}

/** Generates (or, with `check`, verifies) the gradient modules of `files` or a tsconfig's files. */
export function generateModules(opts: { files?: readonly string[]; project?: string; check?: boolean }): GenerateResult {
  const files = opts.project ? projectFiles(opts.project) : (opts.files ?? []).map((f) => path.resolve(f));
  const compiled = new Compiler(createProject(files.filter((f) => !f.endsWith('.grad.ts')))).compileProgram();
  const diagnostics: BuildDiagnostic[] = compiled.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message, hint: d.hint }));
  for (const [file, edits] of compiled.edits) {
    const text = readFileSync(file, 'utf8');
    for (const e of edits.filter((x) => x.text === 'export ')) {
      const before = text.slice(0, e.pos).split('\n');
      const name = /^(?:(?:abstract|declare)\s+)*(?:class|function|const|let|var)\s+([\w$]+)/.exec(text.slice(e.pos))?.[1] ?? 'it';
      diagnostics.push({ file, line: before.length, column: before[before.length - 1].length + 1, severity: 'error', code: 'TSG0002', message: `${codes.TSG0002.message}: export ${name}`, hint: codes.TSG0002.hint });
    }
  }
  const modules = new Map<string, 'written' | 'unchanged' | 'stale'>();
  if (diagnostics.some((d) => d.severity === 'error')) return { modules, diagnostics };
  for (const [file, text] of compiled.modules) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === text) modules.set(file, 'unchanged');
    else if (opts.check) modules.set(file, 'stale');
    else {
      writeFileSync(file, text);
      modules.set(file, 'written');
    }
  }
  return { modules, diagnostics };
}

function projectFiles(project: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(project), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`cannot read ${project}`);
  return parsed.fileNames;
}
