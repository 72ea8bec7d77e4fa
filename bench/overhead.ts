// The overhead-bound workloads (W1 n=10, W4a, W5), tsgrad against hand-written code in one
// process, timed in CPU time (`process.cpuUsage`) in interleaved rounds. A call of these
// costs 0.03–0.2 µs, and on a shared machine the wall-clock medians of `npm run bench`
// swing by 2× from run to run (the hand-written side most); CPU time leaves out the time
// the process waits for a core, and interleaving gives both sides the same conditions in
// each round. The ratio is taken per round, so a round's disturbance divides out.
// Run: `npx tsc -p . && node dist/bench/overhead.js [rounds]`.

import { pathToFileURL } from 'node:url';
import { Impl, WorkloadId } from './harness.js';
import { handPeer } from './peers/hand.js';
import { compileWorkloads, tsgradPeer } from './peers/tsgrad.js';

const workloads: WorkloadId[] = ['W1 rosenbrock n=10', 'W1 number code n=10', 'W4a sin″ (1 element)', 'W5 seed x·x·y·z'];

/** CPU microseconds per call of `run`, over `calls` calls. */
function cpuMicros(run: () => unknown, calls: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) run();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / calls;
}

/** How many calls take about `ms` milliseconds. */
function callsFor(run: () => unknown, ms: number): number {
  let calls = 1000;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) run();
    const took = performance.now() - t0;
    if (took >= ms / 4) return Math.max(1000, Math.round((calls * ms) / took));
    calls *= 4;
  }
}

interface Row {
  readonly workload: WorkloadId;
  readonly kind: 'fwd' | 'fwd+grad';
  readonly tsgrad: number[];
  readonly hand: number[];
}

function measure(workload: WorkloadId, kind: Row['kind'], ours: Impl, theirs: Impl, rounds: number): Row {
  const pick = (impl: Impl) => (kind === 'fwd' ? () => impl.forward() : () => impl.gradient());
  const [a, b] = [pick(ours), pick(theirs)];
  const calls = Math.max(callsFor(a, 40), callsFor(b, 40));
  const row: Row = { workload, kind, tsgrad: [], hand: [] };
  for (let r = 0; r < rounds; r++) {
    row.tsgrad.push(cpuMicros(a, calls));
    row.hand.push(cpuMicros(b, calls));
  }
  return row;
}

const median = (xs: readonly number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1];

export async function runOverhead(rounds = 9): Promise<Row[]> {
  const { module } = await compileWorkloads();
  const ours = tsgradPeer(module).workloads;
  const theirs = handPeer().workloads;
  const rows: Row[] = [];
  for (const id of workloads) {
    for (const kind of ['fwd', 'fwd+grad'] as const) rows.push(measure(id, kind, ours[id]!, theirs[id]!, rounds));
  }
  return rows;
}

export function printOverhead(rows: readonly Row[]): void {
  console.log('| workload |  | tsgrad (CPU µs) | hand-written (CPU µs) | tsgrad/hand, median of rounds | lowest–highest |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    const ratios = r.tsgrad.map((t, i) => t / r.hand[i]).sort((p, q) => p - q);
    const [lo, hi] = [ratios[0], ratios[ratios.length - 1]];
    console.log(`| ${r.workload} | ${r.kind} | ${median(r.tsgrad).toFixed(3)} | ${median(r.hand).toFixed(3)} | ${median(ratios).toFixed(2)} | ${lo.toFixed(2)}–${hi.toFixed(2)} |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  printOverhead(await runOverhead(Number(process.argv[2] ?? 9)));
}
