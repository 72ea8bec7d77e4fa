// Writes one tsgrad program that checks, for every differentiable primitive of the
// registry and every case of its domain, the compiled forward mode (`jvp`) and the
// second order (grad of the generated gradient) against float64 central differences.
// The program prints one line per check: `<op>#<case> <jvp|hvp> <relative error>`.
// Data are drawn by a seeded generator and written into the program as literals.

import { primitives } from '../../runtime/ops/registry.js';
import type { PrimitiveSpec } from '../../runtime/ops/primitive.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);

/** Ops with a domain and at least one reverse rule: what the registry promises is differentiable. */
export const differentiableSpecs = specs.filter((s) => s.domain && s.vjp && Object.keys(s.vjp).length > 0);

/** mulberry32: the same draws on every run. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tensorLiteral(next: () => number, shape: readonly number[], low: number, high: number): string {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, () => +(low + (high - low) * next()).toFixed(6));
  return `new Tensor([${values.join(', ')}], float64, { shape: ${JSON.stringify(shape)} })`;
}

/**
 * Reverse mode does not yet pass a variadic parameter's elements to its rule (concat's and
 * stack's vjp map over `tensors`), so their second order is not checked here; the jvp is.
 */
export function secondOrder(spec: PrimitiveSpec): boolean {
  return spec.variadic === undefined;
}

/** The program text, and the labels of the checks it prints. */
export function registryProgram(): { source: string; labels: string[] } {
  const lines: string[] = [
    `import { Tensor, float64, grad, jvp, ops } from 'tsgrad';`,
    `import { check } from './registry-support.js';`,
    '',
  ];
  const labels: string[] = [];
  differentiableSpecs.forEach((spec, si) => {
    spec.domain!.cases.forEach((c, ci) => {
      const next = rng(7000 + 31 * si + ci);
      const label = `${spec.name}#${ci}`;
      const fname = `f_${spec.name}_${ci}`;
      const params: string[] = [];
      const values: string[] = [];
      const callArgs = spec.params.map((p) => {
        const range = spec.domain!.ranges[p];
        const value = c[p];
        // A variadic parameter, or an array of tensors read only for their shapes (concatPad).
        if (range && Array.isArray(value) && value.some(Array.isArray)) {
          const names = (value as number[][]).map((shape, k) => {
            params.push(`${p}${k}: Tensor`);
            values.push(tensorLiteral(next, shape, range[0], range[1]));
            return `${p}${k}`;
          });
          return `[${names.join(', ')}]`;
        }
        if (range) {
          params.push(`${p}: Tensor`);
          values.push(tensorLiteral(next, value as number[], range[0], range[1]));
          return p;
        }
        return value === undefined ? 'undefined' : JSON.stringify(value);
      });
      while (callArgs.length > 0 && callArgs[callArgs.length - 1] === 'undefined') callArgs.pop();
      const positions = params.map((_, i) => i);
      const xs = `${fname}_xs`;
      lines.push(
        `function ${fname}(${params.join(', ')}): Tensor {`,
        `  return ops.${spec.name}(${callArgs.join(', ')});`,
        '}',
        `function ${fname}_s(${params.join(', ')}): Tensor {`,
        `  const fy = ${fname}(${params.map((p) => p.split(':')[0]).join(', ')});`,
        '  return ops.sum(ops.mul(ops.mul(fy, fy), fy));',
        '}',
        `const ${xs}: Tensor[] = [${values.join(', ')}];`,
        `check(${JSON.stringify(label)}, ${fname} as never, ${xs},`,
        `  (ts) => jvp(${fname}, [${positions.map((i) => `${xs}[${i}]`).join(', ')}], [${positions.map((i) => `ts[${i}]`).join(', ')}])[1],`,
        ...(secondOrder(spec)
          ? [
              `  (...a) => grad(${fname}_s, { gradPosition: ${JSON.stringify(positions)} })(${positions.map((i) => `a[${i}]`).join(', ')}),`,
              `  (...a) => grad(grad(${fname}_s, { gradPosition: ${JSON.stringify(positions)} }), { gradPosition: ${JSON.stringify(positions)} })(${positions.map((i) => `a[${i}]`).join(', ')}));`,
            ]
          : ['  undefined, undefined);']),
        '',
      );
      labels.push(label);
    });
  });
  return { source: lines.join('\n'), labels };
}

/** The run-time half of the program: finite differences and error reporting. */
export const registrySupport = `// Finite differences for the registry program (written by test/helpers/registryProgram.ts).
import { Tensor, float64 } from 'tsgrad';

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function along(x: Tensor, e: Tensor, h: number): Tensor {
  const out = new Float64Array(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i] + h * e.data[i];
  return Tensor.fromData(out, [...x.shape], float64);
}

function total(v: unknown): number {
  const list = (Array.isArray(v) ? v : [v]) as Tensor[];
  let s = 0;
  for (const t of list) for (const x of t.data) s += x;
  return s;
}

function flat(v: unknown): number[] {
  const list = (Array.isArray(v) ? v : [v]) as Tensor[];
  return list.flatMap((t) => Array.from(t.data));
}

function relError(got: number[], want: number[]): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}

/** Prints "<label> jvp <err>" and "<label> hvp <err>": compiled vs central differences along random directions. */
export function check(
  label: string,
  f: (...xs: Tensor[]) => Tensor,
  xs: Tensor[],
  jvpOf: (tangents: Tensor[]) => Tensor,
  gradOf: ((...xs: Tensor[]) => unknown) | undefined,
  grad2Of: ((...xs: Tensor[]) => unknown) | undefined,
): void {
  try {
    run(label, f, xs, jvpOf, gradOf, grad2Of);
  } catch (e) {
    console.log(label + ' jvp NaN');
    console.log(label + ' hvp NaN');
    console.error(label + ': ' + (e as Error).message);
  }
}

function run(
  label: string,
  f: (...xs: Tensor[]) => Tensor,
  xs: Tensor[],
  jvpOf: (tangents: Tensor[]) => Tensor,
  gradOf: ((...xs: Tensor[]) => unknown) | undefined,
  grad2Of: ((...xs: Tensor[]) => unknown) | undefined,
): void {
  const next = rng(label.length * 977 + label.charCodeAt(0));
  const es = xs.map((x) => Tensor.fromData(Float64Array.from({ length: x.size }, () => next() * 2 - 1), [...x.shape], float64));
  const h = 1e-5;
  const plus = f(...xs.map((x, i) => along(x, es[i], h)));
  const minus = f(...xs.map((x, i) => along(x, es[i], -h)));
  const fd = Array.from(plus.data, (p, i) => (p - minus.data[i]) / (2 * h));
  console.log(label + ' jvp ' + relError(flat(jvpOf(es)), fd).toExponential(2));
  if (!gradOf || !grad2Of) return;
  // Second order: d/de of G(x) = Σ first-order gradients, against ⟨∇G, e⟩ from grad(grad).
  const G = (ys: Tensor[]) => total(gradOf(...ys));
  const fd2 = (G(xs.map((x, i) => along(x, es[i], h))) - G(xs.map((x, i) => along(x, es[i], -h)))) / (2 * h);
  const g2 = grad2Of(...xs);
  const list = (Array.isArray(g2) ? g2 : [g2]) as Tensor[];
  let dot = 0;
  list.forEach((t, i) => t.data.forEach((v, k) => (dot += v * es[i].data[k])));
  console.log(label + ' hvp ' + relError([dot], [fd2]).toExponential(2));
}
`;
