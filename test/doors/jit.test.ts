// `jit` call sites through every front door that wires grad call sites: each door's fixture
// project, with a jit of its Cell added to main.ts, is built with the real tool and run;
// the compiled forward prints what the Cell itself computes. (`tsgrad run` and `tsgrad
// emit --jit` are in test/compiler/jit.test.ts.)
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, run, tsgradIn } from '../helpers/fixture.js';

const jitLines = [
  "import { jit as compileForward } from 'tsgrad';",
  'const forward = compileForward(net);',
  'console.log(`jit: ${forward(x, y).toArray()} eager: ${net(x, y).toArray()} ${forward.name}`);',
  '',
].join('\n');
const printed = 'jit: 45 eager: 45 jit(Net.construct)';

/** The fixture `name` with the jit lines added to src/main.ts. */
function withJit(name: string): string {
  const dir = copyFixture(name);
  appendFileSync(path.join(dir, 'src/main.ts'), jitLines);
  return dir;
}

describe('jit call sites in every door', () => {
  it('tsgrad build', () => {
    const dir = withJit('build');
    const built = tsgradIn(dir, 'build', '--project', 'tsconfig.json', '--out-dir', 'out');
    expect(built.stdout).toBe('out: 3 of 3 file(s) rebuilt, 4 gradient(s), 13 output(s) written\n');
    expect(readFileSync(path.join(dir, 'out/main.grad.ts'), 'utf8')).toContain('export function Net_construct_jit(self: Net, x: Tensor, y: Tensor): Tensor {');
    const r = run(dir, process.execPath, ['out/main.js']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(printed);
  });

  it('tsgrad/plugin under tspc', () => {
    const dir = withJit('tsc');
    const built = run(dir, process.execPath, ['node_modules/ts-patch/bin/tspc.js', '-p', 'tsconfig.json']);
    expect(built.stdout + built.stderr).toBe('');
    expect(readFileSync(path.join(dir, 'dist/main.js'), 'utf8')).toContain('compileForward(net, __tsgrad.Net_construct_jit_artifact())');
    expect(run(dir, process.execPath, ['dist/main.js']).stdout.trimEnd().split('\n').at(-1)).toBe(printed);
  });

  it('tsgrad/vite (vite build)', () => {
    const dir = withJit('vite');
    const built = run(dir, process.execPath, ['node_modules/vite/bin/vite.js', 'build']);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(run(dir, process.execPath, ['dist/main.js']).stdout.trimEnd().split('\n').at(-1)).toBe(printed);
  });

  it('generated modules (tsgrad gen), imported directly under plain tsc', () => {
    const dir = copyFixture('generated');
    appendFileSync(path.join(dir, 'src/gradients.ts'), "import { jit } from 'tsgrad';\nexport const netForward = jit(new Net());\n");
    appendFileSync(
      path.join(dir, 'src/main.ts'),
      "import { Net_construct_jit } from './gradients.grad.js';\nconsole.log(`jit: ${Net_construct_jit(new Net(), new Tensor([3.0], float32), new Tensor([5.0], float32)).toArray()}`);\n",
    );
    expect(tsgradIn(dir, 'gen', 'src/gradients.ts').stdout).toBe('src/gradients.grad.ts: written\n');
    const tsc = run(dir, process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
    expect(tsc.stdout).toBe('');
    expect(run(dir, process.execPath, ['dist/main.js']).stdout.trimEnd().split('\n').at(-1)).toBe('jit: 45');
  });
});
