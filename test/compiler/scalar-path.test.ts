// The scalar path of one-element float32 calls and the call dispatch in front of it:
// fixtures/language/scalar.ts runs each case through `tsgrad run` and prints its error
// against the analytic gradient. A weight of two elements, mixed shapes, float64 and
// int32 inputs must leave the scalar path for the tensor path, with the same gradient.
import { describe, expect, it } from 'vitest';
import { tsgrad } from '../helpers/cli.js';

describe('one-element calls', () => {
  const r = tsgrad('run', 'fixtures/language/scalar.ts');
  const lines = new Map(r.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]));
  const error = (name: string) => Number(lines.get(name)?.split(' ')[0]);

  it('runs', () => expect(r.status).toBe(0));
  it('float32 inputs and weight take the scalar path and are exact', () => expect(error('one')).toBe(0));
  it('a weight of two elements broadcasts: the tensor path sums over it', () => expect(error('weight-of-two')).toBe(0));
  it('mixed shapes keep each input its shape', () => {
    expect(error('mixed-shapes')).toBe(0);
    expect(lines.get('mixed-shapes')).toMatch(/ \[1\] \[1,1\]$/);
  });
  it('float64 inputs get float64 gradients', () => {
    expect(error('float64')).toBe(0);
    expect(lines.get('float64')).toMatch(/ Float64 Float64$/);
  });
  it('an int32 input gets zeros', () => {
    expect(error('int32')).toBe(0);
    expect(lines.get('int32')).toMatch(/ Int32$/);
    expect(r.stderr).toContain('input 1 (y) is Int32, which is not differentiable');
  });
  it('a second derivative on one element, rank 1 and rank 0', () => {
    expect(error('sin2')).toBeLessThan(1e-6);
    expect(lines.get('sin2-rank0')).toBe('[]');
  });
  it('checks the number and kind of inputs', () => {
    expect(lines.get('arity')).toBe('Seed.construct: expected 2 input(s) (x, y), got 1');
    expect(lines.get('kind')).toBe('Seed.construct: input 1 (y) must be a Tensor, got number 5');
  });
});
