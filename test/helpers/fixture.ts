// Copies a fixture project into a fresh temporary folder laid out as a user's project:
// `node_modules/tsgrad` is this repository (built), and the tools a door needs (tsc,
// ts-patch, vite, vitest) are this repository's own, linked by name.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './cli.js';

const tools = ['typescript', 'ts-patch', 'vite', 'vitest'];

/** A temporary copy of `fixtures/doors/<name>`; returns its folder. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tsgrad-${name}-`));
  cpSync(path.join(repoRoot, 'fixtures/doors', name), dir, { recursive: true });
  mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(repoRoot, path.join(dir, 'node_modules/tsgrad'), 'dir');
  for (const tool of tools) symlinkSync(path.join(repoRoot, 'node_modules', tool), path.join(dir, 'node_modules', tool), 'dir');
  return dir;
}

/** Runs a command in `cwd` and returns what it printed. */
export function run(cwd: string, command: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built tsgrad CLI in `cwd`. */
export function tsgradIn(cwd: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  return run(cwd, process.execPath, [path.join(repoRoot, 'dist/cli/index.js'), ...args]);
}

/** Every file under `dir` (skipping `skip` folders) with its size and modification time. */
export function snapshot(dir: string, skip: string[] = ['node_modules']): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (skip.includes(path.relative(dir, p))) continue;
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), `${s.size}:${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}
