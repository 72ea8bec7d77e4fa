// `tsgrad build [--project tsconfig.json | files…] --out-dir dir [--watch]`: the build
// step. Diagnostics print as tsc prints them; the exit code is non-zero on errors;
// progress goes to stderr on a terminal or with --verbose.
import { Command } from 'commander';
import { FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import { BuildOptions, BuildResult, buildProject, formatBuildDiagnostic } from '../../compiler/doors/build.js';

interface BuildFlags {
  project?: string;
  outDir?: string;
  watch?: boolean;
  verbose?: boolean;
  force?: boolean;
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('compile a project with its gradients: JavaScript, .d.ts, source maps and readable *.grad.ts modules')
    .argument('[files...]', 'TypeScript files (without --project)')
    .option('-p, --project <tsconfig>', 'a tsconfig.json whose files and options to use')
    .option('-o, --out-dir <dir>', 'where to write everything (nothing is written elsewhere)')
    .option('-w, --watch', 'rebuild what changed when a source changes')
    .option('-v, --verbose', 'print progress even when stderr is not a terminal')
    .option('-f, --force', 'ignore the manifest and rebuild every file')
    .action((files: string[], flags: BuildFlags) => {
      const project = flags.project ?? (files.length === 0 ? 'tsconfig.json' : undefined);
      const options: BuildOptions = {
        project,
        files: project ? undefined : files,
        outDir: flags.outDir,
        force: flags.force,
        progress: flags.verbose || process.stderr.isTTY ? (line) => process.stderr.write(`${line}\n`) : undefined,
      };
      const result = runBuild(options);
      if (flags.watch) watchBuild(options, result);
      else if (!report(result)) process.exitCode = 1;
    });
}

function runBuild(options: BuildOptions): BuildResult | Error {
  try {
    return buildProject(options);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** Prints diagnostics and a summary line; true when there were no errors. */
function report(result: BuildResult | Error): boolean {
  if (result instanceof Error) {
    process.stderr.write(`tsgrad build: ${result.message}\n`);
    return false;
  }
  for (const d of result.diagnostics) {
    process.stdout.write(`${formatBuildDiagnostic(d)}\n`);
    if (d.hint) process.stdout.write(`  hint: ${d.hint}\n`);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const out = path.relative(process.cwd(), result.outDir) || '.';
  if (errors > 0) process.stdout.write(`Found ${errors} error(s). Nothing was written to ${out}.\n`);
  else if (result.upToDate) process.stdout.write(`${out}: up to date (${result.sources.length} file(s))\n`);
  else process.stdout.write(`${out}: ${result.rebuilt.length} of ${result.sources.length} file(s) rebuilt, ${result.gradients} gradient(s), ${result.written.length} output(s) written\n`);
  return errors === 0;
}

/**
 * Rebuilds (through the manifest) whenever a source of the program or the tsconfig
 * changes. Each folder holding a source is watched on its own (not recursively), so
 * that `node_modules` and the output folder are never walked.
 */
function watchBuild(options: BuildOptions, first: BuildResult | Error): void {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  const rebuild = (file: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      process.stdout.write(`tsgrad: change in ${path.relative(process.cwd(), file)}, rebuilding\n`);
      follow(runBuild(options));
    }, 100);
  };
  const follow = (result: BuildResult | Error) => {
    report(result);
    const dirs = new Set(result instanceof Error ? [] : result.sources.map((f) => path.dirname(f)));
    if (options.project) dirs.add(path.dirname(path.resolve(options.project)));
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      watchers.set(dir, watch(dir, (_event, name) => {
        const file = path.join(dir, String(name ?? ''));
        if (/\.(m|c)?tsx?$|\.json$/.test(file) && !file.endsWith('.grad.ts')) rebuild(file);
      }));
    }
  };
  follow(first);
  process.stdout.write(`tsgrad: watching ${watchers.size} folder(s) for changes\n`);
}
