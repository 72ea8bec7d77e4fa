// Activation cells: ReLU, Sigmoid, Tanh. Each is one `ops.*` call in `construct`, which
// the compiler differentiates like any user cell.

import * as ops from '../ops/index.js';
import { Tensor } from '../tensor.js';
import { Cell } from './cell.js';

/**
 * max(x, 0), elementwise.
 *
 * @example
 * new nn.ReLU()(new Tensor([-1, 2]));   // [0, 2]
 */
export class ReLU extends Cell {
  construct(x: Tensor): Tensor {
    return ops.relu(x);
  }
}

/**
 * 1 / (1 + e^-x), elementwise.
 *
 * @example
 * new nn.Sigmoid()(new Tensor([0]));    // [0.5]
 */
export class Sigmoid extends Cell {
  construct(x: Tensor): Tensor {
    return ops.sigmoid(x);
  }
}

/**
 * tanh(x), elementwise.
 *
 * @example
 * new nn.Tanh()(new Tensor([0]));       // [0]
 */
export class Tanh extends Cell {
  construct(x: Tensor): Tensor {
    return ops.tanh(x);
  }
}

/** The activation names `Dense` accepts, as MindSpore spells them. */
export type ActivationName = 'relu' | 'sigmoid' | 'tanh';

const activations: Record<ActivationName, new () => Cell> = { relu: ReLU, sigmoid: Sigmoid, tanh: Tanh };

/** The activation cell for a name or a Cell, or null for none; a clear error otherwise. */
export function activationCell(owner: string, activation: ActivationName | Cell | null | undefined): Cell | null {
  if (activation === null || activation === undefined) return null;
  if (activation instanceof Cell) return activation;
  if (typeof activation === 'string' && Object.prototype.hasOwnProperty.call(activations, activation)) {
    return new activations[activation]();
  }
  throw new TypeError(
    `${owner}: activation must be one of ${Object.keys(activations).map((n) => `'${n}'`).join(', ')} or a Cell, got ${String(activation)}`,
  );
}
