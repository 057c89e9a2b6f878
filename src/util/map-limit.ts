/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Runs `fn` over `items`, at most `limit` at once and, together, at most `capacity` of
 * `weight(item)` in flight (an item heavier than `capacity` runs alone), in input order. Memory of a
 * deck in the browser grows with its slides, so many slides are never rendered at once.
 */
export async function mapWeighted<T, R>(items: readonly T[], limit: number, capacity: number, weight: (item: T) => number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let running = 0;
  let load = 0;
  return new Promise<R[]>((resolve, reject) => {
    let failure: { error: unknown } | undefined;
    const pump = (): void => {
      // After a failure nothing new starts, and the error comes out once the running ones settle:
      // the caller's clean-up must not race work still in flight.
      if (running === 0 && (failure || next >= items.length)) {
        if (failure) reject(failure.error);
        else resolve(results);
        return;
      }
      while (!failure && next < items.length && running < Math.max(1, limit)) {
        const cost = Math.max(0, weight(items[next]!));
        if (running > 0 && load + cost > capacity) break;
        const index = next++;
        running += 1;
        load += cost;
        const settle = () => {
          running -= 1;
          load -= cost;
          pump();
        };
        fn(items[index]!, index).then(
          (result) => {
            results[index] = result;
            settle();
          },
          (error: unknown) => {
            failure ??= { error };
            settle();
          },
        );
      }
    };
    pump();
  });
}
