// The door behind `tsgrad build`: compiles a whole project with its gradients into an
// output folder — JavaScript, declarations, source maps that point at the user's own
// lines, and each generated gradient module as a readable `*.grad.ts` beside its `.js`.
// It writes nothing outside the output folder, and a content-hash manifest there lets a
// second run rebuild only the files that changed (and the files that import them).

import { codes } from '../diagnostics.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Diagnostic } from '../diagnostics.js';
import { createProject } from '../1-parse/project.js';
import { Compiler, CompiledProgram, Edit, VERSION, applyEdits, gradModulePath } from '../pipeline.js';
import { EditedText, RawSourceMap, remapThroughEdits, remapToOrigins } from './sourcemap.js';

export interface BuildOptions {
  /** A tsconfig.json; its files and compiler options are used. */
  readonly project?: string;
  /** Source files, when there is no tsconfig. */
  readonly files?: readonly string[];
  /** Where everything is written (overrides the tsconfig's outDir). */
  readonly outDir?: string;
  /** Called with progress lines: phases, then `[i/n] file` while emitting. */
  readonly progress?: (line: string) => void;
  /** Ignore the manifest and rebuild everything. */
  readonly force?: boolean;
}

/** One problem, in tsc's shape: tsgrad's `TSGxxxx` codes and tsc's `TSxxxx` alike. */
export interface BuildDiagnostic {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity: 'error' | 'warning';
  /** `TSG1003` or `TS2322`. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export interface BuildResult {
  readonly outDir: string;
  readonly diagnostics: BuildDiagnostic[];
  /** Source files of the program (user files, not declarations or packages). */
  readonly sources: string[];
  /** Source files whose outputs were emitted this run. */
  readonly rebuilt: string[];
  /** Output files whose content changed. */
  readonly written: string[];
  /** True when the manifest showed nothing had changed. */
  readonly upToDate: boolean;
  readonly gradients: number;
}

/** The manifest's name inside the output folder. */
export const MANIFEST = '.tsgrad-build.json';

interface Manifest {
  readonly tsgrad: string;
  readonly options: string;
  /** Source file (relative to the root folder) → content hash. */
  readonly inputs: Record<string, string>;
  /** Output file (relative to the output folder) → content hash. */
  readonly outputs: Record<string, string>;
}

interface Plan {
  readonly roots: string[];
  readonly options: ts.CompilerOptions;
  readonly rootDir: string;
  readonly outDir: string;
  readonly configErrors: BuildDiagnostic[];
}

/** Builds a project; never writes outside `outDir`. */
export function buildProject(opts: BuildOptions): BuildResult {
  const progress = opts.progress ?? (() => {});
  const plan = planBuild(opts);
  const empty = { outDir: plan.outDir, sources: [], rebuilt: [], written: [], upToDate: false, gradients: 0 };
  if (plan.configErrors.length > 0) return { ...empty, diagnostics: plan.configErrors };
  const optionsKey = hash(JSON.stringify({ ...portable(plan.options, plan.rootDir), roots: plan.roots.map((r) => path.relative(plan.rootDir, r)) }));
  const manifest = opts.force ? undefined : readManifest(plan.outDir);
  if (manifest && upToDate(manifest, plan, optionsKey)) {
    progress(`tsgrad: ${Object.keys(manifest.inputs).length} file(s) up to date`);
    return { ...empty, diagnostics: [], sources: Object.keys(manifest.inputs).map((f) => path.join(plan.rootDir, f)), upToDate: true };
  }
  progress(`tsgrad: reading ${plan.roots.length} file(s)`);
  const compiled = new Compiler(createProject(plan.roots)).compileProgram();
  progress(`tsgrad: ${compiled.gradients.length} gradient(s) compiled`);
  const program = emitProgram(plan, compiled);
  const sources = userSources(program).filter((sf) => !compiled.modules.has(path.resolve(sf.fileName)));
  const diagnostics = unique([...compiled.diagnostics.map(fromTsgrad), ...tsDiagnostics(program, sources).map((d) => fromTs(d, compiled))]);
  if (diagnostics.some((d) => d.severity === 'error')) return { ...empty, diagnostics, sources: sources.map((s) => s.fileName), gradients: compiled.gradients.length };
  const inputs = Object.fromEntries(sources.map((sf) => [rel(plan.rootDir, sf.fileName), hash(readFileSync(sf.fileName, 'utf8'))]));
  const dirty = dirtySources(program, sources, manifest && manifest.options === optionsKey && manifest.tsgrad === VERSION ? manifest : undefined, inputs, plan);
  const outputs: Record<string, string> = {};
  const written: string[] = [];
  const write = (file: string, text: string) => {
    const key = writeInside(plan.outDir, file, text, written);
    outputs[key] = hash(text);
  };
  keepOutputs(manifest, plan.outDir, sources, dirty, plan.rootDir, outputs);
  dirty.forEach((sf, i) => {
    progress(`[${i + 1}/${dirty.length}] ${path.relative(process.cwd(), sf.fileName)}`);
    emitOne(program, sf, plan, compiled, write);
    const generated = program.getSourceFile(gradModulePath(path.resolve(sf.fileName)));
    if (generated && compiled.modules.has(path.resolve(generated.fileName))) emitOne(program, generated, plan, compiled, write);
  });
  removeStale(manifest, plan.outDir, outputs);
  writeFileSync(path.join(plan.outDir, MANIFEST), JSON.stringify({ tsgrad: VERSION, options: optionsKey, inputs, outputs }, null, 2) + '\n');
  return { outDir: plan.outDir, diagnostics, sources: sources.map((s) => s.fileName), rebuilt: dirty.map((s) => s.fileName), written, upToDate: false, gradients: compiled.gradients.length };
}

