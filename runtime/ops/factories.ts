// MindSpore's primitive factories: `ops.Sin()` returns the `sin` op itself, so a primitive
// object held in a field (`this.sin = ops.Sin()`) is the same branded op the compiler
// resolves by type. Derived from the registry: every primitive `name` has the factory
// `Name` (PascalCase), typed precisely; the exported names below are checked against it,
// plus MindSpore's own spellings where they differ (MatMul, ReLU, ReduceSum, ...).
import { primitives } from './registry.js';

type Primitives = typeof primitives;
export type Factories = { readonly [K in keyof Primitives as Capitalize<K & string>]: () => Primitives[K] };

/** Every primitive's factory, by PascalCase name. */
export const factories = Object.fromEntries(
  Object.entries(primitives).map(([name, op]) => [name[0].toUpperCase() + name.slice(1), () => op]),
) as unknown as Factories;

export const {
  Abs, Add, Argmax, Argmin, Atan, Atan2, BroadcastTo, Cast, Concat, Cos, Cosh, Div, Equal, Exp,
  ExpandDims, Expm1, Fill, Gather, Greater, GreaterEqual, Hypot, Less, LessEqual, Log, Log1p,
  LogSoftmax, LogicalAnd, LogicalNot, LogicalOr, Matmul, Max, Maximum, Mean, Min, Minimum, Mod,
  Mul, Neg, NotEqual, OneHot, Ones, OnesLike, Pow, Randn, Relu, Reshape, Round, Sigmoid, Sign, Sin,
  Sinh, Slice, Softmax, Sqrt, Square, Squeeze, Stack, StopGradient, Sub, Sum, Tan, Tanh,
  Transpose, Uniform, Where, Zeros, ZerosLike,
} = factories;

// MindSpore's spellings.
export const MatMul = Matmul;
export const BatchMatMul = Matmul;
export const ReLU = Relu;
export const ReduceSum = Sum;
export const ReduceMean = Mean;
export const ReduceMax = Max;
export const ReduceMin = Min;
export const Select = Where;
export const RealDiv = Div;
export const Concatenate = Concat;
