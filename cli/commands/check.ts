// `tsgrad check [files]`: list what can be differentiated and every diagnostic.
import { Command } from 'commander';
import path from 'node:path';
import { createProject } from '../../compiler/1-parse/project.js';
import { Compiler } from '../../compiler/pipeline.js';
import { CompileError, formatDiagnostic } from '../../compiler/diagnostics.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('list the differentiable entry points and every diagnostic; exit non-zero on errors')
    .argument('<files...>', 'TypeScript files to check')
    .action((files: string[]) => {
      let compiled;
      try {
        compiled = new Compiler(createProject(files)).compileProgram();
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        for (const d of e.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
        process.stdout.write(`0 gradient(s), ${e.diagnostics.length} error(s), 0 warning(s)\n`);
        process.exitCode = 1;
        return;
      }
      for (const g of compiled.gradients) {
        const sf = g.site.call.getSourceFile();
        const { line, character } = sf.getLineAndCharacterOfPosition(g.site.call.getStart());
        process.stdout.write(`${path.relative(process.cwd(), sf.fileName)}:${line + 1}:${character + 1} - ok ${g.site.api} of ${g.entry} -> ${g.name}\n`);
      }
      for (const d of compiled.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
      const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      process.stdout.write(`${compiled.gradients.length} gradient(s), ${errors} error(s), ${compiled.diagnostics.length - errors} warning(s)\n`);
      if (errors > 0) process.exitCode = 1;
    });
}
