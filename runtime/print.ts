// Printing as MindSpore does, byte for byte in the common cases:
// - `print(t)` of a lone Tensor shows NumPy's `str(array)` (`[5.]`, `[[1. 2.]\n [3. 4.]]`,
//   `[1 2 3]`, `[ True False]`), with NumPy's rules for unique shortest digits (at most 8
//   after the point), scientific notation when magnitudes vary, padding, line wrapping at
//   75 columns and summarising past 1000 elements;
// - a Tensor inside an array shows MindSpore's repr, `Tensor(shape=[1], dtype=Float32,
//   value= [ 3.00000000e+01])`, formatted as MindSpore's C++ printer does (floats as
//   width-15 scientific with 8 digits, comma separated);
// - arrays print as Python tuples (`(a, b)`, `(a,)`), numbers and strings as Python prints
//   them, and several values are separated by spaces.

import { bool_ } from './dtype.js';
import { Tensor, setTensorRepr } from './tensor.js';

/** Prints values to standard output the way MindSpore's (Python's) print does. */
export function print(...values: unknown[]): void {
  const line = values.map(str).join(' ');
  // Node writes to stdout exactly; a browser bundle has the console.
  if (typeof process !== 'undefined' && process.stdout) process.stdout.write(`${line}\n`);
  else console.log(line);
}

/** Python's `str(value)`: a Tensor NumPy-style, a string as itself, anything else its repr. */
export function str(value: unknown): string {
  if (value instanceof Tensor) return isParameter(value) ? tensorRepr(value) : formatTensor(value);
  if (typeof value === 'string') return value;
  return repr(value);
}

/** Python's `repr(value)`: Tensors as MindSpore's repr, arrays as tuples, strings quoted. */
export function repr(value: unknown): string {
  if (value instanceof Tensor) return tensorRepr(value);
  if (Array.isArray(value)) return value.length === 1 ? `(${repr(value[0])},)` : `(${value.map(repr).join(', ')})`;
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  return String(value);
}

/** A number as Python prints it: integers as ints, others as float's shortest repr. */
export function pythonNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return Object.is(v, -0) ? '-0.0' : String(v);
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}

// ---------------------------------------------------------------------------------------
// MindSpore's repr (C++ TensorStringifier with use_comma = true).

const MS_THRESHOLD = 6;
const MS_HALF = MS_THRESHOLD >> 1;

/**
 * `Tensor(shape=[1], dtype=Float32, value= [ 3.00000000e+01])`; a Parameter as MindSpore
 * shows one: `Parameter (name=z, shape=(1,), dtype=Float32, requires_grad=True)`.
 */
export function tensorRepr(t: Tensor): string {
  if (isParameter(t)) {
    return `Parameter (name=${t.name}, shape=${repr(t.shape)}, dtype=${t.dtype}, requires_grad=${t.requiresGrad ? 'True' : 'False'})`;
  }
  return `Tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype}, value=${t.ndim > 1 ? '\n' : ' '}${msData(t)})`;
}

/** Parameters (runtime/parameter.ts) carry this brand; checked by shape to avoid an import cycle. */
function isParameter(t: Tensor): t is Tensor & { name: string; requiresGrad: boolean } {
  return (t as { __tsgradParameter?: boolean }).__tsgradParameter === true;
}

function msData(t: Tensor): string {
  if (t.size === 0) return '';
  if (t.ndim === 0) return msScalar(t, t.data[0]);
  const cell = msCell(t);
  const isFloat = t.dtype.isFloat;
  const lineEvery = isFloat ? MS_THRESHOLD * 2 : t.dtype === bool_ ? MS_THRESHOLD * 2 : MS_THRESHOLD * 4;
  let cursor = 0;
  const run = (start: number, end: number): string => {
    let s = '';
    for (let i = start; i < end; i++) {
      s += cell(t.data[cursor + i]);
      if (i !== end - 1) s += ', ';
      if (t.ndim === 1 && end - start > MS_HALF && (i + 1) % lineEvery === 0) s += '\n ';
    }
    return s;
  };
  const rec = (depth: number): string => {
    const num = t.shape[depth];
    const indent = ' '.repeat(depth + 1);
    let s = '[';
    if (depth === t.ndim - 1) {
      if ((num > MS_THRESHOLD && t.ndim > 1) || (num > 1000 && t.ndim === 1)) {
        s += `${run(0, MS_HALF)} ... ${run(num - MS_HALF, num)}`;
      } else {
        s += run(0, num);
      }
      cursor += num;
      return `${s}]`;
    }
    for (let i = 0; i < Math.min(MS_HALF, num); i++) {
      if (i > 0) s += `,\n${indent}`;
      s += rec(depth + 1);
    }
    if (num > MS_THRESHOLD) {
      s += `,\n${indent}...`;
      cursor += t.shape.slice(depth + 1).reduce((a, b) => a * b, 1) * (num - MS_THRESHOLD);
    }
    if (num > MS_HALF) {
      const times = Math.min(num - MS_HALF, MS_HALF);
      for (let i = 0; i < times; i++) {
        if (i !== 0 || num <= MS_THRESHOLD) s += ',';
        s += `\n${indent}${rec(depth + 1)}`;
      }
    }
    return `${s}]`;
  };
  return rec(0);
}

