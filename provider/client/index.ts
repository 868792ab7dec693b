// The SRM and vCenter appliance REST client (got). No Pulumi here; resources build on it.
export * from "./errors.js";
export * from "./tls.js";
export {
  HttpClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY_LIMIT,
  RETRY_ERROR_CODES,
  type RequestContext,
} from "./http.js";
export * from "./srm-session.js";
export * from "./srm-client.js";
export * from "./site-inventory-client.js";
export * from "./task-waiter.js";
export * from "./task-timing.js";
export * from "./task-poll-batcher.js";
export * from "./plan-lock.js";
export * from "./mutation-guard.js";
export * from "./appliance-client.js";
