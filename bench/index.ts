// `npm run bench`: tsgrad against hand-written loops, TensorFlow.js (cpu and wasm) and
// jax-js (eager and jit) on the same workloads, in one table. Every peer's gradient is
// checked against tsgrad's before it is timed; times are medians after warm-up. Then 1000
// training steps show whether memory holds steady. Set TSGRAD_BENCH_BUDGET (ms per
// measurement, default 250) to trade precision for time. For a quick look at a few rows,
// TSGRAD_BENCH_ONLY picks workloads by a comma-separated list of substrings ("W1,W5") and
// TSGRAD_BENCH_PEERS the peers ("jax-js jit", or "none"); the memory run is then skipped.
import os from 'node:os';
import { Peer, WorkloadId, formatMs, formatRatio, gradientError, timeMs, workloadIds } from './harness.js';
import { handPeer } from './peers/hand.js';
import { compileWorkloads, tsgradEagerPeer, tsgradPeer } from './peers/tsgrad.js';
import { trainingMemory } from './memory.js';

const budget = Number(process.env.TSGRAD_BENCH_BUDGET ?? 250);
const onlyWorkloads = process.env.TSGRAD_BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const onlyPeers = process.env.TSGRAD_BENCH_PEERS?.split(',').map((s) => s.trim());
const partial = onlyWorkloads !== undefined || onlyPeers !== undefined;
const chosenIds = workloadIds.filter((id) => !onlyWorkloads || onlyWorkloads.some((w) => id.includes(w)));

interface Cell {
  forward?: number;
  gradient?: number;
  note?: string;
}
type Results = Map<string, Map<WorkloadId, Cell>>;

