/**
 * `target` with some of its members replaced: `overrides` answers first, every other method
 * stays bound to `target`. For wrapping a store client (a driver, a session) in what observes
 * or announces its calls while the rest of it works as before.
 */
export function withOverrides<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'string' && Object.hasOwn(overrides, property)) return overrides[property];
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? (value as (...parameters: unknown[]) => unknown).bind(object) : value;
    },
  });
}
