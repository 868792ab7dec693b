// zod building blocks shared by the resources' input schemas; messages are written to follow the field path
// ("pscPort: must be an integer from 1 to 65535").
import { z } from "zod";
import { isThumbprint } from "../config.js";

/** A required, non-empty string. */
export function requiredString(what: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? `is required (${what})` : `must be a string (${what})`),
    })
    .min(1, { error: `must not be empty (${what})` });
}

/**
 * A required SRM id: non-empty, and not "." or "..", which cannot stand as a URL path segment (the request
 * would reach another object).
 */
export function idString(what: string) {
  return requiredString(what).refine((v) => v !== "." && v !== "..", {
    error: `must be an SRM id, not "." or ".." (${what})`,
  });
}

/** An optional, non-empty string. */
export function optionalString(what: string) {
  return z
    .string({ error: `must be a string (${what})` })
    .min(1, { error: `must not be empty when set (${what})` })
    .optional();
}

/** An integer within bounds, with a default. */
export function boundedInt(min: number, max: number, what: string) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return z
    .number({ error: `must be a number (${what})` })
    .int({ error: `must be an integer ${range} (${what})` })
    .min(min, { error: `must be an integer ${range} (${what})` })
    .max(max, { error: `must be an integer ${range} (${what})` });
}

/** A positive number of seconds to wait for a server task. */
export function taskTimeout(defaultSeconds: number) {
  return z
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds greater than 0" })
    .positive({ error: "must be a whole number of seconds greater than 0" })
    .default(defaultSeconds);
}

/** An optional certificate thumbprint: SHA-256 or SHA-1 in hex, colons optional. */
export function thumbprint(what: string) {
  return z
    .string({ error: `must be a string (${what})` })
    .refine(isThumbprint, {
      error: `must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint in hex, colons optional (${what})`,
    })
    .optional();
}

/** Thumbprints are the same when their hex digits are (case and colons do not matter). */
export function sameThumbprint(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (typeof v === "string" ? v.replace(/[:\s]/g, "").toUpperCase() : undefined);
  return norm(a) === norm(b);
}

/** Values that force an action resource to run again when they change (like pulumi-command's triggers). */
export const triggers = z.array(z.unknown(), { error: "must be a list of values" }).optional();

/** The Pulumi resource name the Resource class passes along, used in messages only. */
export const resourceName = z.string().optional();

/**
 * Hidden input: `project/stack/type/name` of the resource, set by its constructor; keys its create-journal
 * record (see create-journal.ts). Never diffed: a renamed stack changes nothing in SRM.
 */
export const journalKey = z.string().optional();
