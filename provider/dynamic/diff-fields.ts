// One diff routine for every resource: each input is either a replace field, an update field (changed in
// place on the server) or a local field (only changes how this provider behaves, e.g. a task timeout).
import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown } from "./unknowns.js";

/** Decides whether an old output and a new input mean the same thing. */
export type FieldComparer = (oldValue: unknown, newValue: unknown, olds: Record<string, unknown>) => boolean;

/** How each input field of a resource behaves on change. */
export interface DiffRules {
  /** Changing one of these replaces the resource. */
  replace: readonly string[];
  /** Changing one of these updates the resource in place. */
  update: readonly string[];
  /** Whether the old object must go before the new one is created (see each resource for why). */
  deleteBeforeReplace: boolean;
  /** Field-specific equality (thumbprint spelling, password digests); default: deep equality. */
  comparers?: Readonly<Record<string, FieldComparer>>;
}

/** The diff plus the names of the fields that differ. */
export interface FieldDiff extends pulumi.dynamic.DiffResult {
  changed: string[];
}

/** Deep equality of JSON-like values where `undefined` and `null` are the same (both mean "not set"). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a === "object") {
    if (typeof b !== "object" || Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    return [...keys].every((k) => sameValue(ao[k], bo[k]));
  }
  return a === b;
}

/**
 * Compares old outputs with new inputs field by field. An unknown new value counts as changed, and as a
 * replacement when the field is a replace field: the value may turn out different, so preview must show the
 * worst case.
 */
export function diffFields(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  rules: DiffRules,
): FieldDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const field of [...rules.replace, ...rules.update]) {
    const oldValue = olds[field];
    const newValue = news[field];
    const equal = containsUnknown(newValue)
      ? false
      : (rules.comparers?.[field] ?? ((a, b) => sameValue(a, b)))(oldValue, newValue, olds);
    if (equal) continue;
    changed.push(field);
    if (rules.replace.includes(field)) replaces.push(field);
  }
  return {
    changes: changed.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && rules.deleteBeforeReplace,
    changed,
  };
}