/**
 * Compiler options with their paths made relative to the project, so that the manifest
 * (and so the whole output) is the same wherever the project is built.
 */
function portable(options: ts.CompilerOptions, rootDir: string): Record<string, unknown> {
  const relative = (v: unknown): unknown => {
    if (typeof v === 'string' && path.isAbsolute(v)) return path.relative(rootDir, v).split(path.sep).join('/');
    if (Array.isArray(v)) return v.map(relative);
    return v;
  };
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, relative(v)]));
}

/** The files, options and folders of a build, from a tsconfig or a file list. */
function planBuild(opts: BuildOptions): Plan {
  let roots: string[];
  let options: ts.CompilerOptions;
  const configErrors: BuildDiagnostic[] = [];
  if (opts.project) {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(opts.project), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(fromTs(d)),
    });
    configErrors.push(...(parsed?.errors ?? []).map((d) => fromTs(d)));
    roots = parsed?.fileNames ?? [];
    options = parsed?.options ?? {};
  } else {
    roots = (opts.files ?? []).map((f) => path.resolve(f));
    options = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, skipLibCheck: true, sourceMap: true, declaration: true };
    for (const f of roots) if (!existsSync(f)) configErrors.push({ severity: 'error', code: 'TS6053', message: `File '${f}' not found.` });
  }
  roots = roots.filter((f) => !f.endsWith('.grad.ts'));
  const outDirOption = opts.outDir ?? options.outDir;
  if (!outDirOption) configErrors.push({ severity: 'error', code: 'TSG0001', message: `${codes.TSG0001.message}: ${codes.TSG0001.hint}` });
  if (roots.length === 0 && configErrors.length === 0) configErrors.push({ severity: 'error', code: 'TS18003', message: 'No inputs were found.' });
  const outDir = path.resolve(outDirOption ?? '.');
  const rootDir = path.resolve(options.rootDir ?? commonDir(roots));
  const declaration = options.declaration ?? true;
  return {
    roots,
    rootDir,
    outDir,
    configErrors,
    options: { ...options, outDir, rootDir, noEmit: false, declaration, sourceMap: options.sourceMap ?? !options.inlineSourceMap, incremental: false, composite: false, tsBuildInfoFile: undefined, emitDeclarationOnly: false },
  };
}

