// Registry-driven gradient checks: for every differentiable primitive and every case of
// its domain, each vjp rule and each jvp rule, run on real float64 tensors, against
// central finite differences of the op's kernel (random cotangents and directions).
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../runtime/index.js';
import { primitives } from '../../../runtime/ops/registry.js';
import type { PrimitiveSpec } from '../../../runtime/ops/primitive.js';
import { centralDifference, dot, maxRelError, randomTensor } from '../../helpers/finiteDiff.js';
import { Rng } from '../../helpers/rng.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);
const differentiable = specs.filter((s) => s.vjp && Object.keys(s.vjp).length > 0);

type Args = Record<string, unknown>;

/** The arguments of one domain case: tensors for ranged parameters, literals otherwise. */
function buildArgs(spec: PrimitiveSpec, c: Record<string, unknown>, rng: Rng): Args {
  const args: Args = {};
  for (const p of spec.params) {
    const range = spec.domain!.ranges[p];
    if (range && Array.isArray(c[p]) && (c[p] as unknown[]).some(Array.isArray)) args[p] = (c[p] as number[][]).map((s) => randomTensor(rng, s, range[0], range[1]));
    else if (range) args[p] = randomTensor(rng, c[p] as number[], range[0], range[1]);
    else args[p] = c[p];
  }
  return args;
}

function call(spec: PrimitiveSpec, args: Args): Tensor {
  return spec.kernel(...spec.params.map((p) => args[p])) as Tensor;
}

/** The input slots a rule differentiates: [param, element index for a variadic param]. */
function slots(spec: PrimitiveSpec, args: Args): [string, number | undefined][] {
  const out: [string, number | undefined][] = [];
  for (const p of Object.keys(spec.vjp ?? {})) {
    if (!spec.domain!.ranges[p]) continue;
    if (p === spec.variadic) (args[p] as Tensor[]).forEach((_, i) => out.push([p, i]));
    else out.push([p, undefined]);
  }
  return out;
}

function valueAt(args: Args, p: string, i: number | undefined): Tensor {
  return i === undefined ? (args[p] as Tensor) : (args[p] as Tensor[])[i];
}

function withValue(args: Args, p: string, i: number | undefined, v: Tensor): Args {
  if (i === undefined) return { ...args, [p]: v };
  const list = [...(args[p] as Tensor[])];
  list[i] = v;
  return { ...args, [p]: list };
}

function asTensor(v: unknown): Tensor {
  return v instanceof Tensor ? v : new Tensor(v as number, 'float64');
}

describe.each(differentiable.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
  spec.domain!.cases.forEach((c, ci) => {
    it(`vjp and jvp match central differences (case ${ci}: ${JSON.stringify(c)})`, () => {
      const rng = new Rng(1000 + ci);
      const args = buildArgs(spec, c, rng);
      const out = call(spec, args);
      const dy = randomTensor(rng, out.shape);
      for (const [p, i] of slots(spec, args)) {
        const x = valueAt(args, p, i);
        const e = randomTensor(rng, x.shape);
        const f = (v: Tensor) => call(spec, withValue(args, p, i, v));
        const fd = centralDifference(f, x, e);
        const ruleArgs = { ...args, out };
        // vjp: ⟨vjp(dy), e⟩ = ⟨dy, J·e⟩
        const vjpResult = spec.vjp![p](ruleArgs as never, dy);
        const g = asTensor(i === undefined ? vjpResult : (vjpResult as unknown as Tensor[])[i]);
        expect(g.shape, `vjp ${p} shape`).toEqual(x.shape);
        const lhs = dot(g, e);
        const rhs = dot(dy, Tensor.fromData(fd, out.shape));
        expect(Math.abs(lhs - rhs) / Math.max(1, Math.abs(rhs)), `vjp ${p}${i ?? ''}: ${lhs} vs ${rhs}`).toBeLessThan(1e-6);
        // jvp: J·e, elementwise (zeros for the other elements of a variadic parameter)
        const tangent =
          i === undefined
            ? e
            : ((args[p] as Tensor[]).map((t, j) => (j === i ? e : randomTensor(rng, t.shape, 0, 0))) as unknown as Tensor);
        const t = asTensor(spec.jvp![p](ruleArgs as never, tangent));
        expect(t.shape, `jvp ${p} shape`).toEqual(out.shape);
        expect(maxRelError(t.data, fd), `jvp ${p}${i ?? ''}`).toBeLessThan(1e-6);
      }
    });
  });
});
