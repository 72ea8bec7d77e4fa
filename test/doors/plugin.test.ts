// tsgrad/plugin with real tsc: ts-patch's `tspc` builds a fixture project whose
// tsconfig lists the plugin; its output runs in Node and prints the seed's numbers, and
// tsgrad's diagnostics appear among tsc's at the user's lines.
import { existsSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { copyFixture, run } from '../helpers/fixture.js';

const tspc = (dir: string) => run(dir, process.execPath, ['node_modules/ts-patch/bin/tspc.js', '-p', 'tsconfig.json']);

describe('tsgrad/plugin under tspc (ts-patch 3.3.0, TypeScript 6)', () => {
  let dir: string;
  let built: ReturnType<typeof run>;
  beforeAll(() => {
    dir = copyFixture('tsc');
    built = tspc(dir);
  });

  it('emits the program with its gradient modules, and the output runs', () => {
    expect(built.stdout + built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(readdirSync(path.join(dir, 'dist')).sort()).toEqual(['main.d.ts', 'main.grad.d.ts', 'main.grad.js', 'main.grad.js.map', 'main.grad.ts', 'main.js', 'main.js.map', 'model.d.ts', 'model.js', 'model.js.map']);
    expect(readFileSync(path.join(dir, 'dist/main.js'), 'utf8')).toContain("__tsgrad.Net_construct_grad_0_1_artifact()");
    const r = run(dir, process.execPath, ['dist/main.js']);
    expect(r.stdout).toBe(
      '(Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01]), Tensor(shape=[1], dtype=Float32, value= [ 9.00000000e+00]))\n' +
        '(Tensor(shape=[1], dtype=Float32, value= [ 4.50000000e+01]),)\n',
    );
  });

  it("reports tsgrad's errors among tsc's, at the user's lines, and fails the build", () => {
    const bad = copyFixture('tsc');
    writeFileSync(path.join(bad, 'src/model.ts'), readFileSync(path.join(repoRoot, 'fixtures/errors/TSG1003.ts'), 'utf8').replace('class Net', 'export class Net'));
    appendFileSync(path.join(bad, 'src/main.ts'), 'const wrong: number = "x";\n');
    const r = tspc(bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(
      `src/main.ts(10,7): error TS2322: Type 'string' is not assignable to type 'number'.\n` +
        'src/model.ts(5,5): error TSG1003: try/catch cannot be differentiated (move error handling outside the differentiated function)\n',
    );
    expect(existsSync(path.join(bad, 'dist/main.grad.js'))).toBe(false);
  });

  it("keeps tsc's own errors at the user's lines in files it edits", () => {
    const edited = copyFixture('tsc');
    appendFileSync(path.join(edited, 'src/main.ts'), 'const wrong: number = "x";\n');
    const r = tspc(edited);
    expect(r.stdout).toBe(`src/main.ts(10,7): error TS2322: Type 'string' is not assignable to type 'number'.\n`);
    expect(readFileSync(path.join(edited, 'dist/main.js'), 'utf8')).toContain('__tsgrad.');
  });
});
