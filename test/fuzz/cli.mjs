#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S] [--shrink]`: the random-program fuzzer, deeper than
// CI's seeded batch. Runs vitest on test/fuzz/programs.test.ts with those settings.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') env.FUZZ_RUNS = args[++i];
  else if (args[i] === '--seed') env.FUZZ_SEED = args[++i];
  else if (args[i] === '--shrink') env.FUZZ_SHRINK_KINDS = '3';
  else {
    console.error(`fuzz: unknown option ${args[i]} (expected --runs N, --seed S, --shrink)`);
    process.exit(2);
  }
}
env.FUZZ_STRICT = '1';
if (!env.FUZZ_SEED) env.FUZZ_SEED = String(Date.now() % 1_000_000);
console.log(`fuzz: ${env.FUZZ_RUNS ?? 300} programs, seed ${env.FUZZ_SEED}`);
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz/programs.test.ts'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
