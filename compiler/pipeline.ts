// The compiler core every front door calls: locate the differentiation requests of a
// program, and for each one lower → differentiate → simplify → emit. The result is a
// generated gradient module per source file that asks for gradients, plus the edits
// that wire each call site to its artifact. Higher orders compile the generated code of
// the order below: the compiler reads its own output.

import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { CompileError, Diagnostic, diagnosticAt, fail, movedTo } from './diagnostics.js';
import { Func, Loc } from './ir/nodes.js';
import { Entry, Lowerer, declaredAt, placeOf, sameLoc } from './1-parse/lower.js';
import { CallSite, Target, isDerivativeApi, locateCallSites, positionList } from './1-parse/locate.js';
import { DerivativeCompiler, DerivativeSite } from './derivatives.js';
import { JitCompiler, JitSite } from './jit.js';
import { isRuntimeFile } from './1-parse/project.js';
import { fence } from './1-parse/fence.js';
import { reverseOutput, stopAuxForReverse } from './3-differentiate/stop-aux.js';
import { ReverseRequest, Slot, differentiate } from './3-differentiate/reverse.js';
import { gradByForward } from './3-differentiate/grad-forward.js';
import { simplify } from './4-simplify/simplify.js';
import { foldTransposes } from './4-simplify/transposes.js';
import { reuseReads } from './4-simplify/reads.js';
import { emitFunctionLines, envTypeOf, withEnv } from './5-emit/typescript.js';
import { ScalarPath, scalarDispatch, scalarPath } from './5-emit/scalar.js';
import { FusedPath, fusedPath } from './5-emit/fuse.js';
import { ModulePart, classImport, emitModule, emitModuleWithOrigins, helperImports } from './5-emit/module.js';
import { printFunc } from './ir/printer.js';

export const VERSION = '0.1.0';

/** An insertion into a source file. */
export interface Edit {
  readonly pos: number;
  readonly text: string;
}

export interface CompiledProgram {
  /** Generated module path → TypeScript text. */
  readonly modules: Map<string, string>;
  /** Source file path → insertions that wire call sites to the generated modules. */
  readonly edits: Map<string, Edit[]>;
  readonly diagnostics: Diagnostic[];
  /** Every gradient compiled, in source order. */
  readonly gradients: CompiledGradient[];
  /** Generated module path → per line, the user's source location it came from (for source maps). */
  readonly origins: Map<string, (Loc | undefined)[]>;
}

export interface CompiledGradient {
  readonly name: string;
  /** `Net.construct`, `forward`. */
  readonly entry: string;
  readonly site: CallSite;
  /** The IR before differentiation, and the simplified adjoint IR. */
  readonly primal: Func;
  readonly adjoint: Func;
  readonly code: string;
  readonly part: ModulePart;
  readonly self: 'cell' | 'inner' | 'none';
  readonly slots: readonly Slot[];
  /** Where the generated function lives. */
  readonly modulePath: string;
  /** Warnings about this request (gradients that are always zero). */
  readonly warnings?: readonly Diagnostic[];
  /**
   * The enclosing function's locals the call site passes in `env`, when its generated
   * functions are more than `adjoint` (hessian's for an output of several elements).
   */
  readonly captures?: readonly string[];
}

/** The generated module's path for a source file: `net.ts` → `net.grad.ts`. */
export function gradModulePath(sourceFile: string): string {
  return sourceFile.replace(/\.(m|c)?tsx?$/, '') + '.grad.ts';
}

export class Compiler {
  private readonly cache = new Map<ts.CallExpression, CompiledGradient>();
  /** Gradients through recursion made again without tapes, to be read back (recursion.ts). */
  private readonly rereadableCache = new Map<ts.CallExpression, CompiledGradient>();
  /** Gradients by module, target and request, with the inputs and weights whose gradient is always zero. */
  private readonly byRequest = new Map<string, { readonly compiled: CompiledGradient; readonly zeroGradients: readonly string[] }>();
  private readonly names = new Map<string, Set<string>>();
  private virtualCount = 0;
  /** For generated code read back: per line, the user's line it came from. */
  private readonly virtualOrigins = new Map<string, (Loc | undefined)[]>();

