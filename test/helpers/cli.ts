// Runs the built `tsgrad` CLI as a user would (npm test builds it first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function tsgrad(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli/index.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The `name value` lines a fixture printed (each check's name and its error), by name. */
export function printedValues(stdout: string): Map<string, number> {
  return new Map(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .map(([name, value]) => [name, Number(value)] as const),
  );
}
