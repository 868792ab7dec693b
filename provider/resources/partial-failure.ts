// A failure after SRM accepted the mutation: the engine must still record the resource, or the next run
// would create a second copy. The dynamic-provider host turns an error carrying `id`, `properties` and
// `reasons` into a partial failure (the resource is saved with these outputs and the update fails).

/** An error the host reports as a partially created or updated resource. */
export interface PartialFailure extends Error {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/** Wraps `cause` (already worded for the user) so the engine records `id` with `properties`. */
export function partialFailure(
  cause: unknown,
  id: string,
  properties: Record<string, unknown>,
): PartialFailure {
  const base = cause instanceof Error ? cause : new Error(String(cause));
  const err = Object.assign(base, { id, properties, reasons: [base.message] });
  return err as PartialFailure;
}