/** One element inside brackets: floats width-15 scientific, ints right-aligned to the widest. */
function msCell(t: Tensor): (v: number) => string {
  if (t.dtype.isFloat) return (v) => cppScientific(v, 8).padStart(15);
  if (t.dtype === bool_) return (v) => (v ? 'True' : 'False').padStart(5);
  let width = 0;
  for (let i = 0; i < t.size; i++) width = Math.max(width, String(t.data[i]).length);
  return (v) => String(v).padStart(width);
}

/** A 0-d value as C++'s `ostream << value` (floats as %g with 6 significant digits). */
function msScalar(t: Tensor, v: number): string {
  if (t.dtype === bool_) return v ? 'True' : 'False';
  if (!t.dtype.isFloat) return String(v);
  return cppGeneral(v);
}

/** printf("%.{digits}e"): at least two exponent digits, `nan`, `inf`, `-inf`. */
function cppScientific(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = v.toExponential(digits).split('e');
  const e = Number(exp);
  const sign = Object.is(v, -0) ? '-' : '';
  return `${sign}${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** printf("%g") with precision 6: trailing zeros removed. */
function cppGeneral(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const e = Number(v.toExponential(5).split('e')[1]);
  if (e < -4 || e >= 6) {
    const [m, x] = v.toExponential(5).split('e');
    const mantissa = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    const ex = Number(x);
    return `${mantissa}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  }
  const fixed = v.toFixed(Math.max(0, 5 - e));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

// ---------------------------------------------------------------------------------------
// NumPy's str(array): array2string with the default print options.

const LINE_WIDTH = 75;
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 8;

/** NumPy's `str(array)` for a tensor (a 0-d tensor prints its lone element, `5.`). */
export function formatTensor(t: Tensor): string {
  const summarise = t.size > SUMMARY_THRESHOLD;
  const shown = summarise ? edgeValues(t) : Array.from(t.data);
  const cell = formatterFor(t, shown);
  if (t.ndim === 0) return t.dtype === bool_ ? (t.data[0] ? 'True' : 'False') : cell(t.data[0]);
  return formatArray(t, cell, summarise);
}

