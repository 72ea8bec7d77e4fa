// `tsgrad run file.ts [-- args]`: compile a file and what it imports with their
// gradients, then run it.
import { Command } from 'commander';
import { pathToFileURL } from 'node:url';
import { buildForRun } from '../../compiler/doors/program.js';
import { formatDiagnostic } from '../../compiler/diagnostics.js';

export async function runFile(file: string, args: string[] = []): Promise<void> {
  const built = buildForRun(file);
  for (const d of built.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (built.diagnostics.some((d) => d.severity === 'error')) {
    const n = built.diagnostics.filter((d) => d.severity === 'error').length;
    throw new Error(`${n} error(s) in ${file}; nothing was run`);
  }
  process.argv = [process.argv[0], file, ...args];
  await import(pathToFileURL(built.entry).href);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('compile a TypeScript file with its gradients and run it')
    .argument('<file>', 'the TypeScript file to run')
    .argument('[args...]', 'arguments for the program (after --)')
    .action(async (file: string, args: string[]) => runFile(file, args));
}