  /** The user's location behind a line of generated code read back, if any. */
  readonly originOf = (file: string, line: number): Loc | undefined => this.virtualOrigins.get(file)?.[line - 1];
  private readonly derivatives = new DerivativeCompiler(this);
  private readonly jits = new JitCompiler(this);

  constructor(private readonly project: Project) {}

  /** The current checker: reading generated code adds files, which makes a new program. */
  get checker(): ts.TypeChecker {
    return this.project.getTypeChecker().compilerObject;
  }

  /** Compiles every call site in the project's own files (not the runtime's). */
  compileProgram(): CompiledProgram {
    const modules = new Map<string, string>();
    const edits = new Map<string, Edit[]>();
    const diagnostics: Diagnostic[] = [];
    const gradients: CompiledGradient[] = [];
    const origins = new Map<string, (Loc | undefined)[]>();
    for (const sf of this.userFiles()) {
      let sites: CallSite[];
      try {
        sites = locateCallSites(sf, this.checker);
      } catch (e) {
        if (e instanceof CompileError) {
          diagnostics.push(e.diagnostic);
          continue;
        }
        throw e;
      }
      const parts: CompiledGradient[] = [];
      for (const site of sites) {
        try {
          const g = this.compileSite(site);
          this.checkCaptures(g);
          parts.push(g);
          gradients.push(g);
          diagnostics.push(...(g.warnings ?? []));
        } catch (e) {
          if (e instanceof CompileError) diagnostics.push(...e.diagnostics.map((d) => this.inUserCode(d, site)));
          else if (e instanceof RangeError && /call stack/i.test(e.message)) diagnostics.push(diagnosticAt('TSG1009', site.call));
          else throw e;
        }
      }
      if (parts.length === 0) continue;
      const modulePath = gradModulePath(sf.fileName);
      const unique = [...new Map(parts.map((p) => [p.name, p])).values()];
      const module = emitModuleWithOrigins(modulePath, sf.fileName, unique.map((p) => p.part), VERSION);
      modules.set(modulePath, module.text);
      origins.set(modulePath, module.origins);
      this.wire(sf, parts, modulePath, edits);
    }
    return { modules, edits, diagnostics, gradients, origins };
  }

