// Serializes mutations of one plan's recovery steps inside the process: an insert shifts the positions of
// later steps, so two concurrent inserts into one plan would land at the wrong places.

const tails = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key has settled; calls with other keys run in parallel. */
export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // Drop the entry once nothing is queued behind this call, so the map does not grow.
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Key of a plan lock: one SRM server, one pairing, one plan. */
export function planLockKey(url: string, pairingId: string, planId: string): string {
  return `${url}\u0000${pairingId}\u0000${planId}`;
}
