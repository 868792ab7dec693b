import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

/** The `{view_mode}` path segment of the recovery-steps operations. */
export const VIEW_MODES = ["test", "recovery", "cleanup", "reprotect"] as const;
export const ViewMode = z.enum(VIEW_MODES);
export type ViewMode = z.infer<typeof ViewMode>;

export const CALLOUT_TYPES = ["PROMPT", "RUN_ON_VM", "RUN_ON_SRM_SERVER"] as const;
export const CalloutType = z.enum(CALLOUT_TYPES);
export type CalloutType = z.infer<typeof CalloutType>;

export const STEP_TYPES = ["PRE_POWER_ON", "POST_POWER_ON", "RECOVERY_STEP"] as const;
export const StepType = z.enum(STEP_TYPES);

export const RECOVERY_STEP_STATUSES = [
  "INACTIVE",
  "RUNNING",
  "CANCELLED",
  "SKIPPED",
  "ALREADY_DONE",
  "SUCCESS",
  "WARNING",
  "ERROR",
] as const;

/** Largest `timeout_seconds` SRM accepts for RUN_ON_* callouts. */
export const MAX_CALLOUT_TIMEOUT_SECONDS = 59999;

export const PlanCalloutPosition = z.object({
  position_spec_index: z.number().int(),
  // A string, not the enum: a newer SRM may add anchors, and listing its steps must not fail on them.
  position_spec_position: z.string(),
});

export const VmCalloutPosition = z.object({
  vm_id: z.string(),
  pre_power_on: z.boolean(),
  index: z.number().int(),
});

/** RecoveryStep (and its DrResponseEntity). Ids are int32 on the wire. */
export const RecoveryStep = z.object({
  id: z.number().int(),
  title: z.string(),
  step_number: z.string(),
  child_count: z.number().int(),
  depth: z.number().int(),
  progress: z.number().int(),
  status: z.enum(RECOVERY_STEP_STATUSES),
  plan_callout_position_spec: PlanCalloutPosition.nullish(),
  vm_callout_position_spec: VmCalloutPosition.nullish(),
  finish_time: z.number().int().nullish(),
  start_time: z.number().int().nullish(),
  expanded: z.boolean().optional(),
  warnings: z.array(z.string()).nullish(),
  errors: z.array(z.string()).nullish(),
  referred_object: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type RecoveryStep = z.infer<typeof RecoveryStep>;

export const RecoveryStepList = listOf(RecoveryStep);
export type RecoveryStepList = z.infer<typeof RecoveryStepList>;

/** Callout (and CalloutDrResponseEntity): answer of `GET .../{step}/callout-data`. */
export const Callout = z.object({
  id: z.string(),
  name: z.string(),
  content: z.string(),
  callout_type: CalloutType,
  timeout_seconds: z.number().int(),
  step_type: StepType,
  _meta: Metadata.optional(),
});
export type Callout = z.infer<typeof Callout>;

/** CalloutCreateSpec: body of `POST .../recovery-steps/{view_mode}`. Request: exact. */
export const CalloutCreateSpec = z.strictObject({
  name: z.string().min(1),
  content: z.string(),
  callout_type: CalloutType,
  timeout_seconds: z.number().int().min(0).max(MAX_CALLOUT_TIMEOUT_SECONDS),
  position: z.number().int().min(0),
});
export type CalloutCreateSpec = z.infer<typeof CalloutCreateSpec>;

/** CalloutModifySpec: body of `POST .../{step}/callout-data/actions/edit`. Request: exact. */
export const CalloutModifySpec = z.strictObject({
  name: z.string().min(1),
  content: z.string(),
  callout_type: CalloutType,
  timeout_seconds: z.number().int().min(0).max(MAX_CALLOUT_TIMEOUT_SECONDS),
});
export type CalloutModifySpec = z.infer<typeof CalloutModifySpec>;
