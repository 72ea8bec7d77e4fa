// tsgrad/compiler: the programmatic compiler. Every front door goes through `Compiler`.
export { Compiler, applyEdits, gradModulePath, VERSION } from './pipeline.js';
export type { CompiledProgram, CompiledGradient, Edit } from './pipeline.js';
export { createProject } from './1-parse/project.js';
export { buildForRun, projectRoot } from './doors/program.js';
export { codes, formatDiagnostic, CompileError } from './diagnostics.js';
export type { Diagnostic, DiagnosticCode } from './diagnostics.js';
export { printFunc } from './ir/printer.js';
export { emitRequest } from './doors/emit.js';
