// Random differentiable programs (test/fuzz/programs/generate.ts), compiled by the real
// pipeline and run: every gradient, at first order and second order (also through loops and recursion),
// matches float64 central finite differences, with the input's shape and dtype. About one
// program in eight has a second beside it that calls grad or valueAndGrad inside
// differentiated code (programs/grad-inside.ts), whose reference takes those inner gradients
// by finite differences too.
// A seeded batch runs in CI; `npm run fuzz -- --runs N [--seed S]` runs deeper. A failure
// is shrunk and its program printed.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recipeArb } from './programs/generate.js';
import { describeFailure, failureKind, runRecipes, shrink } from './programs/run.js';

const runs = Number(process.env.FUZZ_RUNS ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? 20240607);
// The seeded batch's failures from bugs reported and not yet fixed (see the bug repros in
// fixtures/fuzz/bugs and test/fuzz/bugs.test.ts): id → the failure's exact message, or
// { why: that message, bug: the repro and what is wrong }. Any other failure fails CI;
// a listed program that passes is reported so the list can shrink. `npm run fuzz` is strict.
type Known = string | { why: string; bug: string };
const known: Record<string, Known> =
  seed === 20240607 && runs === 300 && !process.env.FUZZ_STRICT ? JSON.parse(readFileSync(new URL('./known-failures.json', import.meta.url), 'utf8')) : {};
const knownWhy = (id: string) => {
  const k = known[id];
  return typeof k === 'string' ? k : k?.why;
};
const shrinkKinds = Number(process.env.FUZZ_SHRINK_KINDS ?? 1);

describe('random programs', () => {
  it(`${runs} programs (seed ${seed}) match finite differences`, async () => {
    const recipes = fc.sample(recipeArb, { seed, numRuns: runs });
    const outcomes = await runRecipes('p', recipes);
    const failed = outcomes.filter((o) => !o.ok && knownWhy(o.id) !== o.why);
    const fixed = outcomes.filter((o) => o.ok && known[o.id]);
    if (fixed.length > 0) console.log(`now passing (remove from known-failures.json): ${fixed.map((o) => o.id).join(', ')}`);
    // The failures first: shrinking one (a grad-inside program's choices come last, so it
    // shrinks slowly) can take the rest of the test's time.
    console.log(`${outcomes.length} programs, ${outcomes.filter((o) => o.skipped).length} skipped (non-finite), ${failed.length} failed`);
    for (const f of failed) console.log(`${f.id} (${f.program.summary}): ${f.why}`);
    const shown = new Set<string>();
    for (const f of failed) {
      const kind = failureKind(f.why);
      if (shown.has(kind) || shown.size >= shrinkKinds) continue;
      shown.add(kind);
      const small = await shrink(f, recipes[Number(f.id.split('_')[1])]);
      console.error(`shrunk (choices ${JSON.stringify(small.recipe.choices)}, seed ${small.recipe.seed}):\n${describeFailure(small.outcome)}`);
    }
    expect(outcomes.length).toBe(runs);
    expect(failed.map((f) => `${f.id}: ${f.why}`)).toEqual([]);
  }, 900_000);
});
