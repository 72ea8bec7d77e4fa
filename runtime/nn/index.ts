// The public `nn` namespace: Cell, the built-in cells, losses and optimisers.
export { Cell } from './cell.js';
export { Dense } from './dense.js';
export type { DenseActivation, DenseArgs, DenseOptions } from './dense.js';
export { ReLU, Sigmoid, Tanh } from './activation.js';
export type { Activation, ActivationName } from './activation.js';
export { MSELoss, SoftmaxCrossEntropyWithLogits } from './loss.js';
export type { Reduction, SoftmaxCrossEntropyOptions } from './loss.js';
export { SequentialCell } from './sequential.js';
export { Optimizer } from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamOptions } from './adam.js';
