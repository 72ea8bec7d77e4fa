// `tsgrad gen [files… | --project tsconfig.json] [--check]`: write the generated gradient
// modules beside their sources, for projects that commit them; --check only verifies.
import { Command } from 'commander';
import path from 'node:path';
import { formatBuildDiagnostic } from '../../compiler/doors/build.js';
import { generateModules } from '../../compiler/doors/generate.js';

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('write each generated gradient module (foo.grad.ts) beside its source, to commit and import directly')
    .argument('[files...]', 'TypeScript files (without --project)')
    .option('-p, --project <tsconfig>', 'a tsconfig.json whose files to read')
    .option('--check', 'write nothing; exit 1 if a module is missing or out of date')
    .action((files: string[], flags: { project?: string; check?: boolean }) => {
      const project = flags.project ?? (files.length === 0 ? 'tsconfig.json' : undefined);
      const result = generateModules({ project, files, check: flags.check });
      for (const d of result.diagnostics) process.stdout.write(`${formatBuildDiagnostic(d)}\n`);
      for (const [file, state] of result.modules) process.stdout.write(`${path.relative(process.cwd(), file)}: ${state}\n`);
      const failed = result.diagnostics.some((d) => d.severity === 'error') || [...result.modules.values()].includes('stale');
      if (failed) process.exitCode = 1;
    });
}
