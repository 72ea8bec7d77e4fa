// Cells are callable, keep ordinary fields (even `name` and `length`), and list their
// Parameters and sub-cells in the documented, stable order with dotted paths.
import { describe, expect, it } from 'vitest';
import * as nn from '../../../runtime/nn/index.js';
import * as ops from '../../../runtime/ops/index.js';
import { Parameter, ParameterTuple } from '../../../runtime/parameter.js';
import { Tensor } from '../../../runtime/tensor.js';

const param = (name: string, value = 1, requiresGrad = true) => new Parameter(new Tensor([value]), name, requiresGrad);

class Scale extends nn.Cell {
  k = param('k', 2);
  construct(x: Tensor): Tensor {
    return ops.mul(x, this.k);
  }
}

class Net extends nn.Cell {
  z = new Parameter(new Tensor([1.0]), 'z');
  construct(x: Tensor, y: Tensor): Tensor {
    return ops.mul(ops.mul(ops.mul(x, x), y), this.z);
  }
}

describe('Cell instances are callable', () => {
  it('runs construct with this bound to the instance', () => {
    const net = new Net();
    const out: Tensor = net(new Tensor([3]), new Tensor([5]));
    expect(out.toArray()).toEqual([45]);
    expect(typeof net).toBe('function');
    expect(net).toBeInstanceOf(Net);
    expect(net).toBeInstanceOf(nn.Cell);
    expect(net.__tsgradCell).toBe(true);
  });

  it('type-checks calls against construct', () => {
    const scale = new Scale();
    // @ts-expect-error construct takes a Tensor
    expect(() => scale('x')).toThrow();
    expect(scale(new Tensor([3])).toArray()).toEqual([6]);
  });

  it('keeps fields named name and length, and derived constructors', () => {
    class Named extends nn.Cell {
      override name = 'my-net';
      override length = 7;
      readonly factor: number;
      constructor(factor: number) {
        super();
        this.factor = factor;
      }
      construct(x: Tensor): Tensor {
        return ops.mul(x, this.factor);
      }
    }
    const n = new Named(3);
    expect(n.name).toBe('my-net');
    expect(n.length).toBe(7);
    n.name = 'renamed';
    expect(n.name).toBe('renamed');
    expect(n(new Tensor([2])).toArray()).toEqual([6]);
    expect(Object.keys(n)).toEqual(['name', 'length', 'factor']);
  });

  it('has no own name or length when none are declared', () => {
    const net = new Net();
    expect(Object.keys(net)).toEqual(['z']);
    expect('name' in net).toBe(false);
  });

  it('reports a missing construct clearly', () => {
    class Empty extends nn.Cell {}
    expect(() => new Empty()()).toThrow(/Empty has no construct\(\) method/);
  });

  it('leaves a user bprop alone', () => {
    class Custom extends nn.Cell {
      construct(x: Tensor): Tensor {
        return ops.sin(x);
      }
      bprop(x: Tensor, out: Tensor, dout: Tensor): Tensor[] {
        return [ops.mul(dout, 2)];
      }
    }
    const c = new Custom();
    expect(c(new Tensor([0])).toArray()).toEqual([0]);
    expect(c.bprop(new Tensor([0]), new Tensor([0]), new Tensor([1]))[0].toArray()).toEqual([2]);
  });
});