/** The values NumPy looks at to choose a format when summarising: the edge items only. */
function edgeValues(t: Tensor): number[] {
  const out: number[] = [];
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const rec = (depth: number, offset: number) => {
    if (depth === t.ndim) {
      out.push(t.data[offset]);
      return;
    }
    const n = t.shape[depth];
    const idx = n > 2 * EDGE_ITEMS ? [...range(0, EDGE_ITEMS), ...range(n - EDGE_ITEMS, n)] : range(0, n);
    for (const i of idx) rec(depth + 1, offset + i * strides[depth]);
  };
  rec(0, 0);
  return out;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function formatterFor(t: Tensor, values: number[]): (v: number) => string {
  if (t.dtype === bool_) return (v) => (v ? ' True' : 'False');
  if (!t.dtype.isFloat) {
    const width = values.reduce((w, v) => Math.max(w, String(v).length), 0);
    return (v) => String(v).padStart(width);
  }
  return floatFormatter(values, t.dtype.name === 'float32');
}

/** NumPy's FloatingFormat (floatmode 'maxprec', precision 8, sign '-'). */
function floatFormatter(values: number[], single: boolean): (v: number) => string {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let exp = false;
  if (nonZero.length > 0) {
    const maxVal = Math.max(...nonZero);
    const minVal = Math.min(...nonZero);
    exp = maxVal >= 1e8 || minVal < 0.0001 || maxVal / minVal > 1000;
  }
  let padLeft = 0;
  let padRight = 0;
  let fracDigits = 0;
  let expSize = 0;
  if (finite.length > 0 && exp) {
    const parts = finite.map((v) => scientificParts(v, single));
    fracDigits = Math.max(...parts.map((p) => p.frac.length));
    expSize = Math.max(...parts.map((p) => p.exp.length));
    padLeft = Math.max(...parts.map((p) => p.int.length));
    padRight = expSize + 2 + fracDigits;
  } else if (finite.length > 0) {
    const parts = finite.map((v) => positional(v, single).split('.'));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
  }
  if (finite.length !== values.length) {
    const negInf = values.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  return (v) => {
    if (!Number.isFinite(v)) {
      const text = Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
      return text.padStart(padLeft + padRight + 1);
    }
    if (exp) {
      const p = scientificParts(v, single);
      return `${p.int.padStart(padLeft)}.${p.frac.padEnd(fracDigits, '0')}e${p.sign}${p.exp.padStart(expSize, '0')}`;
    }
    const [int, frac] = positional(v, single).split('.');
    return `${int.padStart(padLeft)}.${frac.padEnd(padRight)}`;
  };
}

/** Significant digits of the shortest decimal that reads back as `v` (float32 or float64). */
function shortestPrecision(v: number, single: boolean): number {
  if (!single) return Math.max(1, v.toExponential().split('e')[0].replace(/[-.]/g, '').length);
  for (let p = 1; p < 9; p++) if (Math.fround(Number(v.toPrecision(p))) === v) return p;
  return 9;
}

/** Dragon4 positional: unique digits, at most 8 after the point, trailing zeros trimmed ('5.'). */
function positional(v: number, single: boolean): string {
  // String() of the double nearest the shortest decimal prints exactly those digits, and
  // never in exponent form here: positional output is only used for |v| in [1e-4, 1e8).
  let text = String(single ? Number(v.toPrecision(shortestPrecision(v, single))) : v);
  if ((text.split('.')[1]?.length ?? 0) > PRECISION) text = v.toFixed(PRECISION);
  if (!text.includes('.')) text += '.';
  text = text.replace(/0+$/, '');
  return Object.is(v, -0) ? `-${text}` : text;
}

/** Dragon4 scientific, unique digits (at most 8 after the point): sign, int, fraction, exponent. */
function scientificParts(v: number, single: boolean): { int: string; frac: string; sign: string; exp: string } {
  const digits = Math.min(shortestPrecision(v, single), PRECISION + 1);
  const [mantissa, e] = v.toExponential(digits - 1).split('e');
  const [int, frac = ''] = mantissa.split('.');
  const exponent = Number(e);
  return {
    int: Object.is(v, -0) ? `-${int}` : int,
    frac: frac.replace(/0+$/, ''),
    sign: exponent < 0 ? '-' : '+',
    exp: String(Math.abs(exponent)).padStart(2, '0'),
  };
}

/** NumPy's _formatArray: nested brackets, rows wrapped at 75 columns, '...' when summarising. */
function formatArray(t: Tensor, cell: (v: number) => string, summarise: boolean): string {
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const separator = ' ';
  const rec = (depth: number, offset: number, hanging: string, width: number): string => {
    const axesLeft = t.ndim - depth;
    const n = t.shape[depth];
    const showSummary = summarise && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    const nextHanging = `${hanging} `;
    const nextWidth = width - 1;
    const item = (i: number) => (axesLeft === 1 ? cell(t.data[offset + i * strides[depth]]) : rec(depth + 1, offset + i * strides[depth], nextHanging, nextWidth));
    let s = '';
    if (axesLeft === 1) {
      const elemWidth = width - Math.max(separator.trimEnd().length, 1);
      let line = hanging;
      const extend = (word: string, w: number) => {
        if (line.length + word.length > w && line.length > hanging.length) {
          s += `${line.trimEnd()}\n`;
          line = hanging;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(item(i), elemWidth);
        line += separator;
      }
      if (showSummary) {
        extend('...', elemWidth);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        extend(item(n - i), elemWidth);
        line += separator;
      }
      extend(item(n - 1), elemWidth);
      s += line;
    } else {
      const lineSep = `${separator.trimEnd()}${'\n'.repeat(axesLeft - 1)}`;
      for (let i = 0; i < leading; i++) s += `${hanging}${item(i)}${lineSep}`;
      if (showSummary) s += `${hanging}...${lineSep}`;
      for (let i = trailing; i > 1; i--) s += `${hanging}${item(n - i)}${lineSep}`;
      s += `${hanging}${item(n - 1)}`;
    }
    return `[${s.slice(hanging.length)}]`;
  };
  return rec(0, 0, ' ', LINE_WIDTH);
}

setTensorRepr(str);
