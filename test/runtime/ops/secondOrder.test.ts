// Second order, registry-driven: every vjp rule is itself differentiated by the registry's
// own rules (a small tape: the forward op and the rule run eagerly with a recorder that
// notes each op application, then the tape is walked backwards with each op's vjp rules)
// and compared with central differences of ⟨w, vjp(x, dy)⟩ in x and in dy. This is what
// the compiler does when it differentiates generated gradient code again.
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../../runtime/index.js';
import { add } from '../../../runtime/ops/add.js';
import { primitives, primitiveSpec } from '../../../runtime/ops/registry.js';
import { PrimitiveSpec, withRecorder } from '../../../runtime/ops/primitive.js';
import { dot, randomTensor, step } from '../../helpers/finiteDiff.js';
import { Rng } from '../../helpers/rng.js';

const specs = Object.values(primitives).map((op) => (op as unknown as { spec: PrimitiveSpec }).spec);
const differentiable = specs.filter((s) => s.vjp && Object.keys(s.vjp).length > 0 && !s.variadic);

interface Node {
  op: string;
  args: unknown[];
  out: Tensor;
}

/** Runs `body` eagerly, noting every op application on a tape (results are fresh objects). */
function record<T>(body: () => T): { value: T; tape: Node[] } {
  const tape: Node[] = [];
  const value = withRecorder((op, args) => {
    const spec = primitiveSpec(op)!;
    let out = spec.kernel(...args);
    if (out instanceof Tensor && args.includes(out)) out = Tensor.fromData(out.data.slice(), [...out.shape], out.dtype);
    if (out instanceof Tensor) tape.push({ op, args: [...args], out });
    return out;
  }, body);
  return { value, tape };
}

/** Reverse sweep over the tape: the gradient of ⟨w, result⟩ with respect to each of `inputs`. */
function backprop(tape: Node[], result: Tensor, w: Tensor, inputs: Tensor[]): Tensor[] {
  const adj = new Map<Tensor, Tensor>([[result, w]]);
  const accumulate = (t: Tensor, g: Tensor) => adj.set(t, adj.has(t) ? (add(adj.get(t)!, g) as Tensor) : g);
  for (let n = tape.length - 1; n >= 0; n--) {
    const node = tape[n];
    const dy = adj.get(node.out);
    if (!dy) continue;
    const spec = primitiveSpec(node.op)!;
    const p: Record<string, unknown> = { out: node.out };
    spec.params.forEach((name, i) => (p[name] = node.args[i]));
    spec.params.forEach((name, i) => {
      const a = node.args[i];
      const rule = spec.vjp?.[name];
      if (rule && a instanceof Tensor) accumulate(a, rule(p as never, dy));
    });
  }
  return inputs.map((x) => adj.get(x) ?? Tensor.fromData(new Float64Array(x.size), [...x.shape], x.dtype));
}

describe.each(differentiable.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
  spec.domain!.cases.forEach((c, ci) => {
    it(`vjp rules differentiate again (case ${ci}: ${JSON.stringify(c)})`, () => {
      const rng = new Rng(7000 + ci);
      const base: Record<string, unknown> = {};
      for (const p of spec.params) {
        const range = spec.domain!.ranges[p];
        const value = c[p];
        base[p] = range && Array.isArray(value) && value.some(Array.isArray)
          ? value.map((s) => randomTensor(rng, s as number[], range[0], range[1]))
          : range ? randomTensor(rng, value as number[], range[0], range[1]) : value;
      }
      const op = (primitives as Record<string, (...a: unknown[]) => Tensor>)[spec.name];
      const out0 = spec.kernel(...spec.params.map((p) => base[p])) as Tensor;
      const dy = randomTensor(rng, out0.shape);
      for (const param of Object.keys(spec.vjp!)) {
        if (!(base[param] instanceof Tensor)) continue;
        // The rule as a function of (x, dy), forward op included (rules read `out`).
        const ruleAt = (x: Tensor, cot: Tensor) => {
          const args = { ...base, [param]: x };
          const out = op(...spec.params.map((p) => args[p]));
          const g = spec.vjp![param]({ ...args, out } as never, cot);
          return g instanceof Tensor ? g : new Tensor(g as number, 'float64');
        };
        const x = base[param] as Tensor;
        const { value, tape } = record(() => ruleAt(x, dy));
        const w = randomTensor(rng, value.shape);
        const [gx, gdy] = backprop(tape, value, w, [x, dy]);
        for (const [which, at, g] of [['x', x, gx], ['dy', dy, gdy]] as const) {
          const e = randomTensor(rng, at.shape);
          const h = 1e-5;
          const f = (v: Tensor) => dot(w, which === 'x' ? ruleAt(v, dy) : ruleAt(x, v));
          const fd = (f(step(at, e, h)) - f(step(at, e, -h))) / (2 * h);
          const got = dot(g, e);
          expect(Math.abs(got - fd) / Math.max(1, Math.abs(fd)), `d/d${which} of vjp ${param}: ${got} vs ${fd}`).toBeLessThan(1e-5);
        }
      }
    });
  });
});
