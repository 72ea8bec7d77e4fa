// Programs that call grad or valueAndGrad inside differentiated code (reverse mode over
// reverse mode where it stands: compiler/3-differentiate/reverse-inline.ts), for the
// fuzzer. A function `<id>_gi` takes the gradient of an inner function it was given (a
// module-level function or a closure, with its own `if` and loop, one output or two) in
// one of the supported forms: gradPosition none, a number or a list, valueAndGrad, hasAux,
// the gradient function kept in a const first (before a loop too), grad of grad; the call
// stands at the top, in each branch of an if, or in a loop of descent steps (a closure over
// the loop-carried point); it is taken at a point that reads the outer gradient's first
// input, and the results go on into more math, which the outer grad differentiates (and
// then one of: grad of that gradient, jvp of it, jvp and vjp of the function, its jacrev
// and hessian, vjp and jacrev of its gradient). The reference copy calls
// fdGrad/fdValueAndGrad (fixtures/fuzz/support.ts), which take the inner gradients by
// finite differences, never through the compiler. Inner functions are smooth (no
// maximum/minimum, no where, no stopGradient, conditions on values the inner differences
// do not move), so that differences of differences stay exact enough.
//
// Every choice comes from the recipe's choice list (0 the simplest), so a recipe's
// program stays deterministic and shrinks with its list.

import type { PrimitiveSpec } from '../../../runtime/ops/primitive.js';
import type { Choices, Code, Input, Ty, Var } from './generate.js';

/** What the program generator lends: its choices, data and op writers (tensor or number code). */
export interface GradInsideContext {
  readonly id: string;
  readonly c: Choices;
  readonly numeric: boolean;
  readonly base: number[];
  readonly inputs: readonly Input[];
  readonly unaryOps: readonly PrimitiveSpec[];
  readonly binaryOps: readonly PrimitiveSpec[];
  value(lo?: number, hi?: number): number;
  num(v: number): string;
  tensorLiteral(shape: number[]): string;
  unary(spec: PrimitiveSpec, x: Code): Code;
  binary(spec: PrimitiveSpec, a: Code, b: Code): Code;
}

/** The grad-inside program: its declarations (gradient side, reference side) and its check's lines. */
export interface GradInside {
  readonly lines: string[];
  readonly refLines: string[];
  readonly check: string[];
  readonly summary: string;
}

const same = (s: string, ty: Ty): Code => ({ g: s, r: s, ty });
const indent = (xs: string[], n: number) => xs.map((x) => ' '.repeat(n) + x);

/** A function grad takes inside: its name on each side and what it takes and gives. */
interface Inner {
  /** What grad is applied to, and the reference's function. */
  readonly fn: string;
  readonly refFn: string;
  /** Differentiable parameters (Tensors of the base shape, or numbers), then maybe a trip count. */
  readonly params: number;
  readonly control: boolean;
  /** One output, or two (a tuple: hasAux's aux, or summed by grad). */
  readonly outputs: Ty[];
  readonly hasLoop: boolean;
  readonly lines: string[];
  readonly refLines: string[];
}

/** How grad is called: api and options, written directly, kept in a const, or as grad of grad. */
interface Request {
  readonly api: 'grad' | 'valueAndGrad';
  readonly positions: number | number[] | undefined;
  readonly hasAux: boolean;
  readonly form: 'direct' | 'kept' | 'nested';
  /** nested: the position of the inner grad (grad(grad(f, { gradPosition: i }), …)). */
  readonly innerPosition: number;
}

