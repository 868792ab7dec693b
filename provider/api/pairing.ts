import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

export const SERVER_STATUSES = ["OK", "WARNING", "ERROR"] as const;
export const ServerStatus = z.enum(SERVER_STATUSES);
export type ServerStatus = z.infer<typeof ServerStatus>;

/** ServerInfo: one vCenter or SRM server of a pairing. */
export const ServerInfo = z.object({
  id: z.string().optional(),
  url: z.string().optional(),
  name: z.string().optional(),
  server_status: ServerStatus.optional(),
  certificates: z.array(z.unknown()).nullish(),
  certificate_warnings: z.array(z.unknown()).nullish(),
  version: z.string().optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

/** Pairing (and PairingDrResponseEntity). */
export const Pairing = z.object({
  pairing_id: z.string(),
  local_vc_server: ServerInfo.optional(),
  remote_vc_server: ServerInfo.optional(),
  local_srm_server: ServerInfo.optional(),
  remote_srm_server: ServerInfo.optional(),
  _meta: Metadata.optional(),
});
export type Pairing = z.infer<typeof Pairing>;

export const PairingList = listOf(Pairing);
export type PairingList = z.infer<typeof PairingList>;

/** PairingSpecPairPscInfo: the remote Platform Services Controller (SSO) to pair with. Request: exact. */
export const PairingSpecPairPscInfo = z.strictObject({
  url: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  thumbprint: z.string().nullable(),
  username: z.string().min(1),
  password: z.string().min(1),
});
export type PairingSpecPairPscInfo = z.infer<typeof PairingSpecPairPscInfo>;

/** PairingSpec: body of `POST /pairings` and `POST /pairings/{id}/actions/reconnect`. Request: exact. */
export const PairingSpec = z.strictObject({
  pair_psc_info: PairingSpecPairPscInfo,
  pair_vc_guid: z.string().min(1),
  pair_srm_thumbprint: z.string().nullish(),
  pair_srm_url: z.string().nullish(),
});
export type PairingSpec = z.infer<typeof PairingSpec>;
