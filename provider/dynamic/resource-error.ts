// Errors users see name what failed, on which object, and what to do, and keep the SRM facts (error_code,
// op_id, task id) that lead to the server logs. Every message passes through the client's scrubber, which
// removes any password this process has seen.
import { ConfigError } from "../config.js";
import { isSrmError, scrub, SrmError } from "../client/errors.js";
import { isPartialFailure, partialFailure } from "./partial-failure.js";

/** Facts appended to a message when it does not already name them. */
function facts(e: SrmError): string {
  const parts: string[] = [];
  if (e.errorCode && !e.message.includes(e.errorCode)) parts.push(`SRM error_code ${e.errorCode}`);
  if (e.opId && !e.message.includes(e.opId)) parts.push(`op_id ${e.opId}`);
  if (e.taskId && !e.message.includes(e.taskId)) parts.push(`task ${e.taskId}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

/**
 * Wraps any failure with the operation and object it concerns, e.g.
 * `creating Pairing "dr" to remote vCenter 4f1c...: <cause>`. SrmError fields are kept on the new error.
 */
export function resourceError(context: string, e: unknown): Error {
  const wrapped = wrapError(context, e);
  // A partial failure keeps what the engine needs to record the object, with the message as its reason.
  if (isPartialFailure(e)) return partialFailure(wrapped, e.id, e.properties, e.properties);
  return wrapped;
}

function wrapError(context: string, e: unknown): Error {
  if (isSrmError(e)) {
    const wrapped = new SrmError(e.code, scrub(`${context}: ${e.message}${facts(e)}`), {
      status: e.status,
      method: e.method,
      path: e.path,
      errorCode: e.errorCode,
      opId: e.opId,
      taskId: e.taskId,
      details: e.details === undefined ? undefined : scrub(e.details),
    });
    return wrapped;
  }
  if (e instanceof ConfigError) return new ConfigError(scrub(`${context}: ${e.message}`), e.setting);
  const message = e instanceof Error ? e.message : String(e);
  return new Error(scrub(`${context}: ${message}`));
}

/** Runs `fn`, rethrowing any failure through {@link resourceError}. */
export async function withContext<T>(context: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw resourceError(context, e);
  }
}

/** True for the client's NOT_FOUND error (HTTP 404). */
export function isNotFound(e: unknown): boolean {
  return isSrmError(e) && (e.code === "NOT_FOUND" || e.status === 404);
}
