// Cells and optimizers are function objects with `name` and `length` deleted, which would
// leave them in V8's dictionary mode, where generated code's every `self.weight` read is a
// hash lookup (runtime/nn/callable.ts). This checks, with V8's own test intrinsic, that
// they have fast properties: the first one made, many of one class, nested ones, an
// optimizer, and after fields are added later.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import * as nn from '../../../runtime/nn/index.js';
import * as ops from '../../../runtime/ops/index.js';
import { Parameter } from '../../../runtime/parameter.js';
import { Tensor } from '../../../runtime/tensor.js';

v8.setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag is set, so the intrinsic parses; a plain object has fast properties.
const hasFastProperties = new Function('o', 'return %HasFastProperties(o);') as (o: unknown) => boolean;

class Seed extends nn.Cell {
  z = new Parameter(new Tensor([1.0]), 'z');
  construct(x: Tensor, y: Tensor): Tensor {
    return ops.mul(ops.mul(ops.mul(x, x), y), this.z);
  }
}

class Mlp extends nn.Cell {
  l1 = new nn.Dense(4, 8);
  l2 = new nn.Dense(8, 1);
  construct(x: Tensor): Tensor {
    return this.l2(ops.tanh(this.l1(x)));
  }
}

describe('callable instances keep fast properties', () => {
  it('the intrinsic tells the two modes apart', () => {
    const slow: Record<string, number> = { a: 1, b: 2 };
    delete slow.a;
    expect(hasFastProperties({ a: 1 })).toBe(true);
    expect(hasFastProperties(slow)).toBe(false);
  });

  it('a Cell, its sub-cells, and every one of many', () => {
    const net = new Mlp();
    expect([net, net.l1, net.l2].map(hasFastProperties)).toEqual([true, true, true]);
    const many = Array.from({ length: 200 }, () => new Seed());
    expect(many.filter((c) => !hasFastProperties(c))).toHaveLength(0);
  });

  it('still fast, still callable and without name or length, after fields are added', () => {
    const net = new Seed() as Seed & Record<string, unknown>;
    for (let i = 0; i < 50; i++) net[`extra${i}`] = i;
    expect(hasFastProperties(net)).toBe(true);
    expect(net.name).toBeUndefined();
    expect(net.length).toBeUndefined();
    expect(net(new Tensor([3]), new Tensor([5])).toArray()).toEqual([45]);
  });

  it('an optimizer', () => {
    const net = new Mlp();
    expect(hasFastProperties(new nn.Adam(net.trainableParams(), 0.01))).toBe(true);
    expect(hasFastProperties(new nn.SGD(net.trainableParams(), 0.1))).toBe(true);
  });
});
