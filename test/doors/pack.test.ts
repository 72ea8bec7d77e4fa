// tsgrad as a user gets it: `npm pack`, install the tarball into a fresh project (its
// dependencies from the local npm cache), then every door the way a user runs it:
// `tsgrad run`, `tsgrad build`, real tsc through tsgrad/plugin, and `vite build`.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { run } from '../helpers/fixture.js';

const seed =
  '(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))\n' +
  '(Tensor(shape=[1], dtype=Float32, value= [ 4.50000000e+01]),)\n';

describe('the packed package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tsgrad-pack-'));
    const packed = run(repoRoot, 'npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir]);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = packed.stdout.trim().split('\n').at(-1)!;
    cpSync(path.join(repoRoot, 'fixtures/doors/tsc'), dir, { recursive: true });
    cpSync(path.join(repoRoot, 'fixtures/doors/vite/vite.config.ts'), path.join(dir, 'vite.config.ts'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module', dependencies: { tsgrad: `file:./${tarball}` } }));
    const installed = run(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent']);
    expect(installed.status, installed.stderr).toBe(0);
    // The build tools are the user's own choice; link this repository's copies.
    for (const tool of ['ts-patch', 'vite']) symlinkSync(path.join(repoRoot, 'node_modules', tool), path.join(dir, 'node_modules', tool), 'dir');
  }, 120_000);

  it('ships the built code and the runtime sources the compiler reads, not the tests', () => {
    const pkg = path.join(dir, 'node_modules/tsgrad');
    expect(readdirSync(pkg).sort()).toEqual(expect.arrayContaining(['dist', 'runtime', 'package.json', 'README.md']));
    expect(readdirSync(pkg)).not.toContain('test');
    expect(readdirSync(path.join(pkg, 'runtime'))).toContain('index.ts');
  });

  it('tsgrad run', () => {
    const r = run(dir, path.join(dir, 'node_modules/.bin/tsgrad'), ['run', 'src/main.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(seed);
  });

  it('tsgrad build', () => {
    const r = run(dir, path.join(dir, 'node_modules/.bin/tsgrad'), ['build', '-p', 'tsconfig.json', '--out-dir', 'out']);
    expect(r.stdout).toBe('out: 2 of 2 file(s) rebuilt, 2 gradient(s), 10 output(s) written\n');
    expect(run(dir, process.execPath, ['out/main.js']).stdout).toBe(seed);
  });

  it('tsc with tsgrad/plugin', () => {
    const r = run(dir, process.execPath, ['node_modules/ts-patch/bin/tspc.js', '-p', 'tsconfig.json']);
    expect(r.stdout + r.stderr).toBe('');
    expect(run(dir, process.execPath, ['dist/main.js']).stdout).toBe(seed);
  });

  it('vite build with tsgrad/vite', () => {
    const r = run(dir, process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', 'bundle']);
    expect(r.status, r.stderr).toBe(0);
    expect(run(dir, process.execPath, ['bundle/main.js']).stdout).toBe(seed);
  });
});
