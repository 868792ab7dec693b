/** One request the simulator received, for assertions ("no credential reached the server"). */
export interface RecordedRequest {
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Query parameters; a repeated one (`filter=a&filter=b`) is a list. */
  query: Record<string, string | string[]>;
  /** Request headers; `authorization` is replaced by "<scheme> <redacted>". */
  headers: Record<string, string | string[] | undefined>;
  /** Whether the request carried an Authorization header. */
  hasAuthorization: boolean;
  /** The parsed JSON body (undefined when none or when the connection was dropped before parsing). */
  body: unknown;
  /** Answered status; 0 while in flight or when the connection was dropped. */
  status: number;
  /** Set when the request was carried out but its answer (this status) was dropped by a `dropAnswers` fault. */
  answerDropped?: number;
  /** The route key faults use ("GET /pairings/{pairing_id}"), or the raw path when no route matched. */
  route: string;
  time: number;
}

/** Copies headers with the Authorization value hidden (its scheme stays, so tests can tell Basic from others). */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): RecordedRequest["headers"] {
  const copy = { ...headers };
  const auth = copy.authorization;
  if (typeof auth === "string") copy.authorization = `${auth.split(" ")[0]} <redacted>`;
  return copy;
}
