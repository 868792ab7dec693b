import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

export const TASK_STATUSES = ["QUEUED", "RUNNING", "SUCCESS", "ERROR", "CANCELLED"] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Statuses after which a task never changes again. */
export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ["SUCCESS", "ERROR", "CANCELLED"];

export const TaskError = z.object({
  message: z.string().nullish(),
  details: z.string().nullish(),
});
export type TaskError = z.infer<typeof TaskError>;

/** SRM Task (and TaskDrResponseEntity): every mutation answers 202 with one. Times are epoch ms. */
export const Task = z.object({
  id: z.string().min(1),
  status: TaskStatus,
  description: z.string().nullish(),
  description_id: z.string().nullish(),
  entity: z.string().nullish(),
  entity_name: z.string().nullish(),
  error: TaskError.nullish(),
  result: z.unknown().nullish(),
  progress: z.number().int().nullish(),
  queued_time: z.number().int().nullish(),
  start_time: z.number().int().nullish(),
  complete_time: z.number().int().nullish(),
  _meta: Metadata.optional(),
});
export type Task = z.infer<typeof Task>;

/** TaskDrResponseList: `GET /tasks`, SRM's recent tasks (newest first). */
export const TaskList = listOf(Task);
