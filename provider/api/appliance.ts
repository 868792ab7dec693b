import { z } from "zod";

/** Header that carries the vCenter appliance session token. */
export const VAPI_SESSION_HEADER = "vmware-api-session-id";

/** `POST /api/session` answers 201 with the token as a bare JSON string. */
export const ApiSessionToken = z.string().min(1);
/** Legacy `POST /rest/com/vmware/cis/session` answers `{value: token}`. */
export const RestSessionToken = z.object({ value: z.string().min(1) });

/** std.LocalizableMessage as vAPI returns it. */
export const LocalizableMessage = z.object({
  id: z.string().optional(),
  default_message: z.string().optional(),
  args: z.array(z.string()).optional(),
  localized: z.string().optional(),
});
export type LocalizableMessage = z.infer<typeof LocalizableMessage>;

/** Reconciliation job CreateSpec (the `/api` body; `/rest` wraps it as `{spec}`). Request: exact. */
export const ReconciliationCreateSpec = z.strictObject({
  ignore_warnings: z.boolean().optional(),
  sso_admin_user_name: z.string().min(1),
  sso_admin_user_password: z.string().min(1),
});
export type ReconciliationCreateSpec = z.infer<typeof ReconciliationCreateSpec>;

export const RestReconciliationCreateBody = z.strictObject({ spec: ReconciliationCreateSpec });

export const RECONCILIATION_STATUSES = ["NONE", "RUNNING", "SUCCEEDED", "FAILED"] as const;
export const ReconciliationStatus = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatus>;

/** Reconciliation job Info. Times are ISO-8601 date-time strings. */
export const ReconciliationJobInfo = z.object({
  status: ReconciliationStatus,
  description: LocalizableMessage.optional(),
  service: z.string().optional(),
  operation: z.string().optional(),
  parent: z.string().nullish(),
  target: z.object({ id: z.string().optional(), type: z.string().optional() }).nullish(),
  cancelable: z.boolean().optional(),
  error: z.unknown().nullish(),
  start_time: z.string().nullish(),
  end_time: z.string().nullish(),
  progress: z.number().int().nullish(),
  messages: z.array(LocalizableMessage).default([]),
});
export type ReconciliationJobInfo = z.infer<typeof ReconciliationJobInfo>;

/** Legacy `/rest` answers wrap the Info in `{value}`. */
export const RestReconciliationJobInfo = z.object({ value: ReconciliationJobInfo });

/** `/api` error form: `{error_type, messages}`. */
export const ApiError = z.object({
  error_type: z.string(),
  messages: z.array(LocalizableMessage).default([]),
});
export type ApiError = z.infer<typeof ApiError>;

/** Legacy `/rest` error form: `{type, value: {messages}}`. */
export const RestError = z.object({
  type: z.string(),
  value: z
    .object({ messages: z.array(LocalizableMessage).default([]) })
    .partial()
    .optional(),
});
export type RestError = z.infer<typeof RestError>;
