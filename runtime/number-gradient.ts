// Generated code hands a `number` input its gradient with `numberGradient`: the rules of
// tensor ops sum a number operand's gradient into a one-element Tensor, and the caller
// wants a number back. It is its own function, not `.item()`, so that the compiler, when
// it reads generated code back for a higher order, can tell this read (which it cannot
// differentiate again) from a `.item()` the user wrote (a constant, as in user code).
import type { Tensor } from './tensor.js';

/** The number in the one-element gradient `g` of a number input. */
export function numberGradient(g: Tensor): number {
  return g.item();
}