  /** Compiles the gradient one call site asks for (and, for higher orders, those below it). */
  compileSite(site: CallSite, rereadable = false): CompiledGradient {
    if (isDerivativeApi(site.api)) return this.derivatives.compile(site as DerivativeSite);
    if (site.api === 'jit') return this.jits.compile(site as JitSite);
    const cache = rereadable ? this.rereadableCache : this.cache;
    const cached = cache.get(site.call);
    if (cached) return cached;
    const modulePath = gradModulePath(site.call.getSourceFile().fileName);
    // Call sites with one target and one request share one function (the weights are picked at run time).
    const requestKey = `${modulePath} ${site.api} ${this.targetKey(site.target)} ${JSON.stringify(site.request)} ${rereadable}`;
    const same = this.byRequest.get(requestKey);
    if (same) {
      const shared = { ...same.compiled, site, warnings: zeroGradientWarnings(site, same.compiled.entry, same.zeroGradients) };
      cache.set(site.call, shared);
      return shared;
    }
    const { entry, self, label, innerEntry } = this.entryFor(site.target);
    if (entry.kind !== 'generated') {
      const fenced = fence(entry.kind === 'cell' ? entry.construct : entry.decl, this.checker);
      if (fenced.length > 0) throw new CompileError(fenced[0], fenced.slice(1));
    }
    // Over a gradient function requested with hasAux: its aux outputs (and grad's output) are stopped.
    const primal = stopAuxForReverse(reuseReads(foldTransposes(new Lowerer(this.checker, this.originOf).lower(entry))), site.target);
    const request = { ...this.reverseRequest(site, primal), rereadable };
    // The rereadable form is only read back for a higher order: it keeps the usual form's name.
    const name = rereadable ? this.compileSite(site).name : this.uniqueName(modulePath, functionName(site, label));
    // Elementwise code (a diagonal Jacobian) gets its gradient in forward mode (grad-forward.ts).
    const result = gradByForward(primal, request, name) ?? differentiate(primal, request, name);
    const adjoint = simplify(foldTransposes(result.func));
    const selfRoot = adjoint.roots.find((r) => r.kind === 'self');
    const selfType = selfRoot?.classRef ? classImport(selfRoot.classRef, path.dirname(modulePath)).text : undefined;
    const emitted = emitFunctionLines(adjoint, {
      name,
      selfType: selfRoot ? selfType ?? 'any' : undefined,
      doc: [
        `${describeRequest(site)} of ${label}.`,
        ...(result.forwardMode ? [FORWARD_MODE_DOC] : []),
        `Source: ${path.basename(primal.origin.file)}:${primal.origin.line}.`,
      ],
    });
    const code = emitted.text.join('\n');
    // Plain grad calls (no value, no aux) also get a scalar path for one-element float32 tensors.
    const slotTexts = result.slots.map((s) => [s.root, ...s.path].join('.'));
    const scalar =
      site.api === 'grad' && !site.request.hasAux && !adjoint.functions?.length && !adjoint.roots.some((r) => r.kind === 'module' || r.kind === 'env')
        ? scalarPath(adjoint, name, selfRoot ? selfType ?? 'any' : undefined, positionList(site.request), slotTexts)
        : undefined;
    // Tensor calls run the form with elementwise runs fused into loops, when there is one.
    const fused = fusedPath(adjoint, name, selfRoot ? selfType ?? 'any' : undefined);
    const artifact = artifactCode(name, label, site, primal, self, result.slots, adjoint, selfType, innerEntry, scalar, fused);
    const summary = `${name}: ${describeRequest(site)} of ${label}`;
    const compiled: CompiledGradient = {
      name,
      entry: label,
      site,
      primal,
      adjoint,
      code,
      part: {
        code,
        origins: emitted.origins,
        extra: [scalar?.code, fused?.code].filter((c) => c !== undefined).join('\n\n') || undefined,
        runtimeImports: [
          ...(scalar ? ['isScalarF32', 'scalarTensor'] : []),
          ...(fused ? ['fused'] : []),
          ...helperImports(code),
        ],
        artifact,
        roots: adjoint.roots,
        summary,
      },
      self,
      slots: result.slots,
      modulePath,
      warnings: zeroGradientWarnings(site, label, result.zeroGradients),
    };
    cache.set(site.call, compiled);
    this.byRequest.set(requestKey, { compiled, zeroGradients: result.zeroGradients });
    return compiled;
  }

  /**
   * @internal Names what a call site differentiates: call sites whose targets have one key
   * differentiate the same code (a Cell class's construct, a function, a gradient function).
   */
  targetKey(target: Target): string {
    const at = (node: ts.Node) => `${node.getSourceFile().fileName}:${node.pos}`;
    switch (target.kind) {
      case 'cell': {
        const declaration = target.type.getSymbol()?.getDeclarations()?.[0];
        return `cell ${declaration ? at(declaration) : target.className} ${at(target.construct)}`;
      }
      case 'function':
        return `function ${at(target.decl)}`;
      case 'grad': {
        const inner = this.compileSite(target.inner);
        return `grad ${inner.modulePath}#${inner.name}`;
      }
    }
  }

