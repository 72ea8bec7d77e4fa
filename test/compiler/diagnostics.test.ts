// Compile errors name the construct, its code and file:line:column; run-time misuse
// gets a message that says what was expected and what came.
import { describe, expect, it } from 'vitest';
import { grad, nn, ops, Tensor } from 'tsgrad';
import { tsgrad } from '../helpers/cli.js';

describe('compile errors', () => {
  const cases: [string, string][] = [
    ['TSG3001', 'TSG3001.ts:9:11 - error TSG3001: gradPosition is out of range: position 2, but Net.construct takes 2 input(s) (x, y)'],
    ['TSG3003', 'TSG3003.ts:9:11 - error TSG3003: gradPosition: null needs weights'],
    ['TSG1003', 'TSG1003.ts:5:5 - error TSG1003: try/catch cannot be differentiated'],
  ];
  for (const [code, message] of cases) {
    it(code, () => {
      const r = tsgrad('run', `fixtures/errors/${code}.ts`);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    });
  }
});

describe('run-time misuse', () => {
  it('rejects a weight from another network and a wrong number of inputs', () => {
    const r = tsgrad('run', 'fixtures/errors/foreign-weight.ts');
    expect(r.stdout).toBe(
      "grad: weights[0] (Parameter 'w') is not a Parameter of the network differentiated by Net.construct\n" +
        'Net.construct: expected 1 input(s) (x), got 2\n',
    );
  });
  it('refuses to run an uncompiled gradient and says how to compile', () => {
    class Net extends nn.Cell {
      construct(x: Tensor): Tensor {
        return ops.sin(x);
      }
    }
    expect(() => grad(new Net())).toThrow(
      'grad(Net.construct): no compiled gradient. tsgrad differentiates ahead of time: run this file with `tsgrad run`, build it with `tsgrad build`, or compile it with the tsc plugin (tsgrad/plugin) or the Vite plugin (tsgrad/vite).',
    );
  });
  it('rejects gradPosition null without weights before looking for a compiled gradient', () => {
    expect(() => grad((x: Tensor) => x, { gradPosition: null })).toThrow('gradPosition is null and no weights were given');
  });
});

