// Shape arithmetic shared by kernels and ops: broadcasting, axes, strides.

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The NumPy broadcast of two shapes, or an error naming the op and both shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  // Missing leading axes count as 1 (no negative indices: V8 looks those up as named properties).
  const skipA = n - a.length;
  const skipB = n - b.length;
  for (let i = 0; i < n; i++) {
    const da = i < skipA ? 1 : a[i - skipA];
    const db = i < skipB ? 1 : b[i - skipB];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${fmt(a)} and ${fmt(b)} do not broadcast (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Normalises an axis (negative counts from the end) against `ndim`, or throws. */
export function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? 'a tensor of rank 0 has no axes' : `expected -${ndim} to ${ndim - 1}`;
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${ndim} (${range})`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalised, sorted, de-duplicated axes; `undefined` or `null` means every axis. */
export function normAxes(op: string, axis: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (axis === undefined || axis === null) {
    const all: number[] = [];
    for (let i = 0; i < ndim; i++) all.push(i);
    return all;
  }
  if (typeof axis === 'number') return [normAxis(op, axis, ndim)];
  const list = axis;
  const out = [...new Set(list.map((a) => normAxis(op, a, ndim)))];
  return out.sort((a, b) => a - b);
}
