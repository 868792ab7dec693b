// The wire contract: schemas as SRM and the vCenter appliance send them (snake_case), paths and enums. No I/O.
export * from "./errors.js";
export * from "./session.js";
export * from "./task.js";
export * from "./pairing.js";
export * from "./plan.js";
export * from "./recovery-step.js";
export * from "./plan-callout-anchor.js";
export * from "./appliance.js";
export * from "./vcenter-inventory.js";
export * from "./inventory-mapping.js";
export * from "./protection-group.js";
export * from "./vm-recovery-settings.js";
export * from "./folder.js";
export * from "./paths.js";
