// Custom derivative rules for plain functions, the function-level counterpart of a
// Cell's `bprop`: `customVjp(fn, bprop)` runs `fn` forward, and the compiler uses
// `bprop(...inputs, out, dout)` (returning one gradient per input) instead of
// differentiating `fn`. The rule is ordinary tsgrad code, so it differentiates again.

export interface CustomVjpApi {
  /** The rule keeps its own type, so generated code reads its gradients with their types. */
  <A extends unknown[], R, B extends (...args: [...A, R, R]) => unknown[]>(fn: (...args: A) => R, bprop: B): ((...args: A) => R) & {
    readonly bprop: B;
    readonly __tsgradCustom: true;
  };
  readonly __tsgradApi: 'customVjp';
}

/**
 * A function with a hand-written gradient.
 *
 * @example
 * const clipped = customVjp(
 *   (x: Tensor) => ops.mul(x, 1),
 *   (x: Tensor, out: Tensor, dout: Tensor) => [ops.minimum(ops.maximum(dout, -1), 1)],
 * );
 */
export const customVjp: CustomVjpApi = Object.assign(
  <A extends unknown[], R, B extends (...args: [...A, R, R]) => unknown[]>(fn: (...args: A) => R, bprop: B) => {
    if (typeof fn !== 'function' || typeof bprop !== 'function') {
      throw new TypeError('customVjp: expected (fn, bprop), two functions');
    }
    const wrapped = (...args: A) => fn(...args);
    return Object.assign(wrapped, { bprop, __tsgradCustom: true as const });
  },
  { __tsgradApi: 'customVjp' as const },
);
