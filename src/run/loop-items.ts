// What a loop iterates over (its journaled items, or its guard's answers), and how a handler's
// answer is described in an error when it is neither.
export interface Iterations {
  /** Whether iteration `iteration` runs, and its item; null: the loop failed. */
  next(iteration: number): Promise<{ more: boolean; item?: unknown } | null>;
}

export function fromItems(items: readonly unknown[]): Iterations {
  return { next: (iteration) => Promise.resolve(iteration <= items.length ? { more: true, item: items[iteration - 1] } : { more: false }) };
}

export function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

export function* take(items: Iterable<unknown>, n: number): Generator<unknown> {
  if (n <= 0) return;
  let taken = 0;
  for (const item of items) {
    yield item;
    if (++taken >= n) return;
  }
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : `${typeof value} ${String(value)}`;
}
