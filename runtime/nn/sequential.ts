// SequentialCell: cells applied in order, each to the previous one's output. Its cells are
// the field `layers`, so their Parameters' paths are `layers.0.weight`, `layers.1.bias`, ...
// The class is generic over the tuple of layer types so that the static type of an
// instance still says which cell sits at each position (what the compiler reads).

import { Tensor } from '../tensor.js';
import { Cell } from './cell.js';

/**
 * Runs `layers` in order: `layers[n-1](... layers[1](layers[0](x)))`.
 *
 * @example
 * const mlp = new nn.SequentialCell([new nn.Dense(4, 8), new nn.ReLU(), new nn.Dense(8, 1)]);
 * const y = mlp(new Tensor([[1, 2, 3, 4]]));        // shape [1, 1]
 * mlp.layers[0];                                     // the first Dense (typed as nn.Dense)
 */
export class SequentialCell<L extends Cell[] = Cell[]> extends Cell {
  readonly layers: Readonly<L>;

  constructor(layers: readonly [...L]) {
    super();
    if (!Array.isArray(layers)) {
      throw new TypeError(`SequentialCell: expected an array of Cells, got ${typeof layers}`);
    }
    layers.forEach(checkCell);
    this.layers = [...layers] as unknown as Readonly<L>;
  }

  construct(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.layers) {
      y = layer(y);
    }
    return y;
  }
}

function checkCell(layer: unknown, i: number): void {
  if (!(layer instanceof Cell)) {
    throw new TypeError(`SequentialCell: element ${i} is not a Cell (got ${describe(layer)})`);
  }
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' || typeof x === 'function' ? (x.constructor?.name ?? typeof x) : typeof x;
}
