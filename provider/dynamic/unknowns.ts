// During preview, inputs that depend on other resources' outputs arrive as this sentinel string instead of a
// value. check and diff must accept it anywhere and decide conservatively.

/** The value Pulumi substitutes for a not-yet-known input during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when the value is the unknown sentinel itself. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when the value is, or contains anywhere inside arrays and objects, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
