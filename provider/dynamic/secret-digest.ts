// Passwords never enter outputs. To still notice a changed password in diff (which sees old outputs and new
// inputs, and must not call the server), outputs keep a salted HMAC of it: the salt is random per resource,
// so the digest reveals nothing usable and differs between stacks using the same password.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A new random salt (hex). */
export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/** HMAC-SHA256 of the secret keyed with the salt (hex). */
export function secretDigest(secret: string, salt: string): string {
  return createHmac("sha256", salt).update(secret, "utf8").digest("hex");
}

/** True when `secret` has `digest` under `salt`. */
export function matchesDigest(secret: string, salt: string, digest: string): boolean {
  const actual = Buffer.from(secretDigest(secret, salt), "hex");
  const expected = Buffer.from(digest, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
