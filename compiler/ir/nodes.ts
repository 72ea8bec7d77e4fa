// The IR: structured, A-normal TypeScript. Every operand is an atom (a variable or a
// literal); every computation is a `let` of one expression; control flow stays
// structured (`if`, `loop` with `break`/`continue`) so that reverse mode can mirror it
// and the emitter can print it back as readable TypeScript. Calls to program functions
// and cells are inlined by the lowerer, so a function here is closed: its inputs are its
// params and the object roots (`self`, module bindings) it reads fields from.
//
// Variables are written once (`let`) except `mutable` ones, which `assign` updates:
// the lowerer uses those for values that merge after an `if` or change across loop
// iterations, and the differentiator for adjoints that merge after an `if`.

/** Where a node came from in the user's source. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The source line, trimmed, for `// grad of:` comments. */
  readonly text: string;
}

/** What a value is, as far as differentiation cares. */
export type Ty =
  | { readonly kind: 'tensor' }
  | { readonly kind: 'number' }
  /** A run-time array of numbers (`number[]`), differentiated element by element. */
  | { readonly kind: 'numbers' }
  /** A run-time array of tensors: a loop's tape in generated code read back for a higher order. */
  | { readonly kind: 'tensors' }
  /** Booleans, strings, shapes, objects: never differentiated. */
  | { readonly kind: 'other'; readonly ts?: string }
  | { readonly kind: 'tuple'; readonly items: readonly Ty[] };

export const tensorTy: Ty = { kind: 'tensor' };
export const numberTy: Ty = { kind: 'number' };
export const otherTy: Ty = { kind: 'other' };

export type Literal = number | string | boolean | null | undefined;

export type Atom = { readonly kind: 'var'; readonly name: string } | { readonly kind: 'lit'; readonly value: Literal };

/** A root object that field reads start from: the cell (`self`), a module binding, or an environment. */
export interface Root {
  /** The name the generated code uses for it. */
  readonly name: string;
  /** self: the network; module: a module-level binding; env: values captured from an enclosing function. */
  readonly kind: 'self' | 'module' | 'env';
  /** For module roots: the file that declares it and its exported name. */
  readonly module?: { readonly file: string; readonly exportName: string };
  /** TypeScript type text for annotations (`Net`). */
  readonly tsType?: string;
  /** The class of a Cell root, for type imports in generated code. */
  readonly classRef?: ClassRef;
  /** True when the root is a Cell (its Parameters count as the network's). */
  readonly isCell?: boolean;
  /**
   * For the env root: per name read from `env`, where that local of an enclosing function is
   * declared. The call site passes the local it sees by that name (Compiler.wire): it must be this one.
   */
  readonly captures?: ReadonlyMap<string, Loc>;
}

/** A class declared in a file under an exported name (`Dense` in runtime/nn/dense.ts). */
export interface ClassRef {
  readonly file: string;
  readonly name: string;
}

export type Expr =
  /** A registry primitive: tensor or number form, decided by the operand types. */
  | { readonly kind: 'prim'; readonly op: string; readonly args: readonly Atom[] }
  | { readonly kind: 'copy'; readonly value: Atom }
  /** A read of `root.path…`; `slot` marks a Parameter read (a weight). */
  | { readonly kind: 'field'; readonly root: string; readonly path: readonly string[]; readonly slot?: boolean; readonly nonNull?: boolean }
  /** A fixed-length array of atoms. */
  | { readonly kind: 'tuple'; readonly items: readonly Atom[] }
  /** Element `index` (a run-time number) of a `number[]` variable. */
  | { readonly kind: 'elem'; readonly array: Atom; readonly index: Atom }
  /** Element `index` of a tuple-typed variable. */
  | { readonly kind: 'index'; readonly value: Atom; readonly index: number }
  /**
   * A non-differentiable JavaScript computation on atoms, written as TypeScript with `$0`,
   * `$1`… for its operands: comparisons, `t.item()`, `x.shape[0]`, `Math.floor(n)`.
   */
  | { readonly kind: 'js'; readonly template: string; readonly args: readonly Atom[] }
  /**
   * A call with a hand-written rule: forward `callee.construct(args)` (a Cell with
   * `bprop`) or `callee(args)` (a `customVjp` function); reverse `callee.bprop(...args, out, dout)`.
   */
  | {
      readonly kind: 'custom';
      readonly callee: Atom;
      readonly form: 'construct' | 'call';
      readonly args: readonly Atom[];
      /** The Cell's own Parameters whose gradients `bprop` returns after the inputs' (not passed to the call). */
      readonly weights?: readonly Atom[];
    }
  /**
   * A call to one of the enclosing program's `functions` (a recursive function, which
   * cannot be inlined, or its generated forward/backward pair): `fn(self?, env?, ...args)`.
   */
  | {
      readonly kind: 'call';
      readonly fn: string;
      readonly args: readonly Atom[];
      /** Parameters the callee reads (itself or through its callees), when weights are differentiated: not passed. */
      readonly weights?: readonly Atom[];
    };

