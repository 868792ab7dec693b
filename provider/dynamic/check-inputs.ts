// check: zod validation with one failure per field, defaults applied, no network. Fields holding the preview's
// unknown value are not validated (their real value is checked on the next run) and are passed through as is.
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { containsUnknown } from "./unknowns.js";

/** One field-level failure as the engine shows it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** A rule across fields, run only on validated data; return failures for the offending fields. */
export type CrossFieldRule<T> = (data: T, unknownFields: ReadonlySet<string>) => CheckFailure[];

/** "timeoutSeconds", "triggers[0]", "a.b". */
export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

/**
 * The own properties of the inputs, without the host's reserved key and with explicit nulls dropped. Only
 * own keys count: a key such as "toString" or "constructor" must not be confused with what every object
 * inherits, and one named "__proto__" must stay a plain key rather than replace a prototype.
 */
function ownInputs(news: Record<string, unknown> | undefined): [string, unknown][] {
  if (news === null || typeof news !== "object") return [];
  // An explicit null means "not set", like a missing key.
  return Object.entries(news).filter(([k, v]) => k !== "__provider" && v !== null);
}

/**
 * Validates inputs. On success `inputs` holds the parsed values (defaults applied) plus the unknown fields
 * unchanged; on failure the original inputs and one failure per offending field (`property` is the field
 * path, `reason` starts with it).
 */
export function checkInputs<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  rules: CrossFieldRule<z.infer<S>>[] = [],
): pulumi.dynamic.CheckResult {
  const entries = ownInputs(news);
  const unknownFields = new Set(entries.filter(([, v]) => containsUnknown(v)).map(([k]) => k));
  // Object.fromEntries defines own data properties, so "__proto__" stays a key like any other.
  const known = Object.fromEntries(entries.filter(([k]) => !unknownFields.has(k)));
  const mask = Object.fromEntries(
    [...unknownFields].filter((k) => Object.hasOwn(schema.shape, k)).map((k) => [k, true]),
  );
  const tolerant = Object.keys(mask).length > 0 ? schema.partial(mask as never) : schema;
  const parsed = tolerant.safeParse(known);
  if (!parsed.success) {
    const failures: CheckFailure[] = [];
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const property = propertyPath(issue.path) || "(inputs)";
      if (seen.has(property)) continue;
      seen.add(property);
      failures.push({ property, reason: `${property}: ${issue.message}` });
    }
    return { inputs: news, failures };
  }
  const data = parsed.data as z.infer<S>;
  const failures = rules.flatMap((rule) => rule(data, unknownFields));
  if (failures.length > 0) return { inputs: news, failures };
  const inputs: Record<string, unknown> = Object.fromEntries([
    ...Object.entries(data as Record<string, unknown>),
    ...entries.filter(([k]) => unknownFields.has(k)),
  ]);
  return { inputs };
}

/** Parses inputs that check has already accepted (create/update); throws listing every failure otherwise. */
export function parseInputs<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  what: string,
  rules: CrossFieldRule<z.infer<S>>[] = [],
): z.infer<S> {
  const result = checkInputs(schema, news, rules);
  if (result.failures && result.failures.length > 0) {
    throw new Error(`${what}: invalid inputs: ${result.failures.map((f) => f.reason).join("; ")}`);
  }
  const unknown = Object.keys(result.inputs ?? {}).filter((k) => containsUnknown(result.inputs?.[k]));
  if (unknown.length > 0) {
    throw new Error(`${what}: inputs not known yet: ${unknown.join(", ")}`);
  }
  return result.inputs as z.infer<S>;
}

/**
 * The inputs diff should compare: defaults applied when they validate (diff may be called with inputs that
 * did not go through check), else as given.
 */
export function normalizedForDiff<S extends z.ZodObject>(
  schema: S,
  news: Record<string, unknown>,
  rules: CrossFieldRule<z.infer<S>>[] = [],
): Record<string, unknown> {
  const result = checkInputs(schema, news ?? {}, rules);
  return result.failures && result.failures.length > 0
    ? (news ?? {})
    : (result.inputs as Record<string, unknown>);
}