/** tsc's program over the edited sources plus the generated gradient modules. */
function emitProgram(plan: Plan, compiled: CompiledProgram): ts.Program {
  const host = ts.createCompilerHost(plan.options);
  const texts = new Map<string, string>(compiled.modules);
  for (const [file, edits] of compiled.edits) texts.set(file, applyEdits(readFileSync(file, 'utf8'), edits));
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = texts.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, lang) : getSourceFile(file, lang, onError, create);
  };
  host.fileExists = (file) => texts.has(path.resolve(file)) || fileExists(file);
  host.readFile = (file) => texts.get(path.resolve(file)) ?? readFile(file);
  host.writeFile = () => {
    throw new Error('tsgrad build: unexpected write outside the build');
  };
  return ts.createProgram([...plan.roots, ...compiled.modules.keys()], plan.options, host);
}

function userSources(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf) && !sf.fileName.includes('/node_modules/'));
}

/** Syntax and type errors of the user's files, as tsc reports them. */
function tsDiagnostics(program: ts.Program, sources: readonly ts.SourceFile[]): ts.Diagnostic[] {
  const all = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const sf of sources) all.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  // Declaration errors (a type .d.ts cannot name) would otherwise surface only mid-emit.
  if (all.length === 0 && program.getCompilerOptions().declaration) for (const sf of sources) all.push(...program.getDeclarationDiagnostics(sf));
  return all;
}

/** Sources to emit: changed ones, the ones importing them, and ones whose outputs are gone. */
function dirtySources(program: ts.Program, sources: ts.SourceFile[], manifest: Manifest | undefined, inputs: Record<string, string>, plan: Plan): ts.SourceFile[] {
  if (!manifest) return sources;
  const importers = new Map<string, Set<string>>();
  for (const sf of sources) {
    for (const dep of imports(program, sf)) {
      if (!importers.has(dep)) importers.set(dep, new Set());
      importers.get(dep)!.add(sf.fileName);
    }
  }
  const dirty = new Set<string>();
  const visit = (file: string) => {
    if (dirty.has(file)) return;
    dirty.add(file);
    for (const importer of importers.get(file) ?? []) visit(importer);
  };
  for (const sf of sources) {
    const key = rel(plan.rootDir, sf.fileName);
    const outputsThere = Object.keys(manifest.outputs).some((o) => o.startsWith(key.replace(/\.(m|c)?tsx?$/, '.')));
    if (manifest.inputs[key] !== inputs[key] || !outputsThere) visit(sf.fileName);
  }
  return sources.filter((sf) => dirty.has(sf.fileName));
}

function imports(program: ts.Program, sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt) && !ts.isExportDeclaration(stmt)) continue;
    const spec = stmt.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    const mode = program.getModeForUsageLocation(sf, spec);
    const resolved = ts.resolveModuleName(spec.text, sf.fileName, program.getCompilerOptions(), ts.sys, undefined, undefined, mode).resolvedModule;
    if (resolved) out.push(path.resolve(resolved.resolvedFileName));
  }
  return out;
}

/** Emits one source (and, for a generated module, its readable `.grad.ts`). */
function emitOne(program: ts.Program, sf: ts.SourceFile, plan: Plan, compiled: CompiledProgram, write: (file: string, text: string) => void): void {
  const file = path.resolve(sf.fileName);
  const generated = compiled.modules.get(file);
  if (generated !== undefined) write(path.join(plan.outDir, path.relative(plan.rootDir, file)), generated);
  const edits = compiled.edits.get(file);
  const origins = compiled.origins.get(file);
  const result = program.emit(sf, (out, text) => {
    if (out.endsWith('.js.map') && edits) text = remapMap(text, file, edits);
    // A generated module's statements map to the user's lines they were derived from.
    else if (out.endsWith('.js.map') && origins) text = JSON.stringify(remapToOrigins(JSON.parse(text) as RawSourceMap, origins, path.dirname(out)));
    write(out, text);
  });
  if (result.emitSkipped || result.diagnostics.length > 0) {
    const why = result.diagnostics.map((d) => formatBuildDiagnostic(fromTs(d, compiled))).join('\n');
    throw new Error(`tsc could not emit ${path.relative(process.cwd(), file)}${why ? `:\n${why}` : ''}`);
  }
}

function remapMap(text: string, file: string, edits: readonly Edit[]): string {
  const original = readFileSync(file, 'utf8');
  const edited = new EditedText(original, applyEdits(original, edits), edits);
  return JSON.stringify(remapThroughEdits(JSON.parse(text) as RawSourceMap, edited));
}

