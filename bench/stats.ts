// Small statistics helpers for benchmark reports.

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Formats a number of milliseconds with one decimal. */
export function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

/** Prints rows as an aligned plain-text table. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

/** The p-th percentile (nearest rank) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * The field-by-field median of several runs' figures: numbers become their median, nested objects are combined
 * the same way, anything else is taken from the first run.
 */
export function medianOf<T>(runs: readonly T[]): T {
  const first = runs[0] as unknown;
  if (typeof first === "number") return median(runs as readonly number[]) as T;
  if (first === null || typeof first !== "object" || Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r as object)));
  for (const key of keys) {
    const values = runs.map((r) => (r as Record<string, unknown>)[key]).filter((v) => v !== undefined);
    out[key] = medianOf(values);
  }
  return out as T;
}
