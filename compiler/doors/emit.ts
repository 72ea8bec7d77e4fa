// `tsgrad emit`: the generated module for one request (a gradient, or with `jit` the
// compiled forward), without a call site in the source. The request is appended to an in-memory copy of the file as a synthetic
// call, so that everything the file declares is in scope, exported or not.

import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { callSite } from '../1-parse/locate.js';
import { createProject } from '../1-parse/project.js';
import { Compiler, VERSION } from '../pipeline.js';
import { emitModule } from '../5-emit/module.js';
import { printFunc } from '../ir/printer.js';

export interface EmitRequest {
  readonly file: string;
  readonly cell?: string;
  readonly function?: string;
  readonly gradPosition?: number | number[] | null;
  readonly weights?: boolean;
  readonly hasAux?: boolean;
  readonly order?: number;
  readonly ir?: boolean;
  /** The compiled forward (`jit`) instead of a gradient. */
  readonly jit?: boolean;
}

export function emitRequest(req: EmitRequest): string {
  const file = path.resolve(req.file);
  if (!req.cell === !req.function) throw new Error('tsgrad emit: name exactly one of --cell and --function');
  const project = createProject([file]);
  const target = req.cell ? '__tsgrad_emit_net' : req.function!;
  const options = [
    `gradPosition: ${JSON.stringify(req.gradPosition === undefined ? 0 : req.gradPosition)}`,
    ...(req.weights ? [`weights: ${req.cell ? '__tsgrad_emit_net.trainableParams()' : '[]'}`] : []),
    ...(req.hasAux ? ['hasAux: true'] : []),
  ].join(', ');
  let call = target;
  if (req.jit) call = `__tsgrad_emit_jit(${call})`;
  else for (let i = 0; i < (req.order ?? 1); i++) call = `__tsgrad_emit_grad(${call}, { ${options} })`;
  const synthetic = [
    '',
    `import { grad as __tsgrad_emit_grad, jit as __tsgrad_emit_jit } from 'tsgrad';`,
    ...(req.cell ? [`declare const __tsgrad_emit_net: ${req.cell};`] : []),
    `export const __tsgrad_emit_request = ${call};`,
  ].join('\n');
  // The project's copy of the file (it exports its declarations, see createProject).
  const current = project.getSourceFile(file)?.getFullText() ?? readFileSync(file, 'utf8');
  const sf = project.createSourceFile(file, current + synthetic, { overwrite: true }).compilerNode;
  const checker = project.getTypeChecker().compilerObject;
  const decl = sf.statements[sf.statements.length - 1] as ts.VariableStatement;
  const site = callSite(decl.declarationList.declarations[0].initializer as ts.CallExpression, checker);
  const compiled = new Compiler(project).compileSite(site);
  if (req.ir) return `${printFunc(compiled.primal)}\n\n${printFunc(compiled.adjoint)}\n`;
  return emitModule(compiled.modulePath, file, [compiled.part], VERSION);
}
