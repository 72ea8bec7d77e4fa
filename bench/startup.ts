// `node dist/bench/startup.js`: what a user waits for at each front door. `tsgrad run`
// on a seed example, and `tsgrad build` of the door fixtures and of all seed examples,
// each cold (fresh output folder), warm (the same again: the manifest says up to date)
// and after one edited file. Medians of a few runs of the built CLI, in a table.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repo, 'dist/cli/index.js');
const runs = Number(process.env.TSGRAD_BENCH_RUNS ?? 3);

/** Wall time of one CLI invocation, in ms; throws if it fails. */
function time(cwd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`tsgrad ${args.join(' ')} failed in ${cwd}:\n${r.stdout}${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A copy of a door fixture laid out as a user's project (tsgrad linked by name). */
function project(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tsgrad-bench-${name}-`));
  cpSync(path.join(repo, 'fixtures/doors', name), dir, { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repo, path.join(dir, 'node_modules/tsgrad'), 'dir');
  return dir;
}

interface Row {
  what: string;
  cold: number;
  warm: number;
  edited?: number;
}

/** Cold (fresh out dir), warm (again, unchanged) and one edited file, `runs` times each. */
function buildRow(what: string, cwd: string, args: string[], edit: string): Row {
  const cold: number[] = [];
  const warm: number[] = [];
  const edited: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(path.join(cwd, 'bench-out'), { recursive: true, force: true });
    cold.push(time(cwd, [...args, '--out-dir', 'bench-out']));
    warm.push(time(cwd, [...args, '--out-dir', 'bench-out']));
    appendFileSync(path.join(cwd, edit), `// edit ${i}\n`);
    edited.push(time(cwd, [...args, '--out-dir', 'bench-out']));
  }
  return { what, cold: median(cold), warm: median(warm), edited: median(edited) };
}

function runRow(): Row {
  const seed = path.join(repo, 'fixtures/seed/01-first-order-inputs.ts');
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(path.join(repo, '.tsgrad/run'), { recursive: true, force: true });
    cold.push(time(repo, ['run', seed]));
    warm.push(time(repo, ['run', seed]));
  }
  return { what: 'tsgrad run fixtures/seed/01 (1 gradient)', cold: median(cold), warm: median(warm) };
}

function main(): void {
  const baseline = median(Array.from({ length: runs }, () => time(repo, ['--version'])));
  const seeds = project('build');
  rmSync(path.join(seeds, 'src'), { recursive: true });
  renameSync(path.join(seeds, 'tsconfig.json'), path.join(seeds, 'tsconfig.base.json'));
  cpSync(path.join(repo, 'fixtures/seed'), path.join(seeds, 'src'), { recursive: true });
  const seedFiles = readdirSync(path.join(seeds, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.grad.ts')).map((f) => `src/${f}`);
  // The seeds' cells hold primitive objects (`sin = ops.Sin()`) whose type a .d.ts cannot name.
  writeFileSync(path.join(seeds, 'tsconfig.json'), JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { declaration: false } }));
  const rows: Row[] = [
    runRow(),
    buildRow('tsgrad build fixtures/doors/build (3 files)', project('build'), ['build', '-p', 'tsconfig.json'], 'src/square.ts'),
    buildRow('tsgrad build fixtures/doors/tsc (2 files)', project('tsc'), ['build', '-p', 'tsconfig.json'], 'src/main.ts'),
    buildRow(`tsgrad build fixtures/seed (${seedFiles.length} files)`, seeds, ['build', '-p', 'tsconfig.json'], seedFiles[0]),
  ];
  const ms = (x?: number) => (x === undefined ? '—' : `${Math.round(x)} ms`).padStart(9);
  const width = Math.max(...rows.map((r) => r.what.length));
  const lines = [
    `startup (median of ${runs}; node ${process.version}, ${os.cpus().length} cores; \`tsgrad --version\` alone: ${Math.round(baseline)} ms)`,
    `${'door'.padEnd(width)} | ${'cold'.padStart(9)} | ${'warm'.padStart(9)} | ${'1 edited'.padStart(9)}`,
    `${'-'.repeat(width)}-|-${'-'.repeat(9)}-|-${'-'.repeat(9)}-|-${'-'.repeat(9)}`,
    ...rows.map((r) => `${r.what.padEnd(width)} | ${ms(r.cold)} | ${ms(r.warm)} | ${ms(r.edited)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
