// Argument checks shared by nn constructors: each failure names the class, the argument,
// what was expected and what was given.

import { DType } from '../dtype.js';
import { fmt, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

function show(value: unknown): string {
  if (value instanceof Tensor) return `a Tensor of shape ${fmt(value.shape)}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function checkPositiveInt(owner: string, arg: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${owner}: ${arg} must be a positive integer, got ${show(value)}`);
  }
}

/** A finite number in [min, max) (or [min, max] when `closed`). */
export function checkRange(owner: string, arg: string, value: unknown, min: number, max = Infinity, closed = false): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && (closed ? value <= max : value < max);
  if (!ok) {
    const upper = max === Infinity ? '' : closed ? `, at most ${max}` : `, below ${max}`;
    throw new RangeError(`${owner}: ${arg} must be a finite number of at least ${min}${upper}, got ${show(value)}`);
  }
}

export function checkChoice<T>(owner: string, arg: string, value: unknown, choices: readonly T[]): asserts value is T {
  if (!choices.includes(value as T)) {
    throw new TypeError(`${owner}: ${arg} must be one of ${choices.map(show).join(', ')}, got ${show(value)}`);
  }
}

/** An initial value for a Parameter: a Tensor of the expected shape and dtype. */
export function checkInit(owner: string, arg: string, value: unknown, shape: readonly number[], dtype: DType): void {
  if (!(value instanceof Tensor)) {
    throw new TypeError(`${owner}: ${arg} must be a Tensor, got ${show(value)}`);
  }
  if (!sameShape(value.shape, shape)) {
    throw new RangeError(`${owner}: ${arg} must have shape ${fmt(shape)}, got ${fmt(value.shape)}`);
  }
  if (value.dtype !== dtype) {
    throw new TypeError(`${owner}: ${arg} must be ${dtype}, got ${value.dtype}`);
  }
}
