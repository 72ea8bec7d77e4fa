// Callable instances: a base-class constructor returns a function object whose prototype
// is `new.target.prototype`, so `instance(...args)` works and derived class fields land on
// it. The function's own `name` and `length` are removed so fields of those names (and
// reads of them) behave as on an ordinary object.
//
// Deleting them puts V8's function object in dictionary mode, where every read of a field
// (`self.z` in generated code, once per weight per call) is a hash lookup: 17 ns of the
// seed's 0.107 µs gradient (CPU time, 3e6 calls). An object used as a prototype is made
// fast again when a property load's inline cache looks through it, so `withFastProperties`
// does that; fields added later by the subclass keep it fast. Until the probing function
// has been called a few times V8 gives it no inline caches (lazy feedback), hence a few
// loads, not one. test/runtime/nn/fast-properties.test.ts checks that it takes.

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
  return withFastProperties(self) as unknown as T;
}

/** Looks a missing property up through `object`, which makes V8 give it fast properties again. */
function withFastProperties<T extends object>(object: T): T {
  const probe = Object.create(object) as Record<string, unknown>;
  for (let i = 0; i < 16; i++) readProbe(probe);
  return object;
}

function readProbe(probe: Record<string, unknown>): unknown {
  return probe.__tsgradProbe;
}
