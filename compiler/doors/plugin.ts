// tsgrad/plugin: the door for real `tsc`, as a ts-patch *program* transformer
// (`{ "transform": "tsgrad/plugin", "transformProgram": true }` in compilerOptions.plugins).
// tsc's program is replaced by one over the edited sources plus the generated gradient
// modules, so tsc type-checks and emits them like any file; tsgrad's diagnostics join
// tsc's (printed `error TSGxxxx`), and maps of edited files point at the user's lines.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
import { Diagnostic } from '../diagnostics.js';
import { createProject } from '../1-parse/project.js';
import { Compiler, CompiledProgram, Edit, applyEdits } from '../pipeline.js';
import { EditedText, RawSourceMap, remapThroughEdits } from './sourcemap.js';

/** What ts-patch passes a program transformer besides the program. */
export interface ProgramTransformerExtras {
  readonly ts: typeof ts;
}

/**
 * The program transformer. tsc calls it once with the program it made; it returns the
 * program tsc type-checks and emits.
 *
 * @example
 * // tsconfig.json
 * { "compilerOptions": { "plugins": [{ "transform": "tsgrad/plugin", "transformProgram": true }] } }
 * // then: npx tspc -p tsconfig.json
 */
export default function transformProgram(program: ts.Program, host: ts.CompilerHost | undefined, _config: unknown, extras: ProgramTransformerExtras): ts.Program {
  const tsi = extras.ts;
  const options = program.getCompilerOptions();
  const roots = program.getRootFileNames().filter((f) => !f.endsWith('.grad.ts')).map((f) => path.resolve(f));
  const compiled = new Compiler(createProject(roots.filter((f) => /\.(m|c)?tsx?$/.test(f) && !f.endsWith('.d.ts')))).compileProgram();
  const base = host ?? tsi.createCompilerHost(options);
  const next = tsi.createProgram([...roots, ...compiled.modules.keys()], options, editingHost(tsi, base, compiled));
  return withDiagnostics(tsi, next, compiled);
}

/** A host that serves edited sources and generated modules, and fixes maps on the way out. */
function editingHost(tsi: typeof ts, base: ts.CompilerHost, compiled: CompiledProgram): ts.CompilerHost {
  const texts = new Map<string, string>(compiled.modules);
  const originals = new Map<string, string>();
  for (const [file, edits] of compiled.edits) {
    const original = readFileSync(file, 'utf8');
    originals.set(file, original);
    texts.set(file, applyEdits(original, edits));
  }
  const host: ts.CompilerHost = Object.create(base);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = texts.get(path.resolve(file));
    return text !== undefined ? tsi.createSourceFile(file, text, lang) : base.getSourceFile(file, lang, onError, create);
  };
  host.fileExists = (file) => texts.has(path.resolve(file)) || base.fileExists(file);
  host.readFile = (file) => texts.get(path.resolve(file)) ?? base.readFile(file);
  host.writeFile = (file, text, bom, onError, sources, data) => {
    const source = sources?.length === 1 ? path.resolve(sources[0].fileName) : undefined;
    const edits = source ? compiled.edits.get(source) : undefined;
    if (source && edits && file.endsWith('.js.map')) {
      const original = originals.get(source)!;
      text = JSON.stringify(remapThroughEdits(JSON.parse(text) as RawSourceMap, new EditedText(original, texts.get(source)!, edits)));
    }
    base.writeFile(file, text, bom, onError, sources, data);
    const generated = source ? compiled.modules.get(source) : undefined;
    if (generated !== undefined && /\.grad\.(m|c)?js$/.test(file)) base.writeFile(file.replace(/\.(m|c)?js$/, '.ts'), generated, false, onError, sources, data);
  };
  return host;
}

/**
 * The program, with tsgrad's diagnostics added to its semantic ones, and tsc's own
 * diagnostics in edited files moved back to the user's text (the inserted import line
 * would otherwise shift every line by one).
 */
function withDiagnostics(tsi: typeof ts, program: ts.Program, compiled: CompiledProgram): ts.Program {
  const originals = new Map<string, { sf: ts.SourceFile; edited: EditedText }>();
  const toOriginal = (d: ts.Diagnostic): ts.Diagnostic => {
    const edits = d.file ? compiled.edits.get(path.resolve(d.file.fileName)) : undefined;
    if (!d.file || d.start === undefined || !edits) return d;
    const key = path.resolve(d.file.fileName);
    if (!originals.has(key)) {
      const text = readFileSync(key, 'utf8');
      originals.set(key, { sf: tsi.createSourceFile(d.file.fileName, text, tsi.ScriptTarget.Latest), edited: new EditedText(text, d.file.text, edits) });
    }
    const { sf, edited } = originals.get(key)!;
    return { ...d, file: sf, start: edited.originalOffset(d.start) };
  };
  const own = (file?: ts.SourceFile) =>
    unique(compiled.diagnostics)
      .filter((d) => !file || path.resolve(d.file) === path.resolve(file.fileName))
      .map((d) => toOriginal(toTs(tsi, program, compiled.edits, d)));
  const semantic = program.getSemanticDiagnostics.bind(program);
  const syntactic = program.getSyntacticDiagnostics.bind(program);
  return Object.assign(Object.create(program) as ts.Program, {
    getSemanticDiagnostics: (file?: ts.SourceFile, token?: ts.CancellationToken) => [...semantic(file, token).map(toOriginal), ...own(file)],
    getSyntacticDiagnostics: (file?: ts.SourceFile, token?: ts.CancellationToken) => syntactic(file, token).map(toOriginal),
  });
}

function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const keys = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    return !keys.has(key) && keys.add(key) !== undefined;
  });
}

/**
 * A tsgrad diagnostic in tsc's shape. tsc prints `TS` + the code, so the code is the
 * rest of ours (`G1003`): the line reads `file(line,col): error TSG1003: message`.
 */
function toTs(tsi: typeof ts, program: ts.Program, edits: CompiledProgram['edits'], d: Diagnostic): ts.Diagnostic {
  const file = program.getSourceFile(d.file);
  const start = file ? editedOffset(file, d, edits.get(path.resolve(d.file)) ?? []) : undefined;
  return {
    category: d.severity === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning,
    code: d.code.slice(2) as unknown as number,
    messageText: `${d.message} (${d.hint})`,
    file,
    start,
    length: start === undefined ? undefined : 1,
    source: 'tsgrad',
  };
}

/** The diagnostic's offset in the program's (edited) text of its file. */
function editedOffset(file: ts.SourceFile, d: Diagnostic, edits: readonly Edit[]): number {
  const original = readFileSync(d.file, 'utf8');
  const starts = [0, ...[...original.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)];
  const offset = (starts[d.line - 1] ?? 0) + d.column - 1;
  return Math.min(file.text.length, offset + edits.filter((e) => e.pos <= offset).reduce((n, e) => n + e.text.length, 0));
}
