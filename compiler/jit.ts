// Compiles `jit` call sites: a Cell's or a function's forward through the same phases as
// its gradient, without the backward sweep: fence → lower → simplify → emit, with the
// emit-time forms a gradient gets (elementwise runs fused into loops; one-element float32
// tensors as float32 arithmetic). The generated forward computes the values the source
// computes, op for op: the fused loops and the scalar path store what the op kernels store.

import path from 'node:path';
import { ts } from 'ts-morph';
import { CompileError } from './diagnostics.js';
import { Func, Loc, Stmt, Ty, childBlocks } from './ir/nodes.js';
import { Lowerer } from './1-parse/lower.js';
import { CallSite } from './1-parse/locate.js';
import { fence } from './1-parse/fence.js';
import { simplify } from './4-simplify/simplify.js';
import { foldTransposes } from './4-simplify/transposes.js';
import { reuseReads } from './4-simplify/reads.js';
import { emitFunctionLines, envTypeOf, withEnv } from './5-emit/typescript.js';
import { fusedPath } from './5-emit/fuse.js';
import { ScalarForward, scalarForward, scalarForwardDispatch } from './5-emit/scalar-forward.js';
import { classImport } from './5-emit/module.js';
import type { CompiledGradient, Compiler } from './pipeline.js';
import { gradModulePath } from './pipeline.js';

export type JitSite = CallSite & { readonly api: 'jit' };

export class JitCompiler {
  private readonly cache = new Map<ts.CallExpression, CompiledGradient>();

  constructor(private readonly compiler: Compiler) {}

  compile(site: JitSite): CompiledGradient {
    const cached = this.cache.get(site.call);
    if (cached) return cached;
    const modulePath = gradModulePath(site.call.getSourceFile().fileName);
    const { entry, self, label } = this.compiler.entryFor(site.target);
    if (entry.kind === 'generated') throw new Error('jit: a gradient function is refused by locate (TSG3012)');
    const fenced = fence(entry.kind === 'cell' ? entry.construct : entry.decl, this.compiler.checker);
    if (fenced.length > 0) throw new CompileError(fenced[0], fenced.slice(1));
    const primal = reuseReads(foldTransposes(new Lowerer(this.compiler.checker, this.compiler.originOf).lower(entry)));
    const name = this.compiler.uniqueName(modulePath, `${label.replace(/\./g, '_')}_jit`);
    // Exact: the forward keeps every bit the source computes, signed zeros included.
    const forward = withSourceComments(fieldsFirst(simplify(foldTransposes({ ...primal, name }), { exact: true })));
    const selfRoot = forward.roots.find((r) => r.kind === 'self');
    const selfType = selfRoot ? (selfRoot.classRef ? classImport(selfRoot.classRef, path.dirname(modulePath)).text : 'any') : undefined;
    const source = `${path.basename(primal.origin.file)}:${primal.origin.line}`;
    const emitted = emitFunctionLines(forward, { name, selfType, doc: [`The forward of ${label}, compiled by jit.`, `Source: ${source}.`] });
    const code = emitted.text.join('\n');
    const fused = fusedPath(forward, name, selfType);
    const scalar = scalarForward(forward, name, selfType);
    const artifact = artifactCode(name, label, forward, selfType, fused?.name ?? name, scalar);
    const compiled: CompiledGradient = {
      name,
      entry: label,
      site,
      primal,
      adjoint: forward,
      code,
      part: {
        code,
        origins: emitted.origins,
        extra: [scalar?.code, fused?.code].filter((c) => c !== undefined).join('\n\n') || undefined,
        runtimeImports: [...(scalar ? ['isScalarF32', 'scalarTensor'] : []), ...(fused ? ['fused'] : [])],
        artifact,
        roots: forward.roots,
        summary: `${name}: jit of ${label}`,
        typeImports: ['JitArtifact'],
      },
      self,
      slots: [],
      modulePath,
    };
    this.cache.set(site.call, compiled);
    return compiled;
  }
}

/**
 * Top-level field reads (`const z = self.z`) first, as a gradient reads them: construct
 * writes no fields (the fence refuses it), so reading them earlier reads the same values,
 * and the elementwise steps after them then form one run for the fused form.
 */
function fieldsFirst(func: Func): Func {
  const isField = (s: Stmt) => s.kind === 'let' && s.expr.kind === 'field';
  return { ...func, body: [...func.body.filter(isField), ...func.body.filter((s) => !isField(s))] };
}

/**
 * A comment with the source line above the statements that line became (`// line 12: …`),
 * once per line and block, so the generated forward reads back to the source.
 */
export function withSourceComments(func: Func): Func {
  const label = (loc: Loc) => (loc.file === func.origin.file ? `line ${loc.line}` : `${path.basename(loc.file)}:${loc.line}`);
  const block = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    let last: Loc | undefined;
    for (const s of stmts) {
      // Field reads (`const w = self.w`) say what they read, and come first (fieldsFirst).
      if (s.kind === 'let' && s.expr.kind === 'field') {
        out.push(s);
        continue;
      }
      const loc = 'loc' in s ? s.loc : undefined;
      if (loc && (!last || loc.line !== last.line || loc.file !== last.file)) {
        out.push({ kind: 'comment', text: `${label(loc)}: ${loc.text}` });
        last = loc;
      }
      if (s.kind === 'if') out.push({ ...s, then: block(s.then), else: block(s.else) });
      else if (s.kind === 'loop') out.push({ ...s, head: block(s.head), body: block(s.body) });
      else out.push(s);
      if (childBlocks(s).length > 0) last = undefined;
    }
    return out;
  };
  return { ...func, body: block(func.body) };
}

/** The artifact `jit()` receives; it passes the Cell only when the forward reads it (`self`). */
function artifactCode(name: string, label: string, forward: Func, selfType: string | undefined, tensorFn: string, scalar: ScalarForward | undefined): string {
  const envType = envTypeOf(forward);
  const hasSelf = forward.roots.some((r) => r.kind === 'self');
  const fn = scalar !== undefined ? scalarForwardDispatch(name, forward, hasSelf, selfType, scalar, tensorFn) : withEnv(tensorFn, envType, hasSelf);
  return [
    `export function ${name}_artifact(${envType === undefined ? '' : `env: () => ${envType}`}): JitArtifact {`,
    '  return {',
    `    entry: ${JSON.stringify(label)},`,
    `    api: "jit",`,
    `    inputs: ${JSON.stringify(forward.params.map((p) => p.name))},`,
    `    inputKinds: ${JSON.stringify(forward.params.map((p) => kindOf(p.ty)))},`,
    `    self: ${JSON.stringify(hasSelf ? 'cell' : 'none')},`,
    `    fn: ${fn},`,
    '  };',
    '}',
  ].join('\n');
}

function kindOf(ty: Ty): string {
  return ty.kind === 'tensor' || ty.kind === 'number' || ty.kind === 'numbers' ? ty.kind : 'other';
}
