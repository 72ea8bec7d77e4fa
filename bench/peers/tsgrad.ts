// tsgrad as a peer: the workloads of bench/workloads/tsgrad.ts, compiled by tsgrad's own
// compiler (`buildForRun`, the door behind `tsgrad run`) and imported from the output.
// Its forward rows time the compiled forwards (`jit(f)`); `tsgradEagerPeer` times the same
// functions run op by op, as a column of its own, so both stay in view.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../compiler/1-parse/project.js';
import { buildForRun } from '../../compiler/doors/program.js';
import { formatDiagnostic } from '../../compiler/diagnostics.js';
import { Tensor } from '../../runtime/tensor.js';
import { Impl, Peer, WorkloadId, flat, inputs } from '../harness.js';

/** The compiled workload module (typed loosely: it is built at run time). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Workloads = any;

/** Compiles bench/workloads/tsgrad.ts with its gradients and imports it. */
export async function compileWorkloads(): Promise<{ module: Workloads; seconds: number; warnings: string[] }> {
  const t0 = performance.now();
  const built = buildForRun(path.join(packageRoot(), 'bench', 'workloads', 'tsgrad.ts'));
  const errors = built.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`bench: the workloads do not compile:\n${errors.map(formatDiagnostic).join('\n')}`);
  const module = await import(pathToFileURL(built.entry).href);
  const warnings = built.diagnostics.map((d) => formatDiagnostic(d).split('\n')[0]);
  return { module, seconds: (performance.now() - t0) / 1000, warnings };
}

const f32 = (data: Float32Array, shape: number[]) => Tensor.fromData(data.slice(), shape);

function tensorImpl(forward: () => Tensor, gradient: () => Tensor | Tensor[]): Impl {
  return {
    forward,
    gradient,
    values: () => {
      const g = gradient();
      return flat((Array.isArray(g) ? g : [g]).map((t) => t.data));
    },
  };
}

/** Copies the shared MLP weights into the workload's Parameters. */
export function loadMlpWeights(w: Workloads): void {
  const { w1, b1, w2, b2 } = inputs.mlp;
  w.mlp.w1.data.set(w1);
  w.mlp.b1.data.set(b1);
  w.mlp.w2.data.set(w2);
  w.mlp.b2.data.set(b2);
}

/** tsgrad: compiled forwards (`jit`) and compiled gradients. */
export function tsgradPeer(w: Workloads): Peer {
  return workloadsPeer(w, 'jit');
}

/** The same forwards run op by op (eager ops, no jit); the gradients are tsgrad's own column. */
export function tsgradEagerPeer(w: Workloads): Peer {
  const peer = workloadsPeer(w, 'eager');
  const missing = Object.fromEntries(Object.keys(peer.workloads).map((id) => [id, 'compiled (= tsgrad)']));
  return { name: 'tsgrad eager', workloads: peer.workloads, missing };
}

function workloadsPeer(w: Workloads, forward: 'jit' | 'eager'): Peer {
  const f = forward === 'jit'
    ? { rosenbrock: w.rosenbrockJit, rosenbrockNumbers: w.rosenbrockNumbersJit, mlpLoss: w.mlpLossJit, chain: w.chainJit, sine: w.sineJit, seedNet: w.seedJit }
    : { rosenbrock: w.rosenbrock, rosenbrockNumbers: w.rosenbrockNumbers, mlpLoss: w.mlpLoss, chain: w.chain, sine: w.sine, seedNet: w.seedNet };
  const r10 = f32(inputs.rosen10, [10]);
  const r1000 = f32(inputs.rosen1000, [1000]);
  const n10 = Array.from(inputs.rosen10);
  const n1000 = Array.from(inputs.rosen1000);
  loadMlpWeights(w);
  const mx = f32(inputs.mlp.x, [64, 784]);
  const my = f32(inputs.mlp.y, [64, 10]);
  const c6 = f32(inputs.chain1e6, [1e6]);
  const s1 = f32(inputs.sin1, [1]);
  const c4 = f32(inputs.chain1e4, [1e4]);
  const sx = f32(inputs.seed.x, [1]);
  const sy = f32(inputs.seed.y, [1]);
  const workloads: Partial<Record<WorkloadId, Impl>> = {
    'W1 rosenbrock n=10': tensorImpl(() => f.rosenbrock(r10), () => w.rosenbrockGrad(r10)),
    'W1 rosenbrock n=1000': tensorImpl(() => f.rosenbrock(r1000), () => w.rosenbrockGrad(r1000)),
    'W2 MLP 784-128-10 b64': tensorImpl(() => f.mlpLoss(mx, my), () => w.mlpGrad(mx, my)),
    'W3 sin·cos·x 1e6': tensorImpl(() => f.chain(c6), () => w.chainGrad(c6)),
    'W4a sin″ (1 element)': tensorImpl(() => f.sine(s1), () => w.sineGrad2(s1)),
    'W4b chain″ 1e4': tensorImpl(() => f.chain(c4), () => w.chainGrad2(c4)),
    'W5 seed x·x·y·z': tensorImpl(() => f.seedNet(sx, sy), () => w.seedGrad(sx, sy)),
  };
  const missing: Partial<Record<WorkloadId, string>> = {};
  for (const [id, x] of [['W1 number code n=10', n10], ['W1 number code n=1000', n1000]] as const) {
    if (typeof w.rosenbrockNumbersGrad === 'function') {
      workloads[id] = { forward: () => f.rosenbrockNumbers(x), gradient: () => w.rosenbrockNumbersGrad(x), values: () => w.rosenbrockNumbersGrad(x) };
    } else {
      // Time the forward; the gradient of a number[] function does not compile yet (TSG3001).
      workloads[id] = { forward: () => f.rosenbrockNumbers(x), gradient: () => undefined, values: () => [] };
      missing[id] = 'TSG3001';
    }
  }
  return { name: 'tsgrad', workloads, missing };
}