export type Stmt =
  | { readonly kind: 'let'; readonly name: string; readonly ty: Ty; readonly expr: Expr; readonly loc?: Loc; readonly mutable?: boolean }
  /** Declares a mutable variable assigned later (in branches or loops). */
  /** `partial`: assigned on some paths only (a join of a variable declared without a value). */
  | { readonly kind: 'declare'; readonly name: string; readonly ty: Ty; readonly partial?: boolean }
  | { readonly kind: 'assign'; readonly name: string; readonly value: Atom; readonly loc?: Loc }
  | { readonly kind: 'if'; readonly cond: Atom; readonly then: Stmt[]; readonly else: Stmt[]; readonly loc?: Loc }
  /**
   * A loop. With `testFirst`: `while (true) { head; if (!cond) break; body }`; without:
   * `while (true) { body; head; if (!cond) break; }` (do…while). A `break` in `body`
   * leaves early; the lowerer leaves no `continue` and no statement after a `break`.
   * `finite`: the loop is known to end (reverse mode computed its trip count in closed
   * form), so dead-code elimination may drop it when nothing in it is needed.
   */
  | { readonly kind: 'loop'; readonly head: Stmt[]; readonly cond: Atom; readonly body: Stmt[]; readonly testFirst: boolean; readonly loc?: Loc; readonly finite?: boolean }
  | { readonly kind: 'break' }
  | { readonly kind: 'continue' }
  /**
   * `array[index] = value` on a run-time array: a loop's tape written in generated code read
   * back for a higher order. Reverse mode moves the element's adjoint back to `value`.
   */
  | { readonly kind: 'store'; readonly array: string; readonly index: Atom; readonly value: Atom; readonly loc?: Loc }
  /** Evaluated for its effect only (print, console.log); never differentiated. */
  | { readonly kind: 'effect'; readonly expr: Expr; readonly loc?: Loc }
  /** A line comment in the generated code (`// grad of: …`). */
  | { readonly kind: 'comment'; readonly text: string };

export interface Param {
  readonly name: string;
  readonly ty: Ty;
  /** TypeScript type text for the generated signature. */
  readonly tsType: string;
}

/** A closed function: params in, `result` out. */
export interface Func {
  readonly name: string;
  /** Object roots read by field expressions (self and module bindings). */
  readonly roots: readonly Root[];
  readonly params: readonly Param[];
  readonly body: Stmt[];
  readonly result: Atom;
  readonly resultTy: Ty;
  /** What this function was lowered from, for banners and diagnostics. */
  readonly origin: { readonly file: string; readonly name: string; readonly line: number };
  /**
   * Functions that `call` expressions name (recursive functions, lowered once each, and
   * the forward/backward pairs reverse mode makes of them). They take the same `self`
   * and `env` roots as this function.
   */
  readonly functions?: readonly Func[];
  /** One line of TSDoc for a function in `functions`: what it is. */
  readonly doc?: string;
}

/** The statement lists nested in `s` (branches, loop head and body). */
export function childBlocks(s: Stmt): Stmt[][] {
  if (s.kind === 'if') return [s.then, s.else];
  if (s.kind === 'loop') return [s.head, s.body];
  return [];
}

/**
 * The text of the last comment in a block. A comment labels the statements after it up to
 * the next one, so a differentiator that would repeat it (statements of one source line
 * interleaved with others that have no line) leaves it out.
 */
export function lastComment(block: readonly Stmt[]): string | undefined {
  for (let i = block.length - 1; i >= 0; i--) {
    const s = block[i];
    if (s.kind === 'comment') return s.text;
  }
  return undefined;
}

export const v = (name: string): Atom => ({ kind: 'var', name });
export const lit = (value: Literal): Atom => ({ kind: 'lit', value });

export function isDifferentiableTy(ty: Ty): boolean {
  return ty.kind === 'tensor' || ty.kind === 'number' || ty.kind === 'numbers' || ty.kind === 'tensors' || (ty.kind === 'tuple' && ty.items.some(isDifferentiableTy));
}
