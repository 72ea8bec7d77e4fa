// Source maps for the doors that rewrite user files. The compiler only inserts text
// (imports, artifact arguments, `export`), so every position of an edited file has one
// position in the original: these helpers translate maps of edited text back to the
// user's lines, and make the edit map a bundler composes with its own.

import path from 'node:path';
import { Edit } from '../pipeline.js';

/** A version 3 source map, as tsc and bundlers write them. */
export interface RawSourceMap {
  version: number;
  file?: string;
  sourceRoot?: string;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

/** One mapping: generated column, then source index, line and column, and a name index. */
type Segment = number[];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes `mappings` into absolute segments per generated line. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  const state = [0, 0, 0, 0, 0];
  for (const lineText of mappings.split(';')) {
    state[0] = 0;
    const line: Segment[] = [];
    for (const field of lineText.split(',')) {
      if (field === '') continue;
      const values = decodeVlq(field);
      const seg = values.map((v, i) => (state[i] += v));
      line.push(seg);
    }
    lines.push(line);
  }
  return lines;
}

/** Encodes absolute segments per generated line as `mappings`. */
export function encodeMappings(lines: readonly Segment[][]): string {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((line) => {
      state[0] = 0;
      return line.map((seg) => seg.map((v, i) => encodeVlq(v - state[i], () => (state[i] = v))).join('')).join(',');
    })
    .join(';');
}

function decodeVlq(field: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of field) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/** Encodes one delta, then lets the caller advance its state. */
function encodeVlq(delta: number, advance: () => void): string {
  advance();
  let v = delta < 0 ? (-delta << 1) | 1 : delta << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += BASE64[digit];
  } while (v > 0);
  return out;
}

/** Translates offsets in `applyEdits(original, edits)` to offsets in `original`. */
export class EditedText {
  private readonly insertions: { pos: number; length: number }[];
  private readonly editedStarts: number[];
  private readonly originalStarts: number[];

  constructor(original: string, edited: string, edits: readonly Edit[]) {
    // applyEdits leaves insertions at one position in their list order.
    this.insertions = edits
      .map((e, i) => ({ pos: e.pos, length: e.text.length, i }))
      .sort((a, b) => a.pos - b.pos || a.i - b.i);
    this.editedStarts = lineStarts(edited);
    this.originalStarts = lineStarts(original);
  }

  /** The original offset of an edited offset; inserted text maps to where it was inserted. */
  originalOffset(edited: number): number {
    let shift = 0;
    for (const ins of this.insertions) {
      const start = ins.pos + shift;
      if (edited < start) break;
      if (edited < start + ins.length) return ins.pos;
      shift += ins.length;
    }
    return edited - shift;
  }

  /** 0-based line and column in the original for a 0-based edited line and column. */
  originalPosition(line: number, column: number): [number, number] {
    const offset = this.originalOffset((this.editedStarts[line] ?? 0) + column);
    return position(this.originalStarts, offset);
  }

  /** 0-based line and column in the original of an original offset. */
  originalLineAndColumn(offset: number): [number, number] {
    return position(this.originalStarts, offset);
  }

  /** 0-based line and column in the edited text of an edited offset. */
  editedPosition(offset: number): [number, number] {
    return position(this.editedStarts, offset);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): [number, number] {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return [lo, offset - starts[lo]];
}

/** Rewrites a map whose sources are edited texts so that it points at the originals. */
export function remapThroughEdits(map: RawSourceMap, edited: EditedText): RawSourceMap {
  const lines = decodeMappings(map.mappings).map((line) =>
    line.map((seg) => {
      if (seg.length < 4) return seg;
      const [l, c] = edited.originalPosition(seg[2], seg[3]);
      return [seg[0], seg[1], l, c, ...seg.slice(4)];
    }),
  );
  return { ...map, mappings: encodeMappings(lines) };
}

/** A map from the edited text to the original, one segment per token, for bundlers. */
export function editMap(source: string, original: string, editedText: string, edited: EditedText): RawSourceMap {
  const lines: Segment[][] = [];
  const token = /[A-Za-z0-9_$]+|\S/g;
  editedText.split('\n').forEach((text, lineNo) => {
    const line: Segment[] = [];
    const cols = new Set<number>([0]);
    for (const m of text.matchAll(token)) cols.add(m.index ?? 0);
    for (const col of [...cols].sort((a, b) => a - b)) {
      const [l, c] = edited.originalPosition(lineNo, col);
      line.push([col, 0, l, c]);
    }
    lines.push(line);
  });
  return { version: 3, sources: [source], sourcesContent: [original], names: [], mappings: encodeMappings(lines) };
}

/** A user source location a generated line came from (1-based line and column). */
export interface Origin {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Rewrites the map of a generated gradient module's JavaScript so that each statement
 * points at the user's line it was derived from (the `construct` or function line), not
 * at the readable `.grad.ts`. Lines with no origin (banner, imports, artifact) keep
 * pointing at the `.grad.ts`. `mapDir` is the folder of the map file, for relative sources.
 */
export function remapToOrigins(map: RawSourceMap, origins: readonly (Origin | undefined)[], mapDir: string): RawSourceMap {
  const sources = [...map.sources];
  const indexOf = (file: string) => {
    const rel = path.relative(mapDir, file).split(path.sep).join('/');
    let i = sources.indexOf(rel);
    if (i < 0) i = sources.push(rel) - 1;
    return i;
  };
  const lines = decodeMappings(map.mappings).map((line) =>
    line.map((seg) => {
      const origin = seg.length >= 4 ? origins[seg[2]] : undefined;
      if (!origin) return seg;
      return [seg[0], indexOf(origin.file), origin.line - 1, origin.column - 1];
    }),
  );
  return { ...map, sources, sourcesContent: undefined, mappings: encodeMappings(lines) };
}
