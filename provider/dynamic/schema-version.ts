// Outputs carry `schemaVersion` so code reading state can tell which layout wrote it. Version 1 is the
// first layout; state without the field was never written by this package and is read as version 1.

/** Layout version of the outputs this code writes. */
export const SCHEMA_VERSION = 1;

/**
 * Brings outputs from state (possibly written by older code) to the current layout. Only version 1 exists;
 * later layouts add their upgrade steps here so `read`, `diff` and `delete` always see the current shape.
 */
export function upgradeOutputs<T extends Record<string, unknown>>(props: T): T & { schemaVersion: number } {
  const version = typeof props.schemaVersion === "number" ? props.schemaVersion : SCHEMA_VERSION;
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `This state was written by a newer pulumi-srm (outputs schema version ${version}, this one reads up to ` +
        `${SCHEMA_VERSION}). Upgrade the pulumi-srm package in this project.`,
    );
  }
  return { ...props, schemaVersion: SCHEMA_VERSION };
}
