// Bugs the fuzzers found, one minimal repro each (fixtures/fuzz/bugs). Each test states
// the right answer; they were skipped until fixed and now guard against regressions.
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

describe('fuzzer bug repros', () => {
  // Reverse mode through a loop in plain-number code emits tensor rules (ops.sumToLike)
  // on numbers, then adds the results with `+`: string concatenation, then a throw
  // ("sumToLike: expected a Tensor or a number, got string"). compiler/3-differentiate.
  it('number code through a loop: d/dk of k doubled twice is 4', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/number-loop-gradient.ts');
    expect(r.stdout.trim()).toBe('number 4');
  });
  // The same function without a loop is right (control).
  it('number code without a loop (control)', () => {
    expect(tsgrad('run', 'fixtures/fuzz/bugs/number-straight.ts').stdout.trim()).toBe('number 4');
  });
  // grad(grad(f)) where f has a `?:` on a run-time value: the second order is all zeros,
  // with a TSG4001 warning that the input "does not reach the output": a wrong gradient.
  it('second order through ?: is the second derivative, not zeros', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/conditional-second-order.ts');
    const [got, want] = r.stdout.trim().split(' expected row 0: ');
    expect(JSON.parse(got)[0][0]).toBeCloseTo(Number(want), 10);
  });
  // grad(grad(f)) of number code with an early return: the first order leaves the other
  // path's forward values unassigned; read back, their join was untyped and gave NaN.
  it('second order of number code with an early return is the second derivative', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/second-order-early-return.ts');
    const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
    expect(rows).toHaveLength(2);
    for (const [got, want] of rows) expect(got).toBeCloseTo(want, 10);
  });
  // SPEC: gradients have the type of what they differentiate. A number input of tensor
  // code gets a 0-d Tensor back instead of a number.
  it('a number input of tensor code gets a number gradient', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/number-input-of-tensor-code.ts');
    expect(r.stdout.trim()).toMatch(/^number /);
  });
  // grad of a function that calls jvp of a loop: the loop's tangent is a mutable variable
  // that reverse mode did not tape (it tapes what a loop body defines), so every iteration
  // read its last value: 1.15 for 5.88 (compiler/3-differentiate/forward.ts, reversedNext).
  it('grad of jvp through a loop is the second derivative (numbers and Tensors)', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/grad-of-jvp-loop.ts');
    const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
    expect(rows).toHaveLength(4);
    for (const [got, want] of rows) expect(got).toBeCloseTo(want, 10);
  });
  // grad of a function that calls jvp of a recursive function: TSG3010 (no tangent
  // functions for forward mode spliced into the caller); now the recursive functions get
  // tangent functions there, reversed like them (forward.ts: tangentFunctionsInto).
  it('grad of jvp through recursion matches the closed form and differences', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/grad-of-jvp-recursion.ts');
    expect(r.stderr).toBe('');
    const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
    expect(rows).toHaveLength(8);
    for (const [got, want] of rows.slice(0, 6)) expect(got).toBeCloseTo(want, 10);
    for (const [got, want] of rows.slice(6)) expect(got).toBeCloseTo(want, 7);
  });
  // grad of a function that calls jvp of a closure over its own input: the closure's
  // captured input got the jvp input's tangent too, a wrong gradient in silence (found
  // while adding grad inside differentiated code, which copies its inputs for this reason).
  it('grad of jvp of a closure over the input: the captured value gets no tangent', () => {
    const rows = printedRows('fixtures/fuzz/bugs/grad-of-jvp-captured.ts', 3);
    for (const [got, want] of rows) expect(got).toBeCloseTo(want, 12);
  });
  // grad inside number code, its result added with `+` (typed `any + number`, so `any`):
  // lowered as JavaScript on constants, both gradients 0 with only TSG4001 warnings.
  it('grad inside number code added with + and += is differentiated', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/grad-inside-number-plus.ts');
    expect(r.stderr).toBe('');
    const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').slice(1).map(Number));
    expect(rows).toHaveLength(4);
    for (const [got, want] of rows) expect(got).toBeCloseTo(want, 12);
  });
  // grad(grad(h, { gradPosition: 1 }))(x, ops.sin(y)) inside: the inner grad's copies went
  // into the outer's argument list, and the compiler stopped on an untyped temporary.
  it('grad of grad inside, with an argument the outer grad does not differentiate', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/grad-of-grad-inside-argument.ts');
    expect(r.stderr).toBe('');
    const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').slice(1).map(Number));
    expect(rows).toHaveLength(6);
    for (const [got, want] of rows) expect(got).toBeCloseTo(want, 12);
  });
  // grad of a closure whose captured read is dead code, called at run time: the artifact
  // takes an environment thunk the call site does not pass ('env is not a function').
  // Fixed: envTypeOf gives no env type when no read of a captured value is left.
  it('grad of a closure with a dead captured read runs', () => {
    const r = tsgrad('run', 'fixtures/fuzz/bugs/closure-dead-capture.ts');
    expect(r.stderr).toBe('');
    const [got, want] = r.stdout.trim().split(' ').slice(1).map(Number);
    expect(got).toBeCloseTo(want, 12);
  });
  // Three forms of grad inside differentiated code, over or in a loop, were wrong in silence
  // and then refused (TSG3014) until one cause was found: the outer reverse restores a loop's
  // copy `let acc_1 = acc_now` from its tape (`acc_1 = acc_1_saved`), but simplification
  // folded that copy, reading acc_now in the backward loop, the last iteration's value
  // (simplify.ts: a variable assigned elsewhere is no alias). Fixed 2026-11-28.
  // grad(grad(g))(z) in a loop body over the loop-carried z, under an outer grad (0.8269 for 0.8349).
  it('grad of grad inside a loop body matches the analytic derivative', () => {
    const rows = printedRows('fixtures/fuzz/bugs/nested-grad-inside-loop.ts', 3);
    for (const [got, unrolled, analytic] of rows) {
      expect(unrolled).toBeCloseTo(analytic, 12);
      expect(got).toBeCloseTo(analytic, 12);
    }
  });
  // valueAndGrad(inner, { gradPosition: 1 }) inside, inner looping over its first argument
  // (a constant to that grad, not to the outer one): the outer gradient through the value
  // was −1.578 for −1.932.
  it('the value of valueAndGrad inside, over a loop its grad does not differentiate', () => {
    const rows = printedRows('fixtures/fuzz/bugs/value-inside-over-inactive-loop.ts', 3);
    for (const [got, plain, differences] of rows) {
      expect(plain).toBeCloseTo(differences, 8);
      expect(got).toBeCloseTo(plain, 12);
    }
  });
  // jacrev and vjp of a function that calls grad in a loop body: 0.7570 for 0.7824.
  it('jacrev and vjp of a function with grad in a loop body match its gradient', () => {
    const rows = printedRows('fixtures/fuzz/bugs/jacrev-of-grad-inside-loop.ts', 3);
    for (const [jacobian, vjpValue, gradient, differences] of rows) {
      expect(gradient).toBeCloseTo(differences, 8);
      expect(jacobian).toBeCloseTo(gradient, 12);
      expect(vjpValue).toBeCloseTo(gradient, 12);
    }
  });
  // Deep nesting: the compiler recurses per level and overflows the stack near 1000
  // levels: an internal crash, where a coded diagnostic (or code) is due.
  it('1000 nested calls end in code or a TSG diagnostic, not a stack overflow', () => {
    const r = tsgrad('check', 'fixtures/fuzz/bugs/deep-nesting.ts');
    expect(r.stderr).not.toMatch(/Maximum call stack/);
    expect(r.stdout).toMatch(/\d+ gradient\(s\), \d+ error\(s\)/);
  });
});

/**
 * Runs a repro that prints one line per element, `label value value …`, checks it ran
 * cleanly and printed `count` lines, and gives each line's numbers.
 */
function printedRows(file: string, count: number): number[][] {
  const r = tsgrad('run', file);
  expect(r.stderr).toBe('');
  const rows = r.stdout.trim().split('\n').map((l) => l.split(' ').slice(1).map(Number));
  expect(rows).toHaveLength(count);
  return rows;
}
