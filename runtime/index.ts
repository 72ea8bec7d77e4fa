// tsgrad's runtime entry: tensors, ops, nn, and the differentiation API.
import './kernels/defaults.js';
export { DType, float32, float64, int32, bool_ } from './dtype.js';
export { Tensor } from './tensor.js';
export type { TensorLike, NestedArray, TensorOptions } from './tensor.js';
export * as ops from './ops/index.js';
export { Parameter, ParameterTuple } from './parameter.js';
export * as nn from './nn/index.js';
export { grad, valueAndGrad, TsgradError } from './grad.js';
export type { GradOptions, GradArtifact } from './grad.js';
export { jvp, vjp, jacfwd, jacrev, hessian } from './derivatives.js';
export type { DerivativeArtifact, JacobianOptions } from './derivatives.js';
export { print, str, repr, formatTensor, tensorRepr } from './print.js';
export { setSeed, random, normal } from './random.js';
export { customVjp } from './custom.js';
export type { Primitive, PrimitiveSpec } from './ops/primitive.js';
export { isScalarF32, scalarTensor } from './scalar.js';
export * as fused from './kernels/fused.js';
export { giveTape, takeTape } from './tapes.js';
