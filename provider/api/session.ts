import { z } from "zod";

/** Answer of `POST /session`. */
export const SessionIdData = z.object({ session_id: z.string().min(1) });
export type SessionIdData = z.infer<typeof SessionIdData>;

/** Answer of `GET /session` and `GET /pairings/{id}/remote-session`. */
export const SessionInfo = z.object({ username: z.string().optional() });
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Header that carries the SRM session token on every call. */
export const SRM_SESSION_HEADER = "x-dr-session";
