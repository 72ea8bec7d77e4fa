// `tsgrad emit file.ts --cell Net | --function f …`: print the generated adjoint module
// (with --jit, the compiled forward).
import { Command, Option } from 'commander';
import { emitRequest } from '../../compiler/doors/emit.js';
import { CompileError, formatDiagnostic } from '../../compiler/diagnostics.js';

export function parsePositions(text: string): number | number[] | null {
  if (text === 'null' || text === 'none') return null;
  const list = text.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`--grad-position: expected non-negative integers like 0,1 or null, got ${JSON.stringify(text)}`);
    return n;
  });
  return list.length === 1 && !text.includes(',') ? list[0] : list;
}

export function registerEmit(program: Command): void {
  program
    .command('emit')
    .description('print the generated gradient module for a Cell or a function (or its compiled forward, --jit)')
    .argument('<file>', 'the TypeScript file that declares it')
    .option('--cell <name>', 'a Cell class whose construct is differentiated')
    .option('--function <name>', 'a function to differentiate')
    .option('--grad-position <positions>', 'input positions, e.g. 0 or 0,1 or null', '0')
    .option('--weights', 'differentiate with respect to the Parameters too')
    .option('--has-aux', 'differentiate only the first output')
    .addOption(new Option('--order <n>', 'the order of the derivative').default('1'))
    .option('--ir', 'print the IR instead of TypeScript')
    .option('--jit', 'print the compiled forward (jit) instead of a gradient')
    .action((file: string, opts: Record<string, string | boolean | undefined>) => {
      try {
        const order = Number(opts.order);
        if (!Number.isInteger(order) || order < 1) throw new Error(`--order: expected a positive integer, got ${opts.order}`);
        process.stdout.write(
          emitRequest({
            file,
            cell: opts.cell as string | undefined,
            function: opts.function as string | undefined,
            gradPosition: parsePositions(String(opts.gradPosition)),
            weights: Boolean(opts.weights),
            hasAux: Boolean(opts.hasAux),
            order,
            ir: Boolean(opts.ir),
            jit: Boolean(opts.jit),
          }),
        );
      } catch (e) {
        if (e instanceof CompileError) throw new Error(formatDiagnostic(e.diagnostic));
        throw e;
      }
    });
}
