import { randomUUID } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { ResponseError } from "../provider/api/index.js";

/** Error codes this simulator puts in SRM `ResponseError.error_code`. Documented in simulator/README.md. */
export const SimErrorCodes = {
  invalidRequestBody: "INVALID_REQUEST_BODY",
  invalidQuery: "INVALID_QUERY",
  invalidViewMode: "INVALID_VIEW_MODE",
  invalidPosition: "INVALID_POSITION",
  invalidTimeout: "INVALID_TIMEOUT",
  invalidPlanState: "INVALID_PLAN_STATE",
  builtInStep: "CANNOT_DELETE_BUILT_IN_STEP",
  localPairing: "CANNOT_MODIFY_LOCAL_PAIRING",
  remoteNotAuthenticated: "REMOTE_SITE_NOT_AUTHENTICATED",
  remoteUnreachable: "REMOTE_SITE_UNREACHABLE",
  injected: "INJECTED_FAULT",
  unknownInventoryObject: "UNKNOWN_INVENTORY_OBJECT",
  duplicateMapping: "DUPLICATE_MAPPING",
  invalidSubnetRule: "INVALID_SUBNET_RULE",
  groupInUse: "PROTECTION_GROUP_IN_USE",
  vmAlreadyProtected: "VM_ALREADY_PROTECTED",
  notReplicated: "NOT_REPLICATED",
  duplicateName: "DUPLICATE_NAME",
  directionMismatch: "DIRECTION_MISMATCH",
  changeVersionMismatch: "CHANGE_VERSION_MISMATCH",
  invalidRecoverySettings: "INVALID_RECOVERY_SETTINGS",
  folderNotEmpty: "FOLDER_NOT_EMPTY",
} as const;

/** Builds an SRM `ResponseError` body with a fresh `op_id`, as SRM sends on 400, 403 and 500. */
export function responseError(errorCode: string, message: string): Required<ResponseError> {
  return { error_code: errorCode, message, op_id: randomUUID() };
}

/** Sends an SRM error: 401 and 404 carry no body (as the spec says), 400/403/5xx a ResponseError. */
export function sendSrmError(
  reply: FastifyReply,
  status: number,
  errorCode = "",
  message = "",
): FastifyReply {
  if (status === 401 || status === 404) return reply.code(status).send();
  return reply.code(status).send(responseError(errorCode, message));
}

/** vAPI error type names in both forms (`/api` uses the short upper-case name, `/rest` the full type). */
export type VapiErrorKind =
  | "invalid_argument"
  | "not_allowed_in_current_state"
  | "feature_in_use"
  | "unauthenticated"
  | "not_found"
  | "error"
  | "service_unavailable";

function vapiMessage(kind: VapiErrorKind, text: string) {
  return { id: `com.vmware.vapi.std.errors.${kind}`, default_message: text, args: [] as string[] };
}

/** Sends an appliance error in the form of the API flavor that was called. */
export function sendVapiError(
  reply: FastifyReply,
  flavor: "api" | "rest",
  status: number,
  kind: VapiErrorKind,
  text: string,
): FastifyReply {
  const message = vapiMessage(kind, text);
  if (flavor === "api") {
    return reply.code(status).send({ error_type: kind.toUpperCase(), messages: [message] });
  }
  return reply
    .code(status)
    .send({ type: `com.vmware.vapi.std.errors.${kind}`, value: { messages: [message] } });
}