export function buildGradInside(ctx: GradInsideContext): GradInside {
  const { id, c, numeric, base } = ctx;
  const T = numeric ? 'number' : 'Tensor';
  const baseTy: Ty = numeric ? { kind: 'number' } : { kind: 'tensor', shape: base };
  // maximum and minimum have kinks; the other ops are smooth in the domains their operands
  // are squashed into (mod's quotient stays within (2, 3)). neg alone is linear.
  const smoothBinary = ctx.binaryOps.filter((s) => s.name !== 'maximum' && s.name !== 'minimum');
  const curved = ctx.unaryOps.filter((s) => s.name !== 'neg');
  const pickOf = <X>(xs: readonly X[]): X => xs[c.pick(xs.length)];
  let counter = 0;
  const fresh = (p: string) => `${p}${counter++}`;
  let site = 0;

  /** A smooth expression over `scope`, at most `depth` deep, its unary ops from `unaries`. */
  const smooth = (scope: Var[], depth: number, unaries: readonly PrimitiveSpec[] = ctx.unaryOps): Code => {
    const leaf = () => {
      const v = pickOf(scope);
      return same(v.name, v.ty);
    };
    if (depth <= 0) return leaf();
    switch (c.pick(numeric ? 4 : 6)) {
      case 0:
        return leaf();
      case 1:
        return ctx.unary(pickOf(unaries), smooth(scope, depth - 1, unaries));
      case 2:
        return ctx.binary(pickOf(smoothBinary), smooth(scope, depth - 1, unaries), smooth(scope, depth - 1, unaries));
      case 3:
        return ctx.binary(pickOf(smoothBinary), smooth(scope, depth - 1, unaries), same(ctx.num(ctx.value()), { kind: 'number' }));
      case 4: {
        const x = smooth(scope, depth - 1, unaries);
        if (x.ty.kind !== 'tensor') return x;
        const op = c.one(2) ? 'mean' : 'sum';
        return { g: `ops.${op}(${x.g})`, r: `ops.${op}(${x.r})`, ty: { kind: 'tensor', shape: [] } };
      }
      default: {
        const x = smooth(scope, depth - 1, unaries);
        if (x.ty.kind !== 'tensor' || x.ty.shape.length === 0) return x;
        const op = c.one(2) ? 'logSoftmax' : 'softmax';
        return { g: `ops.${op}(${x.g}, -1)`, r: `ops.${op}(${x.r}, -1)`, ty: x.ty };
      }
    }
  };
  /** `x` as a value of the base shape (an inner function's parameter). */
  const toBase = (x: Code): Code => {
    if (numeric || (x.ty.kind === 'tensor' && x.ty.shape.join(',') === base.join(','))) return x;
    const sh = JSON.stringify(base);
    return { g: `ops.broadcastTo(${x.g}, ${sh})`, r: `ops.broadcastTo(${x.r}, ${sh})`, ty: baseTy };
  };
  const sumOf = (x: Code): Code => (x.ty.kind === 'tensor' ? { g: `ops.sum(${x.g})`, r: `ops.sum(${x.r})`, ty: { kind: 'tensor', shape: [] } } : x);
  /** A condition on `v`, a value the inner differences do not move. */
  const condition = (v: Var): Code => {
    const t = ctx.num(ctx.value(-0.5, 0.5));
    return same(v.ty.kind === 'tensor' ? `ops.sum(${v.name}).item() > ${t}` : `${v.name} > ${t}`, { kind: 'number' });
  };

  /**
   * The inner function: `const`s, maybe a loop (over its trip count `m`, or twice), maybe
   * an early return on `m` or on a captured value, then one output or two.
   */
  const innerFunction = (name: string, captured: Var[], closure: boolean): Inner => {
    const params = 1 + c.pick(2);
    const control = c.one(2);
    const names = ['a', 'b'].slice(0, params);
    const scope: Var[] = [...names.map((p) => ({ name: p, ty: baseTy })), ...captured];
    // Parameters and locals, each with the body line after which a read of it counts (a loop's own update does not).
    const own: { v: Var; after: number }[] = names.map((p) => ({ v: { name: p, ty: baseTy }, after: -1 }));
    const body: string[] = [];
    const refBody: string[] = [];
    const emit = (g: string, r: string = g) => {
      body.push(g);
      refBody.push(r);
    };
    for (let s = c.pick(3); s > 0; s--) {
      const t = fresh('t');
      const e = smooth(scope, 1 + c.pick(2));
      emit(`const ${t} = ${e.g};`, `const ${t} = ${e.r};`);
      scope.push({ name: t, ty: e.ty });
      own.push({ v: { name: t, ty: e.ty }, after: body.length - 1 });
    }
    const hasLoop = c.one(3);
    if (hasLoop) {
      const acc = fresh('acc');
      const i = fresh('i');
      emit(`let ${acc}: ${T} = ${names[0]};`);
      emit(`for (let ${i} = 0; ${i} < ${control ? 'm' : 2}; ${i}++) {`);
      const accVar = { name: acc, ty: baseTy };
      // In number code a loop holds no `?:` (relu's number form): grad inside refuses a
      // branch in a loop there (TSG3014, 'an adjoint updated in place'), a limitation, not a wrong gradient.
      const unaries = numeric ? ctx.unaryOps.filter((op) => !op.number!.syntax.includes('?')) : ctx.unaryOps;
      const update = ctx.binary(pickOf(smoothBinary), same(acc, baseTy), ctx.unary(pickOf(unaries), smooth([...scope, accVar], 1, unaries)));
      emit(`  ${acc} = ${update.g};`, `  ${acc} = ${update.r};`);
      emit('}');
      scope.push(accVar);
      own.push({ v: accVar, after: body.length - 1 });
    }
    const two = c.one(3);
    // The first output starts from the latest value and reads every parameter and local (the
    // latest first), so that no statement is dead and no gradient zero by construction.
    const first = (): Code => {
      const last = own[own.length - 1].v;
      let e = c.one(2) ? same(last.name, last.ty) : ctx.binary(pickOf(smoothBinary), same(last.name, last.ty), smooth(scope, c.pick(2)));
      for (const { v, after } of [...own].reverse()) {
        const read = new RegExp(`\\b${v.name}\\b`);
        if (!read.test(e.g) && !body.slice(after + 1).some((l) => read.test(l))) e = ctx.binary(pickOf(smoothBinary), e, same(v.name, v.ty));
      }
      // Curved, so that the inner gradient moves with the point and the outer gradient sees it.
      return ctx.unary(pickOf(curved), e);
    };
    const outputs = (): Code[] => (two ? [first(), smooth(scope, 1 + c.pick(2))] : [first()]);
    const ret = (outs: Code[], side: 'g' | 'r') => (two ? `[${outs.map((o) => o[side]).join(', ')}]` : outs[0][side]);
    // Both returns give the same types: the early one's outputs are summed to 0-d, and so are the last's when they differ.
    const gate = control ? same('m > 1', { kind: 'number' }) : captured.length > 0 && c.one(2) ? condition(pickOf(captured)) : undefined;
    let outs = outputs();
    if (gate && c.one(2)) {
      const early = outputs().map(sumOf);
      outs = outs.map(sumOf);
      emit(`if (${gate.g}) {`, `if (${gate.r}) {`);
      emit(`  return ${ret(early, 'g')};`, `  return ${ret(early, 'r')};`);
      emit('}');
    }
    emit(`return ${ret(outs, 'g')};`, `return ${ret(outs, 'r')};`);
    const retTy = two ? `[${T}, ${T}]` : T;
    const sig = [...names.map((p) => `${p}: ${T}`), ...(control ? ['m: number'] : [])].join(', ');
    if (closure) {
      return {
        fn: name,
        refFn: name,
        params,
        control,
        outputs: outs.map((o) => o.ty),
        hasLoop,
        lines: [`const ${name} = (${sig}): ${retTy} => {`, ...indent(body, 2), '};'],
        refLines: [`const ${name} = (${sig}): ${retTy} => {`, ...indent(refBody, 2), '};'],
      };
    }
    const argNames = [...names, ...(control ? ['m'] : [])].join(', ');
    return {
      fn: name,
      refFn: `(${sig}) => ${name}_ref(sg, ${argNames})`,
      params,
      control,
      outputs: outs.map((o) => o.ty),
      hasLoop,
      lines: [`function ${name}(${sig}): ${retTy} {`, ...indent(body, 2), '}'],
      refLines: [`function ${name}_ref(sg: Sg, ${sig}): ${retTy} {`, ...indent(refBody, 2), '}'],
    };
  };

  /** The options of a request (none, a position, a list, hasAux). */
  const optionsText = (positions: number | number[] | undefined, hasAux: boolean) => {
    const parts = [...(positions === undefined ? [] : [`gradPosition: ${JSON.stringify(positions)}`]), ...(hasAux ? ['hasAux: true'] : [])];
    return parts.length === 0 ? '' : `, { ${parts.join(', ')} }`;
  };
  const fdName = (api: Request['api']) => (api === 'grad' ? 'fdGrad' : 'fdValueAndGrad');

  /** The gradient function of `inner` per `req`, on each side. */
  const gradientFunction = (inner: Inner, req: Request): Code => {
    const opts = optionsText(req.positions, req.hasAux);
    if (req.form === 'nested') {
      const inPos = `{ gradPosition: ${req.innerPosition} }`;
      const s = site;
      site += 2;
      return {
        g: `${req.api}(grad(${inner.fn}, ${inPos})${opts})`,
        r: `${fdName(req.api)}(sg, ${s}, fdGrad(sg, ${s + 1}, ${inner.refFn}, ${inPos})${opts})`,
        ty: { kind: 'number' },
      };
    }
    return { g: `${req.api}(${inner.fn}${opts})`, r: `${fdName(req.api)}(sg, ${site++}, ${inner.refFn}${opts})`, ty: { kind: 'number' } };
  };

  /** A request on `inner`; with `onlyFirst`, its gradient is of parameter 0 alone. */
  const request = (inner: Inner, onlyFirst: boolean): Request => {
    const api = c.one(3) ? 'valueAndGrad' : 'grad';
    // grad of grad differentiates the inner gradient in place: not over a loop (TSG3014).
    // In a loop body it is written (it was a wrong gradient until 2026-11-28: fixtures/fuzz/bugs/nested-grad-inside-loop.ts).
    const nested = !inner.hasLoop && c.one(4);
    const hasAux = !nested && inner.outputs.length === 2 && c.one(2);
    // With the inner loop over parameter 0 and 0 left out, the loop reads none of the positions
    // (a wrong gradient until 2026-11-28: fixtures/fuzz/bugs/value-inside-over-inactive-loop.ts).
    const choices: (number | number[] | undefined)[] = onlyFirst ? [undefined, 0, [0]] : inner.params === 1 ? [undefined, 0, [0]] : [undefined, 0, 1, [0, 1], [1], [1, 0]];
    const positions = choices[c.pick(choices.length)];
    const innerPosition = nested ? (onlyFirst ? 0 : c.pick(inner.params)) : 0;
    const form = nested ? 'nested' : c.one(3) ? 'kept' : 'direct';
    return { api, positions, hasAux, form, innerPosition };
  };

  /**
   * The call's lines and the values it gives: the gradients (in order), then valueAndGrad's
   * outputs and hasAux's aux (stopped).
   */
  const call = (inner: Inner, req: Request, fnText: Code, args: Code[], control: string) => {
    const argG = [...args.map((a) => a.g), ...(inner.control ? [control] : [])].join(', ');
    const argR = [...args.map((a) => a.r), ...(inner.control ? [control] : [])].join(', ');
    const list = Array.isArray(req.positions);
    const count = list ? (req.positions as number[]).length : 1;
    const grads = Array.from({ length: count }, () => fresh('d'));
    const gradPattern = list ? `[${grads.join(', ')}]` : grads[0];
    // grad of grad: one output, of the base shape (the inner gradient).
    const outTys = req.form === 'nested' ? [baseTy] : inner.outputs;
    const outs = outTys.map(() => fresh('y'));
    let pattern: string;
    let values: Code[] = grads.map((d) => same(d, baseTy));
    if (req.api === 'grad') pattern = req.hasAux ? `[${gradPattern}, [${outs[1]}]]` : gradPattern;
    else {
      const valuePattern = req.hasAux ? `[${outs.join(', ')}]` : outs.length === 1 ? outs[0] : `[${outs.join(', ')}]`;
      pattern = `[${valuePattern}, ${gradPattern}]`;
      values = [...values, ...outs.map((o, k) => same(o, outTys[k]))];
    }
    if (req.api === 'grad' && req.hasAux) values.push(same(outs[1], outTys[1]));
    return {
      g: `const ${pattern} = ${fnText.g}(${argG});`,
      r: `const ${pattern} = ${fnText.r}(${argR});`,
      values,
    };
  };

  // The outer function: the program's Tensor inputs (numbers in number code) and its trip count.
  const giInputs = ctx.inputs.filter((i) => i.control || i.ty.kind === (numeric ? 'number' : 'tensor'));
  const outer: Var[] = giInputs.filter((i) => !i.control).map((i) => ({ name: i.name, ty: i.ty }));
  const tripCount = giInputs.some((i) => i.control) ? 'n' : '2';
  const body: string[] = [];
  const refBody: string[] = [];
  const emit = (g: string, r: string = g) => {
    body.push(g);
    refBody.push(r);
  };
  const lines: string[] = [];
  const refLines: string[] = [];
  // The outer request first: the inner gradient is taken at a point that reads the first
  // input it asks for (the pivot), so that the outer gradient sees the inner one vary.
  const diff = giInputs.map((inp, k) => ({ ...inp, k })).filter((i) => !i.control);
  let chosen = diff.filter(() => c.pick(2) === 0).map((i) => i.k);
  if (chosen.length === 0) chosen = [diff[0].k];
  const pivot: Var = { name: giInputs[chosen[0]].name, ty: giInputs[chosen[0]].ty };
  if (c.one(2)) {
    const u = fresh('u');
    const e = smooth(outer, 1 + c.pick(2));
    emit(`const ${u} = ${e.g};`, `const ${u} = ${e.r};`);
    outer.push({ name: u, ty: e.ty });
  }
  /** A point of the base shape that reads the pivot. */
  const atPivot = (): Code => {
    const p = same(pivot.name, pivot.ty);
    return toBase(c.one(2) ? p : ctx.binary(pickOf(smoothBinary), p, smooth(outer, c.pick(2))));
  };
  const site_ = (['top', 'branch', 'descent'] as const)[c.pick(3)];
  const closure = c.one(2);
  const innerName = closure ? fresh('inner') : `${id}_in`;
  /** The inner function: a closure where the code stands (over `captured`), or a module-level function. */
  const declare = (captured: Var[], pad: number): Inner => {
    const inner = innerFunction(innerName, closure ? captured : [], closure);
    if (closure) {
      for (let k = 0; k < inner.lines.length; k++) emit(' '.repeat(pad) + inner.lines[k], ' '.repeat(pad) + inner.refLines[k]);
    } else {
      lines.push(...inner.lines);
      refLines.push(...inner.refLines);
    }
    return inner;
  };
  /** A request on `inner`, its gradient function kept in a const `keep` (or where it is called), its call on `first` and more. */
  const gradientOf = (inner: Inner, onlyFirst: boolean, keepPad: number) => {
    const req = request(inner, onlyFirst);
    const fnText = gradientFunction(inner, req);
    if (req.form !== 'kept') return { req, fnText };
    const kept = fresh('dk');
    emit(`${' '.repeat(keepPad)}const ${kept} = ${fnText.g};`, `${' '.repeat(keepPad)}const ${kept} = ${fnText.r};`);
    return { req, fnText: same(kept, { kind: 'number' }) };
  };
  const callAt = (inner: Inner, gradient: ReturnType<typeof gradientOf>, first: Code, pad: number) => {
    const args = [first, ...Array.from({ length: inner.params - 1 }, () => toBase(smooth(outer, c.pick(2))))];
    const made = call(inner, gradient.req, gradient.fnText, args, tripCount);
    emit(' '.repeat(pad) + made.g, ' '.repeat(pad) + made.r);
    return { req: gradient.req, values: made.values };
  };

  let result: Code;
  const requests: Request[] = [];
  let inner: Inner;
  if (site_ === 'descent') {
    // Descent steps: z moves against the inner gradient in its first parameter, n + 1 times.
    const z = fresh('z');
    const zVar: Var = { name: z, ty: baseTy };
    const start = atPivot();
    emit(`let ${z}: ${T} = ${start.g};`, `let ${z}: ${T} = ${start.r};`);
    // A closure may read the loop-carried point itself (a constant to the inner grad): then it is made in the loop.
    const carried = closure && c.one(2);
    const declaredBefore = carried ? undefined : declare(outer, 0);
    // A gradient function kept in a const is made before the loop when it can be.
    const keptBefore = declaredBefore && c.one(2) ? gradientOf(declaredBefore, true, 0) : undefined;
    const i = fresh('i');
    emit(`for (let ${i} = 0; ${i} < ${tripCount === 'n' ? 'n + 1' : tripCount}; ${i}++) {`);
    inner = declaredBefore ?? declare([...outer, zVar], 2);
    const made = callAt(inner, keptBefore ?? gradientOf(inner, true, 2), same(z, baseTy), 2);
    requests.push(made.req);
    const step = c.one(2) ? `${ctx.value(0.05, 0.2)} * (${i} + 1)` : `${ctx.value(0.05, 0.2)}`;
    const d = made.values[0];
    if (numeric) emit(`  ${z} = ${z} - ${d.g} * ${step};`);
    else emit(`  ${z} = ops.sub(${z}, ops.mul(${d.g}, ${step}));`);
    emit('}');
    result = combine([same(z, baseTy)]);
  } else if (site_ === 'branch') {
    // A call in each branch, each with its own request, whichever branch runs.
    inner = declare(outer, 0);
    const r = fresh('r');
    const cond = c.one(3) && tripCount === 'n' ? same('n > 1', { kind: 'number' }) : condition(pickOf(outer));
    emit(`let ${r}: ${T};`);
    emit(`if (${cond.g}) {`, `if (${cond.r}) {`);
    for (const branch of [0, 1]) {
      if (branch === 1) emit('} else {');
      const made = callAt(inner, gradientOf(inner, false, 2), atPivot(), 2);
      requests.push(made.req);
      const taken = sumOf(combine(made.values));
      emit(`  ${r} = ${taken.g};`, `  ${r} = ${taken.r};`);
    }
    emit('}');
    result = combine([same(r, numeric ? { kind: 'number' } : { kind: 'tensor', shape: [] })]);
  } else {
    inner = declare(outer, 0);
    const made = callAt(inner, gradientOf(inner, false, 0), atPivot(), 0);
    requests.push(made.req);
    result = combine(made.values);
  }
  /** The values folded together with an input or two, every input of the program read once at least. */
  function combine(values: Code[]): Code {
    let e = values[0];
    for (const v of values.slice(1)) e = ctx.binary(pickOf(smoothBinary), e, v);
    if (c.one(2)) e = ctx.binary(pickOf(smoothBinary), e, smooth(outer, 1));
    for (const inp of giInputs) {
      if (!inp.control && !new RegExp(`\\b${inp.name}\\b`).test(body.join('\n') + e.g)) e = ctx.binary(pickOf(smoothBinary), e, same(inp.name, inp.ty));
    }
    if (c.one(3)) e = ctx.unary(pickOf(ctx.unaryOps), e);
    return e;
  }
  if (!numeric && c.one(2)) result = sumOf(result);
  emit(`return ${result.g};`, `return ${result.r};`);

  const gi = `${id}_gi`;
  const sig = giInputs.map((i) => `${i.name}: ${i.ty.kind === 'number' ? 'number' : 'Tensor'}`).join(', ');
  const types = giInputs.map((i) => (i.ty.kind === 'number' ? 'number' : 'Tensor')).join(', ');
  const argNames = giInputs.map((i) => i.name).join(', ');
  lines.push(`function ${gi}(${sig}): ${T} {`, ...indent(body, 2), '}');
  refLines.push(`function ${gi}_ref(sg: Sg, ${sig}): ${T} {`, ...indent(refBody, 2), '}');

  // The outer request and its check: as a program's, with differences of step 1e-5.
  const positions = chosen.length === 1 && c.pick(2) === 0 ? chosen[0] : chosen;
  const api = c.one(3) ? 'valueAndGrad' : 'grad';
  const check = [
    `  gradInside: {`,
    `    args: [${giInputs.map((i) => i.literal).join(', ')}],`,
    `    targets: [${chosen.map((p) => `{ arg: ${p} }`).join(', ')}],`,
    `    layout: '${Array.isArray(positions) ? 'list' : 'single'}',`,
    `    grad: (${sig}) => ${api}(${gi}, { gradPosition: ${JSON.stringify(positions)} })(${argNames}),`,
    `    ref: (sg: Sg, ...a: any[]) => ${gi}_ref(sg, ...(a as [${types}])),`,
    ...(api === 'valueAndGrad' ? ['    value: true,', '    valueTolerance: 1e-6,'] : []),
    `    step: 1e-5,`,
  ];
  // One more derivative of the outer function, reading the inner gradient again: grad of its
  // gradient, jvp of its gradient, jvp and vjp of it, its jacrev and hessian, vjp and
  // jacrev of its gradient. Not those checked by differences of a compiled derivative when
  // an aux output is stopped inside (as with stopGradient: differences see it move).
  const stopped = requests.some((r) => r.hasAux);
  const i = pickOf(diff).k;
  const j = pickOf(diff).k;
  const tangents = giInputs.map((inp) => (inp.control ? '0' : inp.ty.kind === 'tensor' ? ctx.tensorLiteral(inp.ty.shape) : `${ctx.value()}`));
  const g1 = `grad(${gi}, { gradPosition: ${i} })`;
  const shapeOf = (k: number) => (giInputs[k].ty as { shape: number[] }).shape;
  const extras = ['none', 'second', 'forward', 'outputMaps', 'hessianOfOutput', 'reverseOfGrad'] as const;
  let extra: (typeof extras)[number] = extras[c.pick(extras.length)];
  if (stopped && extra !== 'none') extra = 'outputMaps';
  if (numeric && (extra === 'hessianOfOutput' || extra === 'reverseOfGrad')) extra = 'forward';
  // jvp, vjp, jacrev and hessian of a function with grad in a loop body (site 'descent') were
  // wrong until 2026-11-28 (fixtures/fuzz/bugs/jacrev-of-grad-inside-loop.ts): checked too.
  if (extra === 'second') {
    check.push(`    second: {`, `      j: ${j},`, `      g1: (${sig}) => ${g1}(${argNames}),`, `      g2: (${sig}) => grad(${g1}, { gradPosition: ${j} })(${argNames}),`, `    },`);
  } else if (extra === 'forward') {
    const scalarOutput = !numeric && result.ty.kind === 'tensor' && result.ty.shape.every((d) => d === 1);
    const withHessian = scalarOutput && c.one(2);
    check.push(
      `    forward: {`,
      `      i: ${i},`,
      `      tangents: [${tangents.join(', ')}],`,
      `      g1: (${sig}) => ${g1}(${argNames}),`,
      `      jvp: (args: (Tensor | number)[], tangents: (Tensor | number)[]) => jvp(${g1}, args, tangents),`,
      ...(withHessian ? [`      hessian: (${sig}) => hessian(${gi}, { gradPosition: ${i} })(${argNames}),`] : []),
      `    },`,
    );
  } else if (extra === 'outputMaps') {
    const sens = result.ty.kind === 'tensor' ? ctx.tensorLiteral(result.ty.shape) : `${ctx.value()}`;
    check.push(
      `    outputMaps: {`,
      `      tangents: [${tangents.join(', ')}],`,
      `      jvp: (args: (Tensor | number)[], tangents: (Tensor | number)[]) => jvp(${gi}, args, tangents),`,
      `      sens: ${sens},`,
      `      vjp: (${sig}) => vjp(${gi}, ${argNames}),`,
      `      compared: ${JSON.stringify(diff.map((d) => d.k))},`,
      `    },`,
    );
  } else if (extra === 'hessianOfOutput') {
    check.push(
      `    hessianOfOutput: {`,
      `      i: ${i},`,
      `      tangent: ${ctx.tensorLiteral(shapeOf(i))},`,
      `      jacrev: (${sig}) => jacrev(${gi}, { gradPosition: ${i} })(${argNames}),`,
      `      hessian: (${sig}) => hessian(${gi}, { gradPosition: ${i} })(${argNames}),`,
      `    },`,
    );
  } else if (extra === 'reverseOfGrad') {
    check.push(
      `    reverseOfGrad: {`,
      `      j: ${j},`,
      `      sens: ${ctx.tensorLiteral(shapeOf(i))},`,
      `      tangent: ${ctx.tensorLiteral(shapeOf(j))},`,
      `      g1: (${sig}) => ${g1}(${argNames}),`,
      `      vjp: (${sig}) => vjp(${g1}, ${argNames}),`,
      `      jacrev: (${sig}) => jacrev(${g1}, { gradPosition: ${j} })(${argNames}),`,
      `    },`,
    );
  }
  check.push(`  },`);
  const form = [
    site_,
    closure ? 'closure' : 'function',
    ...requests.map((req) => `${req.form}-${req.api}-${req.positions === undefined ? 'default' : JSON.stringify(req.positions)}${req.hasAux ? '-aux' : ''}`),
    ...(inner.hasLoop ? ['loop'] : []),
    ...(inner.outputs.length === 2 ? ['two'] : []),
    ...(extra === 'none' ? [] : [extra]),
  ];
  return { lines, refLines, check, summary: ` grad-inside(${form.join(' ')})` };
}
