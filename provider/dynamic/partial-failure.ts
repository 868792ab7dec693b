// A failure after SRM accepted a mutation must not lose the object: the dynamic-provider host turns an error
// that carries `id`, `properties` and `reasons` into a partial failure (ErrorResourceInitFailed), and the
// engine then records the resource with those outputs. The next `pulumi up` calls update on it (the engine
// retries resources recorded with initialization errors), which resumes instead of starting over.
import type { Props } from "./resource-implementation.js";

/** The fields the host reads off a thrown error to report a partial failure. */
export interface PartialFailure extends Error {
  /** Id of the object SRM accepted. */
  id: string;
  /** Outputs to record; they carry `__provider` so later calls find the provider. */
  properties: Props;
  /** Why the resource is not fully done; shown by the engine and kept in state. */
  reasons: string[];
}

/** Makes `error` a partial failure of the object `id` with `outputs`, keeping the serialized provider of `inputs`. */
export function partialFailure(error: unknown, id: string, outputs: Props, inputs: Props): PartialFailure {
  const e = (error instanceof Error ? error : new Error(String(error))) as PartialFailure;
  e.id = id;
  e.properties = { ...outputs, __provider: inputs.__provider };
  e.reasons = [e.message];
  return e;
}

/** True when `e` already carries what the host needs for a partial failure. */
export function isPartialFailure(e: unknown): e is PartialFailure {
  return (
    e instanceof Error &&
    typeof (e as Partial<PartialFailure>).id === "string" &&
    typeof (e as Partial<PartialFailure>).properties === "object"
  );
}
