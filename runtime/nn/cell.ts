// The Cell: the base of every network. Instances are callable (`net(x)` runs
// `construct`), and a Cell finds its Parameters and sub-cells by walking its own fields
// in definition order, so `trainableParams()` and `namedParameters()` are stable: the
// runtime maps a requested weight to its dotted path by identity.

import { Parameter, ParameterTuple } from '../parameter.js';
import { makeCallable } from './callable.js';

/** The call signature of a Cell subclass: the one of its `construct` method. */
type ConstructOf<T> = T extends { construct(...args: infer A): infer R } ? (...args: A) => R : (...args: any[]) => any;

/** Declaration merging gives Cell instances the call signature of their `construct`. */
export interface Cell {
  (...args: Parameters<ConstructOf<this>>): ReturnType<ConstructOf<this>>;
}

/**
 * The base class of networks. Subclass it, hold Parameters and sub-cells in fields, and
 * write `construct(...)`; an instance is callable and runs `construct`. A `bprop(...inputs,
 * out, dout)` method, if defined, is a custom gradient rule the compiler uses instead: it
 * returns one gradient per input and, unlike MindSpore, may go on with one per Parameter
 * field the Cell declares itself, in field order (its declared tuple type says which:
 * `bprop(x, out, dout): [Tensor, Tensor]` for one input and one Parameter).
 *
 * Parameter order (`trainableParams()`, `namedParameters()`): the Cell's own Parameters
 * first, in field order (a field holding an array of Parameters contributes its elements
 * in order), then each sub-cell's, in field order, recursively (arrays of cells included),
 * and last the Parameters reached only through a ParameterTuple field (a group that
 * usually refers to Parameters owned elsewhere, as a training wrapper's
 * `weights = new ParameterTuple(net.trainableParams())`). Paths are dotted field names,
 * array elements by index: `weight`, `dense.bias`, `layers.0.weight`, `weights.0`. A
 * Parameter reachable twice is listed once, at its first path in this order.
 *
 * Instances are function objects: with `noImplicitOverride`, a field named `name` or
 * `length` needs `override` (it works like any other field).
 *
 * @example
 * class Net extends nn.Cell {
 *   dense = new nn.Dense(3, 1);
 *   construct(x: Tensor): Tensor {
 *     return ops.relu(this.dense(x));
 *   }
 * }
 * const net = new Net();
 * const y = net(new Tensor([[1, 2, 3]]));           // shape [1, 1]
 * net.namedParameters().map(([path]) => path);      // ['dense.weight', 'dense.bias']
 */
export class Cell {
  constructor() {
    // No field initialisers in this class: they would land on the discarded `this`.
    return makeCallable<Cell>(new.target.prototype, 'construct', 'Cell');
  }

  /** Brand read by the compiler's type checks: values of this type are Cells. */
  get __tsgradCell(): true {
    return true;
  }

  /** Every Parameter of the network with its dotted path, in the documented order. */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    collectParameters(this, '', out, new Set(), new Set());
    return out;
  }

  /** The Parameters with `requiresGrad`, in the order of `namedParameters()`. */
  trainableParams(): Parameter[] {
    return this.namedParameters()
      .map(([, p]) => p)
      .filter((p) => p.requiresGrad);
  }

  /** The Parameters without `requiresGrad`, in the order of `namedParameters()`. */
  untrainableParams(): Parameter[] {
    return this.namedParameters()
      .map(([, p]) => p)
      .filter((p) => !p.requiresGrad);
  }

  /** The direct sub-cells, in field order (arrays of cells flattened in order). */
  cells(): Cell[] {
    return fieldLeaves(this)
      .map(([, v]) => v)
      .filter((v): v is Cell => v instanceof Cell);
  }

  /** Every descendant cell (not this one) with its dotted path, depth first, in field order. */
  namedCells(): [string, Cell][] {
    const out: [string, Cell][] = [];
    collectCells(this, '', out, new Set([this]));
    return out;
  }

  /** One line of settings shown by `toString()`; built-in cells override it. */
  extraRepr(): string {
    return '';
  }

  /** The network as an indented tree: `Net(\n  (dense): Dense(inChannels=3, ...)\n)`. */
  toString(): string {
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    const children = fieldLeaves(this).filter(([, v]) => v instanceof Cell);
    if (children.length === 0) return `${head})`;
    const lines = children.map(([path, c]) => `  (${path}): ${String(c).replace(/\n/g, '\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A field value worth walking: a Parameter or a Cell, possibly inside arrays. */
type Leaf = Parameter | Cell;

/** A leaf with its path; `grouped` when it was reached through a ParameterTuple. */
type Entry = [path: string, leaf: Leaf, grouped: boolean];

/** The Parameter and Cell leaves of `cell`'s own fields, in field order, with their paths. */
function fieldEntries(cell: Cell): Entry[] {
  const out: Entry[] = [];
  for (const key of Object.keys(cell)) {
    entriesOf((cell as unknown as Record<string, unknown>)[key], key, false, out);
  }
  return out;
}

function fieldLeaves(cell: Cell): [string, Leaf][] {
  return fieldEntries(cell).map(([path, leaf]) => [path, leaf]);
}

function entriesOf(value: unknown, path: string, grouped: boolean, out: Entry[]): void {
  if (value instanceof Parameter || value instanceof Cell) {
    out.push([path, value, grouped]);
  } else if (Array.isArray(value) || value instanceof ParameterTuple) {
    const inGroup = grouped || value instanceof ParameterTuple;
    for (let i = 0; i < value.length; i++) entriesOf(value[i], `${path}.${i}`, inGroup, out);
  }
}

function collectParameters(
  cell: Cell,
  prefix: string,
  out: [string, Parameter][],
  seenParams: Set<Parameter>,
  seenCells: Set<Cell>,
): void {
  seenCells.add(cell);
  const entries = fieldEntries(cell);
  const add = ([path, leaf]: Entry): void => {
    if (leaf instanceof Parameter && !seenParams.has(leaf)) {
      seenParams.add(leaf);
      out.push([prefix + path, leaf]);
    }
  };
  entries.filter(([, , grouped]) => !grouped).forEach(add);
  for (const [path, leaf] of entries) {
    if (leaf instanceof Cell && !seenCells.has(leaf)) {
      collectParameters(leaf, `${prefix}${path}.`, out, seenParams, seenCells);
    }
  }
  entries.filter(([, , grouped]) => grouped).forEach(add);
}

function collectCells(cell: Cell, prefix: string, out: [string, Cell][], seen: Set<Cell>): void {
  for (const [path, leaf] of fieldLeaves(cell)) {
    if (leaf instanceof Cell && !seen.has(leaf)) {
      seen.add(leaf);
      out.push([prefix + path, leaf]);
      collectCells(leaf, `${prefix}${path}.`, out, seen);
    }
  }
}
