#!/usr/bin/env node
// The `tsgrad` command line: run, build, gen, emit, check, demo. Each command lives in its own file.
import { Command } from 'commander';
import { VERSION } from '../compiler/pipeline.js';
import { registerBuild } from './commands/build.js';
import { registerCheck } from './commands/check.js';
import { registerDemo } from './commands/demo.js';
import { registerEmit } from './commands/emit.js';
import { registerGen } from './commands/gen.js';
import { registerRun } from './commands/run.js';

const program = new Command();
program.name('tsgrad').description('A source-to-source compiler that differentiates TypeScript.').version(VERSION);
registerRun(program);
registerBuild(program);
registerGen(program);
registerEmit(program);
registerCheck(program);
registerDemo(program);
program.parseAsync(process.argv).catch((e: unknown) => {
  process.stderr.write(`tsgrad: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