  /** @internal The entry a target lowers from (for compiler/derivatives.ts). */
  entryFor(target: Target): { entry: Entry; self: CompiledGradient['self']; label: string; innerEntry?: string } {
    switch (target.kind) {
      case 'cell':
        return { entry: { kind: 'cell', type: target.type, construct: target.construct, name: `${target.className}.construct` }, self: 'cell', label: `${target.className}.construct` };
      case 'function':
        return { entry: { kind: 'function', decl: target.decl, name: target.name }, self: 'none', label: target.name };
      case 'grad': {
        let inner = this.compileSite(target.inner);
        // Tapes in tuples are not differentiated again: recursion is read back in its rereadable
        // form (with weights, one gradient function per Parameter a recursive function reads).
        if (inner.adjoint.functions?.length) inner = this.compileSite(target.inner, true);
        const decl = this.readGenerated(inner);
        return {
          entry: { kind: 'generated', decl, name: inner.name, selfParam: inner.self !== 'none', captures: capturesOf(inner.adjoint) },
          self: inner.self === 'none' ? 'none' : 'inner',
          label: inner.name,
          innerEntry: inner.entry,
        };
      }
    }
  }

  /**
   * The call site passes the locals the generated code reads from `env` by name
   * (`() => ({ w })`, wire): where the call is, each name must be the local the code
   * captured, not another that hides it (TSG2008), which would give a wrong value in silence.
   */
  private checkCaptures(g: CompiledGradient): void {
    const names = g.captures ?? envMembers(envTypeOf(g.adjoint));
    if (names.length === 0) return;
    const declared = new Map([...g.adjoint.roots, ...g.part.roots].flatMap((r) => [...(r.captures ?? [])]));
    const visible = new Map(this.checker.getSymbolsInScope(g.site.call, ts.SymbolFlags.Value).map((s) => [s.name, s]));
    for (const name of names) {
      const want = declared.get(name);
      const decl = visible.get(name)?.valueDeclaration;
      const seen = decl && (ts.isVariableDeclaration(decl) || ts.isParameter(decl)) ? declaredAt(decl.name) : undefined;
      if (want && seen && sameLoc(want, seen)) continue;
      const found = seen ? `the ${name} declared at ${placeOf(seen)}` : decl ? `another ${name}` : `no ${name}`;
      fail('TSG2008', g.site.call, `the code reads the ${name} declared at ${want ? placeOf(want) : '(unknown)'}, here the call sees ${found}`);
    }
  }

  /**
   * A diagnostic raised in generated code read back for a higher order names a file the
   * user never wrote: move it to the user's line that code came from, or else to the
   * call site that asked for the higher order.
   */
  private inUserCode(d: Diagnostic, site: CallSite): Diagnostic {
    if (!this.virtualOrigins.has(d.file)) return d;
    const sf = site.call.getSourceFile();
    const asked = sf.getLineAndCharacterOfPosition(site.call.getStart(sf)).line + 1;
    const message = `${d.message} (in the higher order asked for at ${path.basename(sf.fileName)}:${asked})`;
    const origin = this.originOf(d.file, d.line);
    if (!origin) return { ...diagnosticAt(d.code, site.call, undefined, d.severity), message };
    const text = this.project.getSourceFile(origin.file)?.getFullText() ?? '';
    return { ...movedTo(d, origin.file, text, origin.line, origin.column), message };
  }

  /** Parses the generated code of `inner` as part of the program, for the next order. */
  /** @internal */
  readGenerated(inner: CompiledGradient): ts.FunctionDeclaration {
    const dir = path.dirname(inner.site.call.getSourceFile().fileName);
    const file = path.join(dir, `__tsgrad_order_${this.virtualCount++}.ts`);
    const { text, origins } = emitModuleWithOrigins(file, inner.site.call.getSourceFile().fileName, [inner.part], VERSION);
    this.virtualOrigins.set(file, origins);
    const sf = this.project.createSourceFile(file, text, { overwrite: true });
    const decl = sf.getFunctionOrThrow(inner.name).compilerNode;
    return decl;
  }

