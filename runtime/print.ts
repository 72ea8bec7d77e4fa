// Printing as MindSpore does: `print(t)` shows a tensor NumPy-style (`[5.]`,
// `[[1. 2.]\n [3. 4.]]`), a tensor inside an array shows its repr
// (`Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01])`), arrays print as
// Python tuples (`(a, b)`, `(a,)`), and several values are separated by spaces.

import { bool_ } from './dtype.js';
import { Tensor, setTensorRepr } from './tensor.js';

/** Prints values to standard output the way MindSpore's print does. */
export function print(...values: unknown[]): void {
  process.stdout.write(`${values.map((v) => (v instanceof Tensor ? formatTensor(v) : repr(v))).join(' ')}\n`);
}

/** Python-style repr of a value; tensors give their MindSpore repr. */
export function repr(v: unknown): string {
  if (v instanceof Tensor) return tensorRepr(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${repr(v[0])},)` : `(${v.map(repr).join(', ')})`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return v;
  return String(v);
}

/** `Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01])` */
export function tensorRepr(t: Tensor): string {
  const values = Array.from(t.data);
  const body = t.dtype.isFloat
    ? nested(values.map(sci), t.shape, ' ')
    : formatTensor(t);
  return `Tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype}, value=${t.ndim > 1 ? '\n' : ' '}${body})`;
}

function sci(v: number): string {
  if (Number.isNaN(v)) return ' nan';
  if (!Number.isFinite(v)) return v > 0 ? ' inf' : '-inf';
  const [mant, exp] = v.toExponential(8).split('e');
  const e = Number(exp);
  const text = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return v < 0 || Object.is(v, -0) ? text : ` ${text}`;
}

/** NumPy's `str(array)`: a common width for every element, nested brackets. */
export function formatTensor(t: Tensor): string {
  const values = Array.from(t.data);
  let cells: string[];
  if (t.dtype === bool_) cells = values.map((v) => (v ? 'True' : 'False'));
  else if (!t.dtype.isFloat) cells = values.map((v) => String(v));
  else cells = formatFloats(values, t.dtype.name === 'float32');
  const width = Math.max(0, ...cells.map((c) => c.length));
  const padded = cells.map((c) => c.padStart(width));
  if (t.ndim === 0) return cells[0];
  return nested(padded, t.shape, ' ');
}

function formatFloats(values: number[], single: boolean): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((a) => a > 0);
  const maxAbs = Math.max(0, ...abs);
  const minAbs = abs.length > 0 ? Math.min(...abs) : 0;
  const scientific = maxAbs >= 1e8 || (minAbs > 0 && minAbs < 1e-4) || (minAbs > 0 && maxAbs / minAbs > 1e3 && minAbs < 1e-4);
  if (scientific) {
    const digits = Math.max(...finite.map((v) => shortestDigits(v, single) - 1), 0);
    return values.map((v) => special(v) ?? expText(v, digits));
  }
  const fracs = finite.map((v) => fractionDigits(v, single));
  const frac = Math.max(0, ...fracs);
  return values.map((v) => {
    const s = special(v);
    if (s) return s;
    const text = frac === 0 ? `${Math.trunc(v)}.` : v.toFixed(frac).replace(/0+$/, '');
    const signed = Object.is(v, -0) || (v < 0 && !text.startsWith('-')) ? `-${text}` : text;
    // NumPy pads the fraction with spaces so the points line up.
    const pad = frac - (signed.split('.')[1]?.length ?? 0);
    return signed + ' '.repeat(Math.max(0, pad));
  });
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return undefined;
}

function expText(v: number, digits: number): string {
  const [mant, exp] = v.toExponential(digits).split('e');
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Significant digits of the shortest decimal that reads back as `v` (float32 or float64). */
function shortestDigits(v: number, single: boolean): number {
  for (let p = 1; p <= 17; p++) {
    const back = Number(v.toPrecision(p));
    if ((single ? Math.fround(back) : back) === v) return p;
  }
  return 17;
}

/** Fraction digits of the shortest decimal for `v`, at most 8 (NumPy's precision). */
function fractionDigits(v: number, single: boolean): number {
  for (let f = 0; f <= 8; f++) {
    const back = Number(v.toFixed(f));
    if ((single ? Math.fround(back) : back) === v) return f;
  }
  return 8;
}

function nested(cells: string[], shape: readonly number[], sep: string): string {
  if (shape.length === 0) return cells[0];
  const go = (dim: number, offset: number, indent: number): string => {
    const n = shape[dim];
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    if (dim === shape.length - 1) return `[${cells.slice(offset, offset + n).join(sep)}]`;
    const rows: string[] = [];
    for (let i = 0; i < n; i++) rows.push(go(dim + 1, offset + i * stride, indent + 1));
    const newlines = '\n'.repeat(shape.length - dim - 1);
    return `[${rows.join(`${newlines}${' '.repeat(indent + 1)}`)}]`;
  };
  return go(0, 0, 0);
}

setTensorRepr(tensorRepr);