/** Writes `file` if its content changed; refuses any path outside `outDir`. */
function writeInside(outDir: string, file: string, text: string, written: string[]): string {
  const abs = path.resolve(file);
  const key = path.relative(outDir, abs);
  if (key.startsWith('..') || path.isAbsolute(key)) throw new Error(`tsgrad build: refusing to write ${abs}, outside ${outDir}`);
  if (!existsSync(abs) || readFileSync(abs, 'utf8') !== text) {
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    written.push(abs);
  }
  return key.split(path.sep).join('/');
}

/** Outputs of clean sources stay, as the manifest recorded them. */
function keepOutputs(manifest: Manifest | undefined, outDir: string, sources: ts.SourceFile[], dirty: ts.SourceFile[], rootDir: string, outputs: Record<string, string>): void {
  if (!manifest) return;
  const dirtySet = new Set(dirty.map((s) => s.fileName));
  const cleanStems = sources.filter((s) => !dirtySet.has(s.fileName)).map((s) => rel(rootDir, s.fileName).replace(/\.(m|c)?tsx?$/, '.'));
  for (const [out, h] of Object.entries(manifest.outputs)) {
    if (cleanStems.some((stem) => out.startsWith(stem) && !out.slice(stem.length).includes('/')) && existsSync(path.join(outDir, out))) outputs[out] = h;
  }
}

/** Outputs the previous build wrote that this one no longer produces. */
function removeStale(manifest: Manifest | undefined, outDir: string, outputs: Record<string, string>): void {
  for (const out of Object.keys(manifest?.outputs ?? {})) if (!(out in outputs)) rmSync(path.join(outDir, out), { force: true });
}

function upToDate(manifest: Manifest, plan: Plan, optionsKey: string): boolean {
  if (manifest.tsgrad !== VERSION || manifest.options !== optionsKey) return false;
  for (const root of plan.roots) if (!(rel(plan.rootDir, root) in manifest.inputs)) return false;
  for (const [file, h] of Object.entries(manifest.inputs)) {
    const abs = path.join(plan.rootDir, file);
    if (!existsSync(abs) || hash(readFileSync(abs, 'utf8')) !== h) return false;
  }
  return Object.entries(manifest.outputs).every(([file, h]) => {
    const abs = path.join(plan.outDir, file);
    return existsSync(abs) && hash(readFileSync(abs, 'utf8')) === h;
  });
}

function readManifest(outDir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path.join(outDir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function fromTsgrad(d: Diagnostic): BuildDiagnostic {
  return { file: d.file, line: d.line, column: d.column, severity: d.severity, code: d.code, message: d.message, hint: d.hint };
}

/** A tsc diagnostic; in an edited file, at its place in the user's text. */
function fromTs(d: ts.Diagnostic, compiled?: CompiledProgram): BuildDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
  if (!d.file || d.start === undefined) return { severity, code: `TS${d.code}`, message };
  let [line, character] = [0, 0];
  const file = path.resolve(d.file.fileName);
  const edits = compiled?.edits.get(file);
  if (edits) {
    const original = readFileSync(file, 'utf8');
    const edited = new EditedText(original, d.file.text, edits);
    [line, character] = edited.originalLineAndColumn(edited.originalOffset(d.start));
  } else ({ line, character } = d.file.getLineAndCharacterOfPosition(d.start));
  return { file: d.file.fileName, line: line + 1, column: character + 1, severity, code: `TS${d.code}`, message };
}

/** One diagnostic per place and message (several call sites may reach the same construct). */
function unique(diagnostics: BuildDiagnostic[]): BuildDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = formatBuildDiagnostic(d, '/');
    return !seen.has(key) && seen.add(key) !== undefined;
  });
}

/** `file(line,col): error TSG1003: message`, as tsc prints, with the file relative to `cwd`. */
export function formatBuildDiagnostic(d: BuildDiagnostic, cwd = process.cwd()): string {
  const where = d.file ? `${path.relative(cwd, d.file) || d.file}(${d.line},${d.column}): ` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

function commonDir(files: readonly string[]): string {
  if (files.length === 0) return process.cwd();
  let dir = path.dirname(files[0]);
  for (const f of files) while (!(path.dirname(f) + path.sep).startsWith(dir + path.sep)) dir = path.dirname(dir);
  return dir;
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