  private reverseRequest(site: CallSite, primal: Func): ReverseRequest {
    const positions = positionList(site.request);
    for (const p of positions) {
      if (p >= primal.params.length) {
        fail('TSG3001', site.call.arguments[1] ?? site.call, `position ${p}, but ${primal.name} takes ${primal.params.length} input(s) (${primal.params.map((q) => q.name).join(', ')})`);
      }
      if (primal.params[p].ty.kind === 'other' || primal.params[p].ty.kind === 'tuple') {
        fail('TSG3001', site.call.arguments[1] ?? site.call, `input ${p} (${primal.params[p].name}) is not a Tensor or a number`);
      }
    }
    if (site.request.hasAux && (primal.resultTy.kind !== 'tuple' || returnsOneTensor(site.target))) fail('TSG3007', site.call);
    return {
      positions,
      weights: site.request.weights,
      output: reverseOutput(site),
      withOutputs: site.api === 'valueAndGrad' || site.request.hasAux,
    };
  }

  /** @internal */
  uniqueName(modulePath: string, base: string): string {
    const taken = this.names.get(modulePath) ?? new Set<string>();
    this.names.set(modulePath, taken);
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  }

  private userFiles(): ts.SourceFile[] {
    return this.project
      .getSourceFiles()
      .map((s) => s.compilerNode)
      .filter((sf) => !sf.isDeclarationFile && !isRuntimeFile(sf.fileName) && !sf.fileName.includes('/node_modules/') && !path.basename(sf.fileName).startsWith('__tsgrad_order_') && !sf.fileName.endsWith('.grad.ts'));
  }

  /** Call sites get their artifact as a third argument; what generated code imports gets exported. */
  private wire(sf: ts.SourceFile, parts: CompiledGradient[], modulePath: string, edits: Map<string, Edit[]>): void {
    const add = (file: string, edit: Edit) => {
      const list = edits.get(file) ?? [];
      if (!list.some((e) => e.pos === edit.pos && e.text === edit.text)) list.push(edit);
      edits.set(file, list);
    };
    const ns = '__tsgrad';
    add(sf.fileName, { pos: 0, text: `import * as ${ns} from '${'./' + path.basename(modulePath).replace(/\.ts$/, '.js')}';\n` });
    for (const g of parts) {
      const call = g.site.call;
      const captured = g.captures ?? envMembers(envTypeOf(g.adjoint));
      const envThunk = captured.length > 0 ? `() => ({ ${captured.join(', ')} })` : '';
      const artifact = `${ns}.${g.name}_artifact(${envThunk})`;
      // jit(f) takes its artifact second; the others after their options.
      const text = call.arguments.length >= 2 || g.site.api === 'jit' ? `, ${artifact}` : `, undefined, ${artifact}`;
      add(sf.fileName, { pos: call.arguments[call.arguments.length - 1].getEnd(), text });
      for (const root of g.adjoint.roots) {
        if (root.kind === 'module' && root.module) this.exportDeclaration(root.module.file, root.module.exportName, add);
        if (root.classRef && !isRuntimeFile(root.classRef.file)) this.exportDeclaration(root.classRef.file, root.classRef.name, add);
      }
    }
  }

  private exportDeclaration(file: string, name: string, add: (file: string, edit: Edit) => void): void {
    const sf = this.project.getSourceFile(file)?.compilerNode;
    if (!sf) return;
    for (const stmt of sf.statements) {
      const declares =
        (ts.isVariableStatement(stmt) && stmt.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) ||
        ((ts.isClassDeclaration(stmt) || ts.isFunctionDeclaration(stmt)) && stmt.name?.text === name);
      if (!declares) continue;
      const exported = (ts.getModifiers(stmt as ts.HasModifiers) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) add(file, { pos: stmt.getStart(sf), text: 'export ' });
      return;
    }
  }
}

/** Where the locals a function reads from `env` are declared (its env root's captures). */
export function capturesOf(func: Func): ReadonlyMap<string, Loc> | undefined {
  return func.roots.find((r) => r.kind === 'env')?.captures;
}

/** The names in an `env` type (envTypeOf: what a generated function reads from `env`), which the call site captures. */
export function envMembers(type: string | undefined): string[] {
  if (type === undefined) return [];
  return [...type.matchAll(/(\w+): /g)].map((m) => m[1]);
}

/** The doc line of a gradient computed in forward mode (compiler/3-differentiate/grad-forward.ts). */
const FORWARD_MODE_DOC = 'Forward mode: every op from the input to the output is elementwise, so the gradient is the tangent along ones.';

