import type { FolderArea } from "./folder.js";
import type { MappingKind } from "./inventory-mapping.js";
import type { ViewMode } from "./recovery-step.js";

/** SRM REST API v2 base path, relative to `https://<srm>`. */
export const SRM_BASE_PATH = "/api/rest/srm/v2";

/** An id that cannot stand as one URL path segment. */
export class InvalidPathSegmentError extends Error {
  override readonly name = "InvalidPathSegmentError";
}

/**
 * One path segment: percent-encoded, so "/", "?" and "#" stay inside it. Empty, "." and ".." are refused:
 * URL resolution would drop the segment or climb out of it (also in encoded form, "%2e"), and the request
 * would reach another object, whose 404 could read as "already gone".
 */
export function pathSegment(value: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new InvalidPathSegmentError(
      `${value === "" ? "An empty id" : `The id "${value}"`} cannot be used in an SRM request path; ids are never empty, "." or "..".`,
    );
  }
  return encodeURIComponent(value);
}

const seg = pathSegment;

/** SRM paths relative to the base; one function per resource so callers never build URLs by hand. */
export const srmPaths = {
  session: () => "session",
  tasks: () => "tasks",
  task: (taskId: string) => `tasks/${seg(taskId)}`,
  pairings: () => "pairings",
  pairing: (pairingId: string) => `pairings/${seg(pairingId)}`,
  reconnect: (pairingId: string) => `pairings/${seg(pairingId)}/actions/reconnect`,
  remoteSession: (pairingId: string) => `pairings/${seg(pairingId)}/remote-session`,
  plans: (pairingId: string) => `pairings/${seg(pairingId)}/recovery-management/plans`,
  plan: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}`,
  reprotect: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/actions/reprotect`,
  recoverySteps: (pairingId: string, planId: string, viewMode: ViewMode) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/recovery-steps/${seg(viewMode)}`,
  recoveryStep: (pairingId: string, planId: string, viewMode: ViewMode, stepId: number | string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/recovery-steps/${seg(viewMode)}/${seg(String(stepId))}`,
  calloutData: (pairingId: string, planId: string, viewMode: ViewMode, stepId: number | string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/recovery-steps/${seg(viewMode)}/${seg(String(stepId))}/callout-data`,
  calloutEdit: (pairingId: string, planId: string, viewMode: ViewMode, stepId: number | string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/recovery-steps/${seg(viewMode)}/${seg(String(stepId))}/callout-data/actions/edit`,
  groups: (pairingId: string) => `pairings/${seg(pairingId)}/protection-management/groups`,
  group: (pairingId: string, groupId: string) =>
    `pairings/${seg(pairingId)}/protection-management/groups/${seg(groupId)}`,
  groupReconfigure: (pairingId: string, groupId: string) =>
    `pairings/${seg(pairingId)}/protection-management/groups/${seg(groupId)}/actions/reconfigure`,
  groupVms: (pairingId: string, groupId: string) =>
    `pairings/${seg(pairingId)}/protection-management/groups/${seg(groupId)}/vms`,
  planReconfigure: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/actions/reconfigure`,
  planGroups: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/protection-groups`,
  planTestNetworks: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/test-networks`,
  planVms: (pairingId: string, planId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/vms`,
  vmRecoverySettings: (pairingId: string, planId: string, vmId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/vms/${seg(vmId)}/recovery-settings`,
  vmRecoverySettingsUpdate: (pairingId: string, planId: string, vmId: string) =>
    `pairings/${seg(pairingId)}/recovery-management/plans/${seg(planId)}/vms/${seg(vmId)}/recovery-settings/actions/update`,
  vcenterInventory: (pairingId: string, vcenterId: string, kind: VcenterInventoryKind) =>
    `pairings/${seg(pairingId)}/vcenters/${seg(vcenterId)}/inventory/${kind}`,
  vcenterInventoryItem: (pairingId: string, vcenterId: string, kind: VcenterInventoryKind, id: string) =>
    `pairings/${seg(pairingId)}/vcenters/${seg(vcenterId)}/inventory/${kind}/${seg(id)}`,
  storagePolicies: (pairingId: string, vcenterId: string) =>
    `pairings/${seg(pairingId)}/vcenters/${seg(vcenterId)}/storage-policies`,
  storagePolicy: (pairingId: string, vcenterId: string, id: string) =>
    `pairings/${seg(pairingId)}/vcenters/${seg(vcenterId)}/storage-policies/${seg(id)}`,
  mappings: (
    pairingId: string,
    srmId: string,
    kind: MappingKind | "test-networks" | "placeholder-datastores",
  ) => `pairings/${seg(pairingId)}/srms/${seg(srmId)}/inventory-mappings/${kind}`,
  mapping: (
    pairingId: string,
    srmId: string,
    kind: MappingKind | "test-networks" | "placeholder-datastores",
    id: string,
  ) => `pairings/${seg(pairingId)}/srms/${seg(srmId)}/inventory-mappings/${kind}/${seg(id)}`,
  ipSubnetMapping: (pairingId: string, srmId: string, mappingId: string) =>
    `pairings/${seg(pairingId)}/srms/${seg(srmId)}/inventory-mappings/networks/${seg(mappingId)}/ip-subnet-mapping`,
  suitableDatastores: (pairingId: string, srmId: string) =>
    `pairings/${seg(pairingId)}/srms/${seg(srmId)}/inventory-mappings/placeholder-datastores/actions/query-suitable-datastores`,
  folders: (pairingId: string, area: FolderArea) => `pairings/${seg(pairingId)}/${area}-management/inventory`,
  folder: (pairingId: string, area: FolderArea, folderId: string) =>
    `pairings/${seg(pairingId)}/${area}-management/inventory/${seg(folderId)}`,
  folderChildren: (pairingId: string, area: FolderArea, folderId: string) =>
    `pairings/${seg(pairingId)}/${area}-management/inventory/${seg(folderId)}/children`,
  folderRename: (pairingId: string, area: FolderArea, folderId: string) =>
    `pairings/${seg(pairingId)}/${area}-management/inventory/${seg(folderId)}/actions/rename`,
  folderMove: (pairingId: string, area: FolderArea, folderId: string) =>
    `pairings/${seg(pairingId)}/${area}-management/inventory/${seg(folderId)}/actions/move`,
  replicatedVms: (pairingId: string, vcenterId: string) =>
    `pairings/${seg(pairingId)}/vcenters/${seg(vcenterId)}/replicated-vms`,
} as const;

/** The vCenter inventory listings SRM serves under `/pairings/{id}/vcenters/{id}/inventory/`. */
export const VCENTER_INVENTORY_KINDS = ["vm-folder", "network", "compute", "datastores"] as const;
/** One of {@link VCENTER_INVENTORY_KINDS}. */
export type VcenterInventoryKind = (typeof VCENTER_INVENTORY_KINDS)[number];

/** vCenter appliance paths, absolute on the appliance host. */
export const appliancePaths = {
  apiSession: "/api/session",
  restSession: "/rest/com/vmware/cis/session",
  apiReconciliationJob: "/api/appliance/recovery/reconciliation/job",
  restReconciliationJob: "/rest/appliance/recovery/reconciliation/job",
} as const;
