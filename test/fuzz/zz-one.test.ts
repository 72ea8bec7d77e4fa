import fc from 'fast-check';
import { it } from 'vitest';
import { recipeArb } from './programs/generate.js';
import { describeFailure, runRecipes, shrink } from './programs/run.js';
it('one', async () => {
  const recipes = fc.sample(recipeArb, { seed: 20240607, numRuns: 300 });
  const ids = (process.env.IDS ?? '').split(',').map(Number);
  for (const id of ids) {
    const [o] = await runRecipes(`one${id}`, [recipes[id]]);
    if (o.ok) { console.log(id, 'ok'); continue; }
    const small = await shrink(o, recipes[id], 8);
    console.log(describeFailure(small.outcome));
  }
}, 900_000);
