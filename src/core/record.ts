/** Records keyed by codes that come from clerks and schools: no prototype, so no code (`constructor`, `__proto__`, `toString`) can reach a built-in. */

/** An empty record with no prototype. */
export function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
