import { randomUUID } from "node:crypto";
import type {
  NicSettings,
  Priority,
  ProtectionGroupInfo,
  ReplicationType,
  VmCallout,
  VmRecoverySettings,
} from "../provider/api/index.js";
import { ROOT_FOLDERS } from "./folder-model.js";
import type { PlanState } from "./model.js";

/** A protection group of one pairing. */
export interface GroupState {
  id: string;
  pairingId: string;
  name: string;
  description: string | null;
  replicationType: ReplicationType;
  protectedVcGuid: string;
  recoveryVcGuid: string;
  protectedSiteName: string;
  recoverySiteName: string;
  /** HBR: the protected VMs. */
  vms: string[];
  /** ABR: the array pair and its replicated datastores in the group. */
  arrayPair: string | null;
  datastores: string[];
  /** The group's folder; the root folder when unset. */
  folderId?: string;
}

/** Recovery settings of one VM in one plan, as SRM stores them. */
export interface VmSettingsState {
  ipCustomizationType: VmRecoverySettings["ip_customization_type"];
  nicSettings: NicSettings[];
  priority: Priority;
  startupAction: VmRecoverySettings["startup_action"];
  skipShutdownGuest: boolean;
  shutdownTimeoutSeconds: number;
  powerOnVmToolsTimeoutSeconds: number;
  delayAfterPowerOnSeconds: number;
  prePowerOnSteps: VmCallout[];
  postPowerOnSteps: VmCallout[];
  dependentVms: string[];
  changeVersion: number;
  /** SYNC_CONFLICT: the settings differ from the remote site's copy (tests set it). */
  syncConflict: boolean;
}

/**
 * SRM's defaults for a VM newly added to a plan (SRM administration guide, "Change the recovery settings
 * of a virtual machine"): priority 3, power on, wait up to 5 minutes for VMware Tools, no extra delay,
 * guest shutdown with a 5 minute timeout, IP customization by the site's rules.
 */
export function defaultVmSettings(changeVersion = 1): VmSettingsState {
  return {
    ipCustomizationType: "AUTO",
    nicSettings: [],
    priority: "P3",
    startupAction: "POWER_ON",
    skipShutdownGuest: false,
    shutdownTimeoutSeconds: 300,
    powerOnVmToolsTimeoutSeconds: 300,
    delayAfterPowerOnSeconds: 0,
    prePowerOnSteps: [],
    postPowerOnSteps: [],
    dependentVms: [],
    changeVersion,
    syncConflict: false,
  };
}

/** Protection groups, the groups each plan holds and each plan VM's recovery settings. */
export class ProtectionModel {
  readonly groups = new Map<string, GroupState>();
  /** Plan id -> VM id -> settings. Settings exist while the VM is in the plan. */
  readonly settings = new Map<string, Map<string, VmSettingsState>>();

  addGroup(g: Omit<GroupState, "id">): GroupState {
    const group = { ...g, id: `protection-group-${randomUUID()}` };
    this.groups.set(group.id, group);
    return group;
  }

  groupsOf(pairingId: string): GroupState[] {
    return [...this.groups.values()].filter((g) => g.pairingId === pairingId);
  }

  /** The group that holds a VM, if any (a VM is protected by one group at most). */
  groupOfVm(vmId: string): GroupState | undefined {
    return [...this.groups.values()].find((g) => g.vms.includes(vmId));
  }

  /** The group that holds a replicated datastore, if any. */
  groupOfDatastore(datastoreId: string): GroupState | undefined {
    return [...this.groups.values()].find((g) => g.datastores.includes(datastoreId));
  }

  /** VMs protected by any group. */
  protectedVmIds(vmsOnDatastore: (ds: string) => string[]): Set<string> {
    const ids = new Set<string>();
    for (const g of this.groups.values()) for (const vm of this.groupVmIds(g, vmsOnDatastore)) ids.add(vm);
    return ids;
  }

  /** VMs of a group: HBR lists them, ABR holds every VM whose home is on one of its datastores. */
  groupVmIds(g: GroupState, vmsOnDatastore: (ds: string) => string[]): string[] {
    return g.replicationType === "ABR" ? g.datastores.flatMap(vmsOnDatastore) : [...g.vms];
  }

  /**
   * Brings a plan's settings in line with its VMs: VMs that joined get SRM's defaults, VMs that left lose
   * their settings (adding the VM again starts from the defaults).
   */
  syncPlanVms(planId: string, vmIds: readonly string[]): void {
    let map = this.settings.get(planId);
    if (!map) {
      map = new Map();
      this.settings.set(planId, map);
    }
    for (const id of [...map.keys()]) if (!vmIds.includes(id)) map.delete(id);
    for (const id of vmIds) if (!map.has(id)) map.set(id, defaultVmSettings());
  }

  settingsOf(planId: string, vmId: string): VmSettingsState | undefined {
    return this.settings.get(planId)?.get(vmId);
  }

  groupView(g: GroupState, vmCount: number, plans: PlanState[], folderName: string): ProtectionGroupInfo {
    const running = plans.find((p) => p.isRunning);
    return {
      id: g.id,
      name: g.name,
      description: g.description,
      location: g.folderId ?? ROOT_FOLDERS.protection.id,
      location_name: folderName,
      protected_site_name: g.protectedSiteName,
      recovery_site_name: g.recoverySiteName,
      protected_vc_guid: g.protectedVcGuid,
      recovery_vc_guid: g.recoveryVcGuid,
      total_vms: vmCount,
      replication_type: g.replicationType,
      recovery_status: running ? "RECOVERY_IN_PROGRESS" : "READY",
      status: "OK",
      array_pair: g.arrayPair,
      domain_id: null,
    };
  }

  /** Swaps a group's protected and recovery sites (what a successful reprotect does to the plan's groups). */
  swapDirection(g: GroupState): void {
    [g.protectedVcGuid, g.recoveryVcGuid] = [g.recoveryVcGuid, g.protectedVcGuid];
    [g.protectedSiteName, g.recoverySiteName] = [g.recoverySiteName, g.protectedSiteName];
  }
}

/** The settings as VmRecoverySettings on the wire. */
export function settingsView(
  s: VmSettingsState,
  dependentView: (
    vmId: string,
  ) => VmRecoverySettings["dependent_vms"] extends (infer A)[] | null | undefined ? A : never,
): VmRecoverySettings {
  return {
    ip_customization_type: s.ipCustomizationType,
    nic_settings: s.nicSettings,
    priority: s.priority,
    startup_action: s.startupAction,
    shutdown_action_settings: {
      skip_shutdown_guest: s.skipShutdownGuest,
      timeout_seconds: s.shutdownTimeoutSeconds,
    },
    startup_action_settings: {
      power_on_vmtools_timeout_seconds: s.powerOnVmToolsTimeoutSeconds,
      delay_before_power_on_steps_and_dependent_vms_seconds: s.delayAfterPowerOnSeconds,
    },
    pre_power_on_steps: s.prePowerOnSteps,
    post_power_on_steps: s.postPowerOnSteps,
    dependent_vms: s.dependentVms.map(dependentView),
    change_version: s.changeVersion,
    vm_tools_status: "INSTALLED",
    allow_vmotion_migration: false,
  };
}
