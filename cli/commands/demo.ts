// `tsgrad demo`: the README's first command. Runs every seed example through the real
// pipeline (as `tsgrad run` would), printing the seed document's numbers, then the real
// job: fixtures/demo/mnist.ts trains a digit classifier and times it against tfjs-cpu.
import { Command } from 'commander';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../compiler/1-parse/project.js';
import { runFile } from './run.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description("run the seed document's examples through the compiler")
    .action(async () => {
      const dir = path.join(packageRoot(), 'fixtures', 'seed');
      const files = readdirSync(dir).filter((f) => /^\d\d-.*\.ts$/.test(f) && !f.endsWith('.grad.ts')).sort();
      for (const f of files) {
        process.stdout.write(`\n== ${f} ==\n`);
        await runFile(path.join(dir, f));
      }
      process.stdout.write('\n== demo/mnist.ts: a real training job ==\n');
      await runFile(path.join(packageRoot(), 'fixtures', 'demo', 'mnist.ts'));
    });
}