function functionName(site: CallSite, label: string): string {
  const positions = positionList(site.request);
  const parts = [label.replace(/\./g, '_'), site.api === 'valueAndGrad' ? 'valueAndGrad' : 'grad'];
  if (positions.length > 0) parts.push(positions.join('_'));
  if (site.request.weights) parts.push('w');
  if (site.request.hasAux) parts.push('aux');
  return parts.join('_');
}

/** A gradient function that returns one Tensor (grad of one input, no weights, no aux): no array of outputs for hasAux. */
function returnsOneTensor(target: Target): boolean {
  if (target.kind !== 'grad') return false;
  const { api, request } = target.inner;
  return api === 'grad' && !request.weights && !request.hasAux && typeof request.gradPosition === 'number';
}

/** TSG4001 at `site` for each input or weight whose gradient is always zero. */
function zeroGradientWarnings(site: CallSite, label: string, zeroGradients: readonly string[]): Diagnostic[] {
  return zeroGradients.map((what) => diagnosticAt('TSG4001', site.call, `${what} of ${label} does not reach the output`, 'warning'));
}

function describeRequest(site: CallSite): string {
  const r = site.request;
  const bits = [`gradPosition ${JSON.stringify(r.gradPosition)}`];
  if (r.weights) bits.push('weights');
  if (r.hasAux) bits.push('hasAux');
  return `${site.api} (${bits.join(', ')})`;
}

function artifactCode(
  name: string,
  label: string,
  site: CallSite,
  primal: Func,
  self: CompiledGradient['self'],
  slots: readonly Slot[],
  adjoint: Func,
  selfType: string | undefined,
  innerEntry: string | undefined,
  scalar?: ScalarPath,
  fused?: FusedPath,
): string {
  const selfParam = adjoint.roots.some((r) => r.kind === 'self') ? `self: ${selfType ?? 'any'}` : '';
  const slotText = slots.map((s) => [s.root, ...s.path].join('.'));
  const cells = adjoint.roots.filter((r) => r.isCell).map((r) => r.name);
  const envType = envTypeOf(adjoint);
  const hasSelf = adjoint.roots.some((r) => r.kind === 'self');
  const tensorFn = fused?.name ?? name;
  const fn = scalar !== undefined ? scalarDispatch(adjoint, hasSelf, selfType, scalar, tensorFn) : withEnv(tensorFn, envType, hasSelf);
  const lines = [
    `export function ${name}_artifact(${envType === undefined ? '' : `env: () => ${envType}`}): GradArtifact {`,
    '  return {',
    `    entry: ${JSON.stringify(label)},`,
    `    api: ${JSON.stringify(site.api)},`,
    `    inputs: ${JSON.stringify(primal.params.map((p) => p.name))},`,
    `    inputKinds: ${JSON.stringify(primal.params.map((p) => p.ty.kind))},`,
    `    gradPosition: ${JSON.stringify(site.request.gradPosition)},`,
    `    weights: ${site.request.weights},`,
    `    hasAux: ${site.request.hasAux},`,
    `    self: ${JSON.stringify(self)},`,
    `    fn: ${fn},`,
    ...(scalar !== undefined ? [`    scalar: ${scalar.name},`] : []),
  ];
  if (site.request.weights) {
    lines.push(`    slots: (${selfParam}) => [${slotText.join(', ')}],`);
    lines.push(`    cells: (${selfParam}) => [${cells.join(', ')}],`);
  }
  if (innerEntry !== undefined) lines.push(`    inner: ${JSON.stringify(innerEntry)},`);
  lines.push('  };', '}');
  return lines.join('\n');
}

/** Applies insertions to a source text. */
export function applyEdits(text: string, edits: readonly Edit[] = []): string {
  // Later insertions at the same position go first, so earlier ones end up before them.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.pos - a.e.pos || b.i - a.i).map((x) => x.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.pos) + e.text + out.slice(e.pos);
  return out;
}

export { printFunc };
