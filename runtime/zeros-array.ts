// The gradient of a number[] starts as zeros like it, made here for generated code: a
// copy of a kept array of zeros that V8 stores as packed doubles. `new Array(n).fill(0)`
// makes small integers with holes, which the first fractional `+=` converts to doubles by
// copying the whole array: for Rosenbrock over 1000 numbers that allocation and copy took
// 1.5–2 µs of a 4–5 µs gradient, a packed double copy 0.5 µs. The copy is new on every
// call and belongs to the caller, as a gradient does.

/** Zeros kept per length (the first lengths seen; others are made on each call). */
const kept = new Map<number, readonly number[]>();
const MAX_KEPT = 16;
/** Longer arrays are not kept: a long run should not hold their memory for good. */
const MAX_LENGTH = 1 << 16;

/** A new number[] of `n` zeros. */
export function zerosArray(n: number): number[] {
  const zeros = kept.get(n);
  if (zeros !== undefined) return zeros.slice();
  const made = doubleZeros(n);
  if (n > MAX_LENGTH || kept.size >= MAX_KEPT) return made;
  kept.set(n, made);
  return made.slice();
}

/** n zeros stored as packed doubles: a fraction pushed first makes the array hold doubles, and fill(0) keeps that. */
function doubleZeros(n: number): number[] {
  const zeros: number[] = [];
  for (let i = 0; i < n; i++) zeros.push(0.5);
  return zeros.fill(0);
}