const peerFactories: [string, () => Promise<Peer>][] = [
  ['tfjs-cpu', async () => (await import('./peers/tfjs.js')).tfjsPeer('cpu')],
  ['tfjs-wasm', async () => (await import('./peers/tfjs.js')).tfjsPeer('wasm')],
  ['jax-js eager', async () => (await import('./peers/jax.js')).jaxPeer('eager')],
  ['jax-js jit', async () => (await import('./peers/jax.js')).jaxPeer('jit')],
];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Times every workload of `peer`; gradients are first checked against `reference`. */
function measure(peer: Peer, reference: Map<WorkloadId, ArrayLike<number>>, results: Results): void {
  const cells = new Map<WorkloadId, Cell>();
  results.set(peer.name, cells);
  for (const id of chosenIds) {
    const impl = peer.workloads[id];
    const missing = peer.missing?.[id];
    if (!impl) {
      cells.set(id, { note: missing ?? '—' });
      continue;
    }
    const cell: Cell = {};
    cells.set(id, cell);
    const t0 = performance.now();
    try {
      if (!missing) {
        const want = reference.get(id);
        if (want) {
          const err = gradientError(impl.values(), want);
          if (err > 2e-3) cell.note = `gradient differs (${err.toExponential(1)})`;
        }
      }
      cell.forward = timeMs(() => impl.forward(), budget).ms;
      if (missing) cell.note = missing;
      else if (!cell.note) cell.gradient = timeMs(() => impl.gradient(), budget).ms;
    } catch (e) {
      cell.note = `failed: ${(e as Error).message.split('\n')[0].slice(0, 60)}`;
    }
    log(`  ${peer.name.padEnd(13)} ${id.padEnd(24)} fwd ${cell.forward === undefined ? '-' : formatMs(cell.forward)}  grad ${cell.gradient === undefined ? cell.note ?? '-' : formatMs(cell.gradient)}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}

function table(results: Results, order: string[]): string {
  const peers = order.filter((p) => p !== 'tsgrad' && p !== 'hand-written' && results.has(p));
  const head = ['workload', '', 'tsgrad', 'grad/fwd', 'hand-written', 'tsgrad/hand', ...peers.map((p) => `${p} (tsgrad ×faster)`)];
  const rows: string[][] = [];
  for (const id of chosenIds) {
    for (const kind of ['forward', 'gradient'] as const) {
      const ours = results.get('tsgrad')?.get(id);
      const hand = results.get('hand-written')?.get(id);
      const t = ours?.[kind];
      const h = hand?.[kind];
      const cell = (c: Cell | undefined): string => {
        const v = c?.[kind];
        if (v === undefined) return c?.note ?? '—';
        return t === undefined ? formatMs(v) : `${formatMs(v)} (${formatRatio(v / t)})`;
      };
      rows.push([
        kind === 'forward' ? id : '',
        kind === 'forward' ? 'fwd' : 'fwd+grad',
        t === undefined ? ours?.note ?? '—' : formatMs(t),
        kind === 'gradient' && t !== undefined && ours?.forward ? `${(t / ours.forward).toFixed(2)}` : '',
        h === undefined ? hand?.note ?? '—' : formatMs(h),
        t !== undefined && h !== undefined ? `${(t / h).toFixed(2)}` : '',
        ...peers.map((p) => cell(results.get(p)?.get(id))),
      ]);
    }
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  log('compiling bench/workloads/tsgrad.ts with tsgrad…');
  const compiled = await compileWorkloads();
  log(`  compiled in ${compiled.seconds.toFixed(1)} s${compiled.warnings.length ? `; ${compiled.warnings.length} diagnostic(s):` : ''}`);
  for (const w of compiled.warnings) log(`  ${w}`);

  const results: Results = new Map();
  const order = ['tsgrad', 'hand-written'];
  const hand = handPeer();
  const ours = tsgradPeer(compiled.module);
  const reference = new Map<WorkloadId, ArrayLike<number>>();
  const handValues = new Map<WorkloadId, ArrayLike<number>>();
  for (const id of chosenIds) {
    const h = hand.workloads[id];
    if (h) handValues.set(id, h.values());
    const t = ours.workloads[id];
    reference.set(id, t && !ours.missing?.[id] ? t.values() : handValues.get(id)!);
  }
  log('hand-written (checked against tsgrad):');
  measure(hand, reference, results);
  log('tsgrad (checked against hand-written):');
  measure(ours, handValues, results);
  // The forwards run op by op, beside the compiled ones (jit) that the tsgrad column times.
  log('tsgrad eager (forwards op by op):');
  measure(tsgradEagerPeer(compiled.module), reference, results);
  order.push('tsgrad eager');

  let memory: ReturnType<typeof trainingMemory> | undefined;
  if (!partial) {
    log('memory: 1000 training steps (valueAndGrad + Adam, W2 MLP)…');
    memory = trainingMemory(compiled.module);
  }

  for (const [name, make] of peerFactories) {
    if (onlyPeers && !onlyPeers.includes(name)) continue;
    log(`${name}:`);
    let peer: Peer;
    try {
      peer = await make();
    } catch (e) {
      log(`  unavailable: ${(e as Error).message}`);
      results.set(name, new Map(chosenIds.map((id) => [id, { note: 'unavailable' }])));
      order.push(name);
      continue;
    }
    measure(peer, reference, results);
    peer.release?.();
    order.push(name);
  }

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const when = new Date().toISOString().slice(0, 10);
  const out: string[] = [];
  out.push(`tsgrad benchmark, ${when}, ${cpu} (${os.cpus().length} cores), Node ${process.version}, ${os.platform()} ${os.arch()}`);
  out.push('Median time per call after warm-up; "×N" = how many times faster tsgrad is than that peer (below 1: slower).');
  out.push('Every peer\'s gradient was checked against tsgrad\'s before timing ("gradient differs" otherwise).');
  out.push('tsgrad\'s forward rows time the compiled forward, jit(f); "tsgrad eager" times f itself, run op by op.');
  out.push('');
  out.push(table(results, order));
  out.push('');
  if (memory) out.push(...memoryTable(memory));
  out.push(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function memoryTable(memory: ReturnType<typeof trainingMemory>): string[] {
  const out: string[] = [];
  const s = memory.samples;
  const first = s[0];
  const last = s[s.length - 1];
  out.push(`Memory over 1000 training steps (W2 MLP, valueAndGrad + Adam, ${memory.msPerStep.toFixed(2)} ms/step), after GC:`);
  out.push('');
  out.push(`| step | ${s.map((m) => m.step).join(' | ')} |`);
  out.push(`| --- | ${s.map(() => '---').join(' | ')} |`);
  out.push(`| heap used (MB) | ${s.map((m) => m.heapMB.toFixed(1)).join(' | ')} |`);
  out.push(`| array buffers (MB) | ${s.map((m) => m.arrayBuffersMB.toFixed(1)).join(' | ')} |`);
  out.push(`| rss (MB) | ${s.map((m) => m.rssMB.toFixed(0)).join(' | ')} |`);
  out.push('');
  out.push(
    `Growth from step ${first.step} to ${last.step}: heap ${(last.heapMB - first.heapMB).toFixed(2)} MB, array buffers ${(last.arrayBuffersMB - first.arrayBuffersMB).toFixed(2)} MB, rss ${(last.rssMB - first.rssMB).toFixed(1)} MB.`,
  );
  return out;
}

await main();
