// The fully connected layer, as MindSpore's nn.Dense: `y = activation(x·weightᵀ + bias)`,
// with weight [out, in] and bias [out] initialised from the seeded generator.

import { DType, float32 } from '../dtype.js';
import * as ops from '../ops/index.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../tensor.js';
import { Activation, ActivationName, activationName } from './activation.js';
import { Cell } from './cell.js';
import { heUniform, uniformInit } from './init.js';
import { checkChoice, checkInit, checkPositiveInt } from './validate.js';

/** Dense's settings beyond MindSpore's positional ones. */
export interface DenseOptions {
  /** Initial weight, shape [out, in]; default HeUniform(negative_slope = √5), i.e. U(±1/√in). */
  weightInit?: Tensor;
  /** Initial bias, shape [out]; default U(±1/√in). */
  biasInit?: Tensor;
  /** Parameter dtype (float32 or float64); default float32. */
  dtype?: DType;
}

/** Dense's constructor arguments, in MindSpore's order. */
export type DenseArgs = [inChannels: number, outChannels: number, hasBias?: boolean, activation?: Activation | null, options?: DenseOptions];

/**
 * The activation of a Dense built from `Args`, as a type: `null` for `new nn.Dense(4, 8)`,
 * `'relu'` for `new nn.Dense(4, 8, true, 'relu')`, any name when only run time knows. The
 * compiler folds `this.activation === 'relu'` on it, so a differentiated Dense carries only
 * the branch it takes, and higher orders do not differentiate the other branches again.
 */
export type DenseActivation<Args extends DenseArgs> = Args['length'] extends 2 | 3 ? null : ActivationOf<Args[3]>;
type ActivationOf<A> = A extends ActivationName ? A : A extends null | undefined ? null : ActivationName;

/**
 * A fully connected layer: `y = x·weightᵀ + bias`, then the activation if given ('relu',
 * 'sigmoid', 'tanh', or the matching built-in cell). `x` has shape [..., inChannels], `y`
 * [..., outChannels].
 *
 * @example
 * setSeed(1);
 * const dense = new nn.Dense(3, 2);                  // weight [2, 3], bias [2]
 * const y = dense(new Tensor([[1, 2, 3]]));          // shape [1, 2]
 * const hidden = new nn.Dense(3, 2, true, 'relu');    // or new nn.ReLU()
 */
export class Dense<Args extends DenseArgs = DenseArgs> extends Cell {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly hasBias: boolean;
  weight: Parameter;
  bias: Parameter | null;
  /** The activation applied last, by name (a built-in cell given is stored as its name). */
  readonly activation: DenseActivation<Args>;

  constructor(...args: Args) {
    super();
    const [inChannels, outChannels, hasBias = true, activation = null, options = {}]: DenseArgs = args;
    checkPositiveInt('Dense', 'inChannels', inChannels);
    checkPositiveInt('Dense', 'outChannels', outChannels);
    checkChoice('Dense', 'hasBias', hasBias, [true, false]);
    const dtype = options.dtype ?? float32;
    checkChoice('Dense', 'dtype', dtype.name, ['float32', 'float64']);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.hasBias = hasBias;
    this.weight = new Parameter(initialWeight(inChannels, outChannels, dtype, options.weightInit), 'weight');
    this.bias = hasBias ? new Parameter(initialBias(inChannels, outChannels, dtype, options.biasInit), 'bias') : null;
    this.activation = activationName('Dense', activation) as DenseActivation<Args>;
  }

  construct(x: Tensor): Tensor {
    let y = ops.matmul(x, ops.transpose(this.weight, [1, 0]));
    if (this.bias !== null) {
      y = ops.add(y, this.bias);
    }
    if (this.activation === 'relu') {
      y = ops.relu(y);
    } else if (this.activation === 'sigmoid') {
      y = ops.sigmoid(y);
    } else if (this.activation === 'tanh') {
      y = ops.tanh(y);
    }
    return y;
  }

  override extraRepr(): string {
    const act = this.activation === null ? '' : `, activation='${this.activation}'`;
    return `inChannels=${this.inChannels}, outChannels=${this.outChannels}, hasBias=${this.hasBias}${act}`;
  }
}

function initialWeight(inC: number, outC: number, dtype: DType, init: Tensor | undefined): Tensor {
  if (init === undefined) return heUniform([outC, inC], Math.sqrt(5), dtype);
  checkInit('Dense', 'weightInit', init, [outC, inC], dtype);
  return init;
}

function initialBias(inC: number, outC: number, dtype: DType, init: Tensor | undefined): Tensor {
  if (init === undefined) return uniformInit([outC], 1 / Math.sqrt(inC), dtype);
  checkInit('Dense', 'biasInit', init, [outC], dtype);
  return init;
}
