// One namer per generated function: readable, deterministic, collision-free names.
// Source names are kept (`logits`), repeats get a suffix (`y_1`), temporaries are `t0`,
// `t1`…, adjoints are `d_<name>`.

const reserved = new Set([
  'ops', 'Tensor', 'self', 'Math', 'undefined', 'null', 'true', 'false', 'this', 'arguments', 'eval',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'let',
  'new', 'return', 'super', 'switch', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'await', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public',
]);

export class Namer {
  private readonly used = new Set<string>();
  private temp = 0;

  constructor(taken: Iterable<string> = []) {
    for (const name of taken) this.used.add(name);
  }

  /** Marks `name` as taken (a parameter, a root); returns it unchanged. */
  claim(name: string): string {
    this.used.add(name);
    return name;
  }

  /** True when `name` is taken. */
  has(name: string): boolean {
    return this.used.has(name) || reserved.has(name);
  }

  /** A fresh name based on `base`. */
  fresh(base: string): string {
    const clean = sanitize(base);
    if (!this.used.has(clean) && !reserved.has(clean)) return this.claim(clean);
    for (let i = 1; ; i++) {
      const candidate = `${clean}_${i}`;
      if (!this.used.has(candidate)) return this.claim(candidate);
    }
  }

  /** A fresh temporary: t0, t1, … */
  tmp(): string {
    for (;;) {
      const candidate = `t${this.temp++}`;
      if (!this.used.has(candidate)) return this.claim(candidate);
    }
  }

  isTemp(name: string): boolean {
    return /^t\d+$/.test(name);
  }
}

function sanitize(base: string): string {
  const s = base.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[A-Za-z_$]/.test(s) ? s : `_${s}`;
}