describe('Parameter order and paths', () => {
  class Inner extends nn.Cell {
    w = param('w');
    frozen = param('frozen', 0, false);
    construct(x: Tensor): Tensor {
      return ops.mul(x, this.w);
    }
  }

  class Outer extends nn.Cell {
    first = new Inner();
    a = param('a');
    blocks = [new Inner(), new Scale()];
    dense = new nn.Dense(2, 3);
    ws = [param('w0'), param('w1')];
    tuple = new ParameterTuple([param('t0')]);
    settings = { lr: 0.1 };
    b = param('b');
    construct(x: Tensor): Tensor {
      return this.first(x);
    }
  }

  it('lists own Parameters first (field order), then sub-cells recursively', () => {
    const net = new Outer();
    expect(net.namedParameters().map(([path]) => path)).toEqual([
      'a',
      'ws.0',
      'ws.1',
      'b',
      'first.w',
      'first.frozen',
      'blocks.0.w',
      'blocks.0.frozen',
      'blocks.1.k',
      'dense.weight',
      'dense.bias',
      'tuple.0',
    ]);
    for (const [path, p] of net.namedParameters()) expect(p).toBeInstanceOf(Parameter), expect(typeof path).toBe('string');
    expect(net.namedParameters()[4][1]).toBe(net.first.w);
  });

  it('trainableParams skips requiresGrad = false, in the same order', () => {
    const net = new Outer();
    const trainable = net.trainableParams();
    expect(trainable.map((p) => p.name)).toEqual(['a', 'w0', 'w1', 'b', 'w', 'w', 'k', 'weight', 'bias', 't0']);
    expect(trainable[4]).toBe(net.first.w);
    expect(trainable[5]).toBe((net.blocks[0] as Inner).w);
    expect(net.untrainableParams()).toEqual([net.first.frozen, (net.blocks[0] as Inner).frozen]);
    expect(new ParameterTuple(trainable).length).toBe(10);
  });

  it('is stable across calls and lists a shared Parameter or cell once', () => {
    class Shared extends nn.Cell {
      left = new Scale();
      right = this.left;
      tied = this.left.k;
      construct(x: Tensor): Tensor {
        return this.right(this.left(x));
      }
    }
    const net = new Shared();
    expect(net.namedParameters()).toEqual([['tied', net.left.k]]);
    expect(net.namedParameters()).toEqual(net.namedParameters());
    expect(net.cells()).toEqual([net.left, net.left]);
    expect(net.namedCells().map(([p]) => p)).toEqual(['left']);
  });

  it('lists Parameters a ParameterTuple field refers to at their owning paths', () => {
    class TrainWrapper extends nn.Cell {
      weights: ParameterTuple;
      net = new nn.Dense(2, 1);
      constructor() {
        super();
        this.weights = new ParameterTuple(this.net.trainableParams());
      }
      construct(x: Tensor): Tensor {
        return this.net(x);
      }
    }
    const wrapper = new TrainWrapper();
    expect(Object.keys(wrapper)).toEqual(['weights', 'net']);
    expect(wrapper.namedParameters().map(([p]) => p)).toEqual(['net.weight', 'net.bias']);
    expect(wrapper.trainableParams()).toEqual([...wrapper.weights]);
  });

  it('survives a cycle between cells', () => {
    class Child extends nn.Cell {
      parent: nn.Cell | null = null;
      p = param('p');
    }
    class Parent extends nn.Cell {
      child = new Child();
      constructor() {
        super();
        this.child.parent = this;
      }
    }
    const net = new Parent();
    expect(net.namedParameters().map(([p]) => p)).toEqual(['child.p']);
    expect(net.namedCells().map(([p]) => p)).toEqual(['child']);
  });

  it('lists direct and all sub-cells', () => {
    const net = new Outer();
    expect(net.cells()).toEqual([net.first, net.blocks[0], net.blocks[1], net.dense]);
    expect(net.namedCells().map(([p]) => p)).toEqual(['first', 'blocks.0', 'blocks.1', 'dense']);
    const seq = new nn.SequentialCell([new nn.Dense(2, 2, true, 'relu'), new nn.Tanh()]);
    expect(seq.namedCells().map(([p]) => p)).toEqual(['layers.0', 'layers.1']);
    expect(seq.namedParameters().map(([p]) => p)).toEqual(['layers.0.weight', 'layers.0.bias']);
    const first: nn.Dense = seq.layers[0]; // the tuple of layer types is kept
    expect(first).toBeInstanceOf(nn.Dense);
  });

  it('prints as a tree', () => {
    const seq = new nn.SequentialCell([new nn.Dense(2, 3, true, 'relu'), new nn.ReLU()]);
    expect(String(seq)).toBe(
      'SequentialCell(\n  (layers.0): Dense(inChannels=2, outChannels=3, hasBias=true, activation=\'relu\')\n  (layers.1): ReLU()\n)',
    );
  });
});
