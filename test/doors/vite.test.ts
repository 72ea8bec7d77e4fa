// tsgrad/vite with the real tools: `vite build` of a fixture whose bundle runs in Node
// and prints the seed's numbers (with a map back to the user's lines), a build that
// fails on a tsgrad error, and a real Vitest run of a fixture test file that calls grad.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMappings } from '../../compiler/doors/sourcemap.js';
import { repoRoot } from '../helpers/cli.js';
import { copyFixture, run } from '../helpers/fixture.js';

const viteBuild = (dir: string) => run(dir, process.execPath, ['node_modules/vite/bin/vite.js', 'build']);

describe('tsgrad/vite', () => {
  let dir: string;
  let built: ReturnType<typeof run>;
  beforeAll(() => {
    dir = copyFixture('vite');
    built = viteBuild(dir);
  });

  it('bundles with vite build, and the bundle runs in Node', () => {
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const r = run(dir, process.execPath, ['dist/main.js']);
    expect(r.stdout).toBe(
      '(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))\n' +
        '(Tensor(shape=[1], dtype=Float32, value= [ 4.50000000e+01]),)\n',
    );
  });

  it("maps the bundle's call site back to the user's line", () => {
    const js = readFileSync(path.join(dir, 'dist/main.js'), 'utf8').split('\n');
    const map = JSON.parse(readFileSync(path.join(dir, 'dist/main.js.map'), 'utf8'));
    const line = js.findIndex((l) => l.includes('gradPosition: null, weights'));
    const col = js[line].indexOf('gradPosition: null, weights');
    const seg = decodeMappings(map.mappings)[line].filter((s) => s[0] <= col).at(-1)!;
    expect(map.sources[seg[1]]).toBe('../src/main.ts');
    const source = readFileSync(path.join(dir, 'src/main.ts'), 'utf8').split('\n');
    expect(seg[2]).toBe(source.findIndex((l) => l.includes('gradPosition: null, weights')));
    expect(seg[3]).toBe(source[seg[2]].indexOf('gradPosition: null, weights'));
  });

  it('fails the build on a tsgrad error, naming code and place', () => {
    const bad = copyFixture('vite');
    writeFileSync(path.join(bad, 'src/model.ts'), readFileSync(path.join(repoRoot, 'fixtures/errors/TSG1003.ts'), 'utf8').replace('class Net', 'export class Net'));
    const r = viteBuild(bad);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('src/model.ts:5:5 - error TSG1003: try/catch cannot be differentiated');
  });

  it('runs a Vitest test file that calls grad', () => {
    const r = run(dir, process.execPath, ['node_modules/vitest/vitest.mjs', 'run']);
    expect(r.stdout).toMatch(/Tests\s+2 passed \(2\)/);
    expect(r.status).toBe(0);
  });
});
