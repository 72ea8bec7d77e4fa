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

/** What `Dense` accepts as its activation: a name, or a built-in activation cell. */
export type Activation = ActivationName | ReLU | Sigmoid | Tanh;

const byName: Record<ActivationName, new () => Cell> = { relu: ReLU, sigmoid: Sigmoid, tanh: Tanh };

/**
 * The activation name for a name or a built-in activation cell, null for none, or a clear
 * error. Dense keeps a name, not a cell, so that its `construct` calls a known op: the
 * compiler reads code by static type and cannot follow a field typed as any Cell.
 */
export function activationName(owner: string, activation: Activation | null | undefined): ActivationName | null {
  if (activation === null || activation === undefined) return null;
  for (const [name, cls] of Object.entries(byName) as [ActivationName, new () => Cell][]) {
    if (activation === name || (activation instanceof cls && activation.constructor === cls)) return name;
  }
  throw new TypeError(
    `${owner}: activation must be one of 'relu', 'sigmoid', 'tanh' (or an nn.ReLU, nn.Sigmoid, nn.Tanh), got ${describe(activation)}; ` +
      'for any other activation, apply its cell after the Dense in your construct',
  );
}

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'object' || typeof x === 'function') return (x as object).constructor?.name ?? typeof x;
  return String(x);
}
