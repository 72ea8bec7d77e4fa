// Runs random programs through the real pipeline: many programs per file (a ts-morph
// project costs about a second), files compiled and run by `tsgrad run` in parallel child
// processes with a timeout. Every program ends as ok, or as a failure with its reason:
// a wrong or misshapen gradient, a run-time throw, a diagnostic on valid code, a crash.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Program, Recipe, buildProgram, header } from './generate.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fuzzDir = path.join(repoRoot, '.tsgrad', 'fuzz');

export interface Outcome {
  readonly id: string;
  readonly ok: boolean;
  readonly why?: string;
  readonly skipped?: string;
  readonly program: Program;
}

export interface Proc {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs node with `args` in the repository, killed after `timeoutMs`. */
export function node(args: string[], timeoutMs: number): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

/** Writes programs into one file; returns the file and each program's first and last line. */
function writeChunk(name: string, programs: Program[]): { file: string; lines: Map<string, [number, number]> } {
  mkdirSync(fuzzDir, { recursive: true });
  const parts = [header];
  const lines = new Map<string, [number, number]>();
  let line = header.split('\n').length;
  for (const p of programs) {
    const n = p.source.split('\n').length;
    lines.set(p.id, [line + 1, line + n]);
    parts.push(p.source);
    line += n;
  }
  const file = path.join(fuzzDir, `${name}.ts`);
  writeFileSync(file, parts.join('\n') + '\n');
  return { file, lines };
}

const cli = () => path.join(repoRoot, 'dist/cli/index.js');

/** Compiles and runs programs in one process; splits the set when the process itself fails. */
async function runChunk(name: string, programs: Program[], timeoutMs: number): Promise<Outcome[]> {
  if (programs.length === 0) return [];
  const { file, lines } = writeChunk(name, programs);
  const r = await node([cli(), 'run', file], timeoutMs);
  const results = new Map<string, { ok: boolean; why?: string; skipped?: string }>();
  for (const l of r.stdout.split('\n')) {
    if (!l.startsWith('{')) continue;
    try {
      const j = JSON.parse(l) as { id: string; ok: boolean; why?: string; skipped?: string };
      results.set(j.id, j);
    } catch {
      // not ours
    }
  }
  // Diagnostics on programs the generator meant to be valid: fail those, run the rest.
  const diagnosed = new Map<string, string>();
  const base = path.basename(file);
  for (const l of r.stderr.split('\n')) {
    const m = l.match(/([^\s:]+\.ts):(\d+):(\d+)/);
    if (!m || path.basename(m[1]) !== base || !/TSG\d{4}/.test(l) || /warning/.test(l)) continue;
    const at = Number(m[2]);
    // The file by its name only, so that a known failure reads the same in any checkout.
    const why = `compile error: ${l.trim().replace(m[1], base)}`;
    for (const [id, [from, to]] of lines) if (at >= from && at <= to && !diagnosed.has(id)) diagnosed.set(id, why);
  }
  if (diagnosed.size > 0 && results.size === 0) {
    const failed = programs.filter((p) => diagnosed.has(p.id)).map((p) => ({ id: p.id, ok: false, why: diagnosed.get(p.id), program: p }));
    const rest = await runChunk(name, programs.filter((p) => !diagnosed.has(p.id)), timeoutMs);
    return [...failed, ...rest];
  }
  if (results.size === 0 && programs.length > 1 && (r.status !== 0 || r.timedOut)) {
    const half = Math.ceil(programs.length / 2);
    return [...(await runChunk(`${name}a`, programs.slice(0, half), timeoutMs)), ...(await runChunk(`${name}b`, programs.slice(half), timeoutMs))];
  }
  const trouble = r.timedOut ? `timed out after ${timeoutMs} ms` : r.status !== 0 ? `exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 6).join(' | ')}` : 'no result printed';
  return programs.map((p) => {
    const j = results.get(p.id);
    if (j) return { id: p.id, ok: j.ok, why: j.why, skipped: j.skipped, program: p };
    return { id: p.id, ok: false, why: trouble, program: p };
  });
}

/** Builds and runs programs from recipes, `perFile` to a file, `workers` files at a time. */
export async function runRecipes(
  tag: string,
  recipes: readonly Recipe[],
  { perFile = 40, workers = Math.max(1, Math.min(2, os.availableParallelism())), timeoutMs = 120_000 } = {},
): Promise<Outcome[]> {
  const programs = recipes.map((r, i) => buildProgram(`${tag}_${i}`, r));
  const chunks: Program[][] = [];
  for (let i = 0; i < programs.length; i += perFile) chunks.push(programs.slice(i, i + perFile));
  const out: Outcome[][] = new Array(chunks.length);
  let nextChunk = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (nextChunk < chunks.length) {
        const k = nextChunk++;
        out[k] = await runChunk(`${tag}-${k}`, chunks[k], timeoutMs);
      }
    }),
  );
  return out.flat();
}

/** A failure as a reader needs it: the reason and the program's source. */
export function describeFailure(o: Outcome): string {
  return `${o.id} (${o.program.summary}): ${o.why}\n${header}${o.program.source}\n`;
}

/** What kind of failure: its message with numbers and generated names taken out. */
export function failureKind(why: string | undefined): string {
  return (why ?? '').replace(/\b[a-z_]*\d+\b/gi, '#').replace(/-?\d[\d.e+-]*/g, '#').slice(0, 80);
}

/**
 * Shrinks a failing recipe: tries removing runs of choices, zeroing and halving them, and
 * a smaller data seed, a batch of candidates per process, keeping the first candidate that
 * fails the same way. Returns the smallest failing outcome found within `rounds`.
 */
export async function shrink(failing: Outcome, recipe: Recipe, rounds = 4): Promise<{ outcome: Outcome; recipe: Recipe }> {
  const kind = failureKind(failing.why);
  let best = { outcome: failing, recipe };
  for (let round = 0; round < rounds; round++) {
    const cs = best.recipe.choices;
    const candidates: Recipe[] = [];
    for (const size of [32, 16, 8, 4, 2, 1]) {
      for (let at = 0; at + size <= cs.length; at += size) candidates.push({ ...best.recipe, choices: [...cs.slice(0, at), ...cs.slice(at + size)] });
    }
    cs.forEach((v, i) => {
      if (v !== 0) candidates.push({ ...best.recipe, choices: cs.map((x, k) => (k === i ? 0 : x)) });
      if (v > 1) candidates.push({ ...best.recipe, choices: cs.map((x, k) => (k === i ? Math.floor(x / 2) : x)) });
    });
    if (best.recipe.seed !== 0) candidates.push({ ...best.recipe, seed: 0 });
    let found = false;
    for (let i = 0; i < candidates.length && !found; i += 48) {
      const batch = candidates.slice(i, i + 48);
      const outcomes = await runRecipes(`s${round}_${i}`, batch, { perFile: 24 });
      const k = outcomes.findIndex((o) => !o.ok && failureKind(o.why) === kind);
      if (k >= 0) {
        best = { outcome: outcomes[k], recipe: batch[k] };
        found = true;
      }
    }
    if (!found) break;
  }
  return best;
}
