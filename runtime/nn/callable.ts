// Callable instances: a base-class constructor returns a function object whose prototype
// is `new.target.prototype`, so `instance(...args)` works and derived class fields land on
// it. The function's own `name` and `length` are removed so fields of those names (and
// reads of them) behave as on an ordinary object.

/**
 * A function object that forwards calls to `method` of itself, with prototype `proto`.
 * Call it as `return makeCallable(new.target.prototype, 'construct')` from a constructor.
 */
export function makeCallable<T extends object>(proto: object, method: string, owner: string): T {
  const self = (...args: unknown[]): unknown => {
    const f = (self as unknown as Record<string, unknown>)[method];
    if (typeof f !== 'function') {
      throw new TypeError(`${owner}: ${proto.constructor?.name ?? 'this object'} has no ${method}() method to call`);
    }
    return f.apply(self, args);
  };
  delete (self as { name?: string }).name;
  delete (self as { length?: number }).length;
  Object.setPrototypeOf(self, proto);
  return self as unknown as T;
}