describe('tsgrad check', () => {
  it('lists every diagnostic of a request at once, with codes and spans, and exits 1', () => {
    const r = tsgrad('check', 'fixtures/errors/many.ts');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => / - error TSG\d{4}/.test(l)).map((l) => l.replace(/^.*fixtures\/errors\//, ''));
    expect(lines).toEqual([
      'many.ts:6:3 - error TSG1006: writes to fields or module state cannot be differentiated: assignment to the module-level calls',
      'many.ts:13:5 - error TSG1006: writes to fields or module state cannot be differentiated: assignment to this.scale',
      'many.ts:14:5 - error TSG1003: try/catch cannot be differentiated',
      'many.ts:19:5 - error TSG1002: this loop form cannot be differentiated: for…in',
    ]);
    expect(r.stdout).toContain('0 gradient(s), 4 error(s), 0 warning(s)');
  });
  it("points an error in generated code read back for a higher order at the user's line", () => {
    const r = tsgrad('check', 'fixtures/errors/higher-order-number.ts');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'higher-order-number.ts:7:18 - error TSG1001: unsupported syntax: a higher order through the gradient of a number that enters tensor code; make it a 0-d Tensor (in the higher order asked for at higher-order-number.ts:9)\n' +
        '   7 |   return ops.sum(ops.mul(ops.sin(x), k));\n',
    );
    expect(r.stdout).not.toContain('__tsgrad_order_');
  });
  it('refuses grad inside differentiated code over forms it cannot differentiate in place, naming each form and where it is', () => {
    const r = tsgrad('check', 'fixtures/errors/grad-inside.ts');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => / - error TSG\d{4}/.test(l)).map((l) => l.replace(/^.*fixtures\/errors\//, ''));
    const inPlace = 'error TSG3014: grad inside differentiated code cannot differentiate this in place';
    expect(lines).toEqual([
      `grad-inside.ts:40:18 - ${inPlace}: a loop at grad-inside.ts:12:3 (not taken where grad is called inside jvp, inside a function grad differentiates in place, or inside a recursive function), in looped, which grad() differentiates here`,
      `grad-inside.ts:43:18 - ${inPlace}: a recursive call at grad-inside.ts:17:21, in (a: Tensor) => ops.sum(power(a, 3)), which grad() differentiates here`,
      `grad-inside.ts:46:21 - ${inPlace}: a number input that enters tensor code (make it a 0-d Tensor) at grad-inside.ts:20:18, in scaled, which grad() differentiates here`,
      `grad-inside.ts:49:16 - ${inPlace}: grad(…, { weights }) inside differentiated code; take the weights' gradient outside it`,
      `grad-inside.ts:53:18 - ${inPlace}: a call with a hand-written bprop at grad-inside.ts:53:46, in (a: Tensor) => ops.sum(cube(a)), which grad() differentiates here`,
      'grad-inside.ts:56:20 - error TSG1001: unsupported syntax: vjp() inside differentiated code (of the derivative family, jvp, grad and valueAndGrad are differentiated through); compose from outside instead: grad(grad(f)), jvp(grad(f), …), jacfwd(grad(f))',
    ]);
    expect(r.stdout).toContain('7 gradient(s), 6 error(s), 0 warning(s)');
  });

  it('refuses calls that change a Parameter inside differentiated code (assign, an optimizer step)', () => {
    const r = tsgrad('check', 'fixtures/errors/mutation.ts');
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => / - error TSG\d{4}/.test(l)).map((l) => l.replace(/^.*fixtures\/errors\//, ''));
    expect(lines).toEqual([
      'mutation.ts:9:5 - error TSG1006: writes to fields or module state cannot be differentiated: this.w.assign(…), which changes state the gradient reads',
      'mutation.ts:10:5 - error TSG1006: writes to fields or module state cannot be differentiated: this.opt(…), which changes state the gradient reads',
    ]);
  });
  it('lists the gradients of a clean file and exits 0', () => {
    const r = tsgrad('check', 'fixtures/seed/08-second-order-two-inputs.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok grad of Net.construct -> Net_construct_grad_0_1');
    expect(r.stdout).toContain('2 gradient(s), 0 error(s), 0 warning(s)');
  });
});

describe('always-zero gradients', () => {
  it('an int32 input gets zeros of its shape and dtype, with a warning', () => {
    const r = tsgrad('run', 'fixtures/errors/int-input.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Int32 0,0 Float32 1,2\n');
    expect(r.stderr).toContain('TsgradWarning: grad(f): input 0 (x) is Int32, which is not differentiable; its gradient is zeros');
  });
  it('a requested input that does not reach the output is a TSG4001 warning at compile time', () => {
    const r = tsgrad('check', 'fixtures/errors/unused-input.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('unused-input.ts:4:11 - warning TSG4001: the requested gradient is always zero: input y of f does not reach the output');
  });
});

describe('an error fixture per diagnostic code (fixtures/errors/codes)', () => {
  // file → the diagnostic's code and its line:column in that file.
  const expected: Record<string, string> = {
    'TSG1001.ts': 'TSG1001.ts:3:3 - error TSG1001',
    'TSG1004.ts': 'TSG1004.ts:2:1 - error TSG1004',
    'TSG1005.ts': 'TSG1005.ts:3:13 - error TSG1005',
    'TSG1007.ts': 'TSG1007.ts:4:33 - error TSG1007',
    'TSG1008.ts': 'TSG1008.ts:4:18 - error TSG1008',
    'TSG2001.ts': 'TSG2001.ts:4:10 - error TSG2001',
    'TSG2002.ts': 'TSG2002.ts:3:7 - error TSG2002',
    'TSG2003.ts': 'TSG2003.ts:7:10 - error TSG2003',
    'TSG2004.ts': 'TSG2004.ts:3:23 - error TSG2004',
    'TSG2005.ts': 'TSG2005.ts:4:3 - error TSG2005',
    'TSG2006.ts': 'TSG2006.ts:14:12 - error TSG2006',
    'TSG2007.ts': 'TSG2007.ts:4:74 - error TSG2007',
    'TSG2008.ts': 'TSG2008.ts:6:12 - error TSG2008',
    'TSG3002.ts': 'TSG3002.ts:4:42 - error TSG3002',
    'TSG3004.ts': 'TSG3004.ts:4:26 - error TSG3004',
    'TSG3005.ts': 'TSG3005.ts:4:36 - error TSG3005',
    'TSG3007.ts': 'TSG3007.ts:3:18 - error TSG3007',
    'TSG3010.ts': 'TSG3010.ts:4:18 - error TSG3010',
    'TSG3011.ts': 'TSG3011.ts:4:28 - error TSG3011',
    'TSG3012.ts': 'TSG3012.ts:4:37 - error TSG3012',
    'TSG3013.ts': 'TSG3013.ts:4:18 - error TSG3013',
    'TSG3014.ts': 'TSG3014.ts:3:52 - error TSG3014',
  };
  const files = Object.keys(expected).map((f) => `fixtures/errors/codes/${f}`);
  const r = tsgrad('check', ...files);
  const found = r.stdout.split('\n').filter((l) => / - error TSG/.test(l)).map((l) => l.replace(/^.*\/codes\//, ''));
  it('exits 1 and reports exactly one error per fixture', () => {
    expect(r.status).toBe(1);
    expect(found).toHaveLength(files.length);
  });
  for (const [file, want] of Object.entries(expected)) {
    it(want.split(' - ')[1], () => {
      expect(found.some((l) => l.startsWith(want))).toBe(true);
    });
  }
});
