import { FolderModel, ROOT_FOLDERS } from "./folder-model.js";
import { randomUUID } from "node:crypto";
import type {
  Callout,
  CalloutType,
  Pairing,
  RecoveryPlanInfo,
  RecoveryPlanStatus,
  RecoveryStep,
  ServerInfo,
  ServerStatus,
  Task,
  TaskStatus,
  ViewMode,
} from "../provider/api/index.js";
import { VIEW_MODES } from "../provider/api/index.js";
import { CALLOUT_ANCHORS, type CalloutAnchor } from "../provider/api/index.js";
import { WORKFLOWS, type BuiltInStep } from "./built-in-steps.js";
import type { Inventory, RemoteSite } from "./inventory.js";
import { InventoryMappings } from "./mapping-model.js";
import { VcenterModel } from "./vcenter-model.js";
import { ProtectionModel } from "./protection-model.js";
import { vmStepRows, type StepRow } from "./vm-steps.js";

/** An SRM login session (`x-dr-session`). */
export interface SessionState {
  token: string;
  username: string;
  createdAt: number;
  lastUsedAt: number;
  /** vCenter guid of the site whose SRM server issued the session; it is valid at that server only. */
  siteVcGuid: string;
  /** Pairings whose remote site this session has logged in to (`POST .../remote-session`). */
  remotePairings: Set<string>;
}

/** One server (vCenter or SRM) of a pairing, as `ServerInfo` shows it. */
export interface ServerState {
  id: string;
  url: string;
  name: string;
  server_status: ServerStatus;
  version: string;
}

export interface PairingState {
  id: string;
  /** The self-pairing: local_vc == remote_vc; cannot be reconnected or deleted. */
  isLocal: boolean;
  remoteVcGuid: string;
  localVc: ServerState;
  remoteVc: ServerState;
  localSrm: ServerState;
  remoteSrm: ServerState;
  /** What the last successful create/reconnect stored about the remote PSC and SRM. */
  psc: { url: string; port: number; thumbprint: string | null };
  srm: { url: string | null; thumbprint: string | null };
}

export interface PlanState {
  id: string;
  pairingId: string;
  name: string;
  status: RecoveryPlanStatus;
  description: string | null;
  protectedVcGuid: string;
  recoveryVcGuid: string;
  protectedSiteName: string;
  recoverySiteName: string;
  progress: number;
  isRunning: boolean;
  /** Protection groups in the plan, in the order given. */
  groupIds: string[];
  /** Plan-level test network overrides. */
  testNetworks: { id: string; target_network: string; test_network: string }[];
  /** Recovery-site VMs suspended during recovery. */
  vmsToSuspend: string[];
  /** The plan's folder; the root folder when unset. */
  folderId?: string;
}

export interface CalloutState {
  id: string;
  name: string;
  content: string;
  callout_type: CalloutType;
  timeout_seconds: number;
}

/** A recovery step: built-in (from SRM's workflow) or a user callout. */
export interface StepState {
  id: number;
  builtIn?: BuiltInStep;
  callout?: CalloutState;
}

/** A plan's steps: built-in ones per view, custom ones per anchor (one list per plan, shared by the views). */
export interface PlanSteps {
  builtIn: Record<ViewMode, StepState[]>;
  custom: Map<CalloutAnchor, StepState[]>;
}

export interface TaskState {
  id: string;
  description: string;
  descriptionId: string;
  entity: string | null;
  entityName: string | null;
  status: TaskStatus;
  queuedTime: number;
  startTime: number | null;
  completeTime: number | null;
  /** When RUNNING: the planned complete time, for progress. */
  plannedCompleteTime: number | null;
  error: { message: string; details: string | null } | null;
  result: Record<string, unknown> | unknown[] | null;
  /** Set by the task runner: undoes what the task started when it is cancelled. */
  onCancel?: (message: string) => void;
}

export interface ReconciliationJobState {
  status: "NONE" | "RUNNING" | "SUCCEEDED" | "FAILED";
  startTime: string | null;
  endTime: string | null;
  startedAtMs: number;
  plannedEndMs: number;
  messages: { id: string; default_message: string; args: string[] }[];
}

export interface ApplianceState {
  /** A file-based restore finished; reconciliation is allowed only then. */
  restoreCompleted: boolean;
  /** "rest-only" answers 404 on every `/api/...` path (vCenter 6.7 has only `/rest`). */
  api: "both" | "rest-only";
  tokens: Set<string>;
  job: ReconciliationJobState | null;
}

/** Field changes of a callout made "outside Pulumi" by tests (drift). */
export type CalloutPatch = Partial<Omit<CalloutState, "id">>;

/**
 * The simulator's live state. Routes read and change it; tests may too (to create drift, change
 * server statuses or plan statuses) through the same methods.
 */
export class SimulatorModel {
  readonly inventory: Inventory;
  readonly sessions = new Map<string, SessionState>();
  readonly pairings = new Map<string, PairingState>();
  readonly plans = new Map<string, PlanState>();
  /** Per plan: each view's built-in steps, and the custom steps per anchor that every view shares. */
  readonly steps = new Map<string, PlanSteps>();
  readonly tasks = new Map<string, TaskState>();
  readonly appliance: ApplianceState;
  /** vCenter inventories by vCenter guid (every site's: the local one and the remote ones). */
  readonly vcenters = new Map<string, VcenterModel>();
  /** Inventory mappings, test networks and placeholder datastores of every SRM server, by SRM id. */
  readonly mappings = new InventoryMappings();
  /** Protection groups and each plan VM's recovery settings. */
  readonly protection = new ProtectionModel();
  /** Folders of protection groups and of recovery plans. */
  readonly folders = new FolderModel();
  /**
   * Steps of a view someone expanded (`expanded_step_ids`), per plan and view: SRM reports a step's
   * `expanded` state, so a later listing shows the children of steps expanded earlier, in the UI or the API.
   */
  readonly expandedSteps = new Map<string, Set<number>>();
  /** Ids of the nested (per-VM) steps, by plan, view and what they show; never reused. */
  private readonly nestedStepIds = new Map<string, number>();
  private nextStep = 1000;
  private nextCallout = 1;
  private nextTask = 1;

  constructor(inventory: Inventory) {
    this.inventory = inventory;
    const local = inventory.local;
    this.appliance = {
      restoreCompleted: inventory.appliance.restoreCompleted,
      api: inventory.appliance.api,
      tokens: new Set(),
      job: null,
    };
    for (const vc of inventory.vcenters) this.vcenters.set(vc.vcGuid, new VcenterModel(vc));
    const localVc = this.vcServerOf();
    const localSrm = this.srmServerOf();
    this.pairings.set(local.selfPairingId, {
      id: local.selfPairingId,
      isLocal: true,
      remoteVcGuid: local.vcGuid,
      localVc,
      remoteVc: { ...localVc },
      localSrm,
      remoteSrm: { ...localSrm },
      psc: { url: local.vcName, port: 443, thumbprint: null },
      srm: { url: null, thumbprint: null },
    });
    for (const p of inventory.pairings) {
      const site = this.remoteSite(p.remoteVcGuid);
      if (!site) throw new Error(`inventory pairing ${p.id}: no remote site with vcGuid ${p.remoteVcGuid}`);
      const pairing = this.addPairing(
        site,
        { url: site.pscUrl, port: site.pscPort, thumbprint: site.pscThumbprint },
        p.id,
      );
      pairing.remoteVc.server_status = inventory.serverStatus.remote;
      pairing.remoteSrm.server_status = inventory.serverStatus.remote;
      for (const plan of p.plans) {
        const remoteIsProtected = !plan.protectedIsLocal;
        this.plans.set(plan.id, {
          id: plan.id,
          pairingId: pairing.id,
          name: plan.name,
          status: plan.status,
          description: plan.description,
          protectedVcGuid: remoteIsProtected ? site.vcGuid : local.vcGuid,
          recoveryVcGuid: remoteIsProtected ? local.vcGuid : site.vcGuid,
          protectedSiteName: remoteIsProtected ? site.siteName : local.siteName,
          recoverySiteName: remoteIsProtected ? local.siteName : site.siteName,
          progress: 0,
          isRunning: false,
          groupIds: [],
          testNetworks: [],
          vmsToSuspend: [],
        });
        this.createBuiltInSteps(plan.id);
        for (const c of plan.callouts) {
          const fields = {
            name: c.name,
            content: c.content,
            callout_type: c.calloutType,
            timeout_seconds: c.timeoutSeconds,
          };
          if (c.anchor) this.insertCalloutAt(plan.id, c.anchor, c.index, fields);
          else this.insertCallout(plan.id, c.viewMode!, c.position!, fields);
        }
      }
    }
  }

  // ---- sites and pairings ----

  remoteSite(vcGuid: string): RemoteSite | undefined {
    return this.inventory.remoteSites.find((s) => s.vcGuid === vcGuid);
  }

  /** The local site's servers, or a remote site's when `vcGuid` names one (a second SRM endpoint). */
  private vcServerOf(vcGuid: string = this.inventory.local.vcGuid): ServerState {
    const l = this.inventory.local;
    if (vcGuid === l.vcGuid) {
      return {
        id: l.vcGuid,
        url: `https://${l.vcName}:443`,
        name: l.vcName,
        server_status: this.inventory.serverStatus.local,
        version: l.version,
      };
    }
    const site = this.requireSite(vcGuid);
    return {
      id: site.vcGuid,
      url: `https://${site.vcName}:443`,
      name: site.vcName,
      server_status: "OK",
      version: site.version,
    };
  }

  private srmServerOf(vcGuid: string = this.inventory.local.vcGuid): ServerState {
    const l = this.inventory.local;
    if (vcGuid === l.vcGuid) {
      return {
        id: l.srmId,
        url: `https://${l.srmName}:443`,
        name: l.srmName,
        server_status: this.inventory.serverStatus.local,
        version: l.version,
      };
    }
    const site = this.requireSite(vcGuid);
    return {
      id: site.srmId,
      url: site.srmUrl,
      name: site.srmName,
      server_status: "OK",
      version: site.version,
    };
  }

  private requireSite(vcGuid: string): RemoteSite {
    const site = this.remoteSite(vcGuid);
    if (!site) throw new Error(`no site with vcGuid ${vcGuid}`);
    return site;
  }

  /** SRM login of a site: the local site's, or a remote site's SSO credentials. */
  siteCredentials(vcGuid: string): { username: string; password: string } | undefined {
    if (vcGuid === this.inventory.local.vcGuid) return this.inventory.credentials;
    return this.remoteSite(vcGuid);
  }

  /**
   * Gives the SRM server of remote site `vcGuid` its own self-pairing, so that it can serve requests as a
   * second endpoint (what `GET /pairings` lists there first).
   */
  addSelfPairing(vcGuid: string, id: string = randomUUID()): PairingState {
    const vc = this.vcServerOf(vcGuid);
    const srm = this.srmServerOf(vcGuid);
    const site = this.requireSite(vcGuid);
    const pairing: PairingState = {
      id,
      isLocal: true,
      remoteVcGuid: vcGuid,
      localVc: vc,
      remoteVc: { ...vc },
      localSrm: srm,
      remoteSrm: { ...srm },
      psc: { url: site.vcName, port: 443, thumbprint: null },
      srm: { url: null, thumbprint: null },
    };
    this.pairings.set(id, pairing);
    return pairing;
  }

  /**
   * A pairing as the SRM server of site `fromVcGuid` shows it: SRM lists a pairing at both of its servers,
   * each with itself as the local side, so the other server sees the sides swapped (the server records are
   * shared, so a status change shows at both). Undefined when the pairing does not involve that site.
   */
  seenFrom(p: PairingState, fromVcGuid: string = this.inventory.local.vcGuid): PairingState | undefined {
    if (p.localVc.id === fromVcGuid) return p;
    if (p.isLocal || p.remoteVc.id !== fromVcGuid) return undefined;
    const other = this.siteNames(p.localVc.id);
    return {
      id: p.id,
      isLocal: false,
      remoteVcGuid: p.localVc.id,
      localVc: p.remoteVc,
      remoteVc: p.localVc,
      localSrm: p.remoteSrm,
      remoteSrm: p.localSrm,
      psc: { url: other.vcName, port: 443, thumbprint: null },
      srm: { url: p.localSrm.url, thumbprint: null },
    };
  }

  private siteNames(vcGuid: string): { vcName: string } {
    return vcGuid === this.inventory.local.vcGuid ? this.inventory.local : this.requireSite(vcGuid);
  }

  /** The pairing `id` as the SRM server of site `fromVcGuid` (default the local one) shows it. */
  pairingAt(id: string, fromVcGuid?: string): PairingState | undefined {
    const p = this.pairings.get(id);
    return p ? this.seenFrom(p, fromVcGuid) : undefined;
  }

  /** Records a pairing to `site` (what a successful create-pairing task does). */
  addPairing(
    site: RemoteSite,
    psc: PairingState["psc"],
    id: string = randomUUID(),
    fromVcGuid: string = this.inventory.local.vcGuid,
  ): PairingState {
    const pairing: PairingState = {
      id,
      isLocal: false,
      remoteVcGuid: site.vcGuid,
      localVc: this.vcServerOf(fromVcGuid),
      localSrm: this.srmServerOf(fromVcGuid),
      remoteVc: {
        id: site.vcGuid,
        url: `https://${site.vcName}:443`,
        name: site.vcName,
        server_status: "OK",
        version: site.version,
      },
      remoteSrm: {
        id: site.srmId,
        url: site.srmUrl,
        name: site.srmName,
        server_status: "OK",
        version: site.version,
      },
      psc: { ...psc },
      srm: { url: site.srmUrl, thumbprint: site.srmThumbprint },
    };
    this.pairings.set(id, pairing);
    return pairing;
  }

  /** The pairing (not the self-pairing) to the remote vCenter `vcGuid`, if any. */
  pairingTo(vcGuid: string, fromVcGuid?: string): PairingState | undefined {
    return this.listPairings(fromVcGuid).find((p) => !p.isLocal && p.remoteVcGuid === vcGuid);
  }

  /** Removes a pairing and everything in it (what a successful delete-pairing task does). */
  removePairing(id: string): boolean {
    for (const plan of this.plansOf(id)) this.removePlan(plan.id);
    for (const g of this.protection.groupsOf(id)) this.protection.groups.delete(g.id);
    for (const s of this.sessions.values()) s.remotePairings.delete(id);
    return this.pairings.delete(id);
  }

  /** Test hook: changes the `server_status` one side of a pairing reports. */
  setServerStatus(
    pairingId: string,
    server: "localVc" | "remoteVc" | "localSrm" | "remoteSrm",
    status: ServerStatus,
  ): void {
    const p = this.pairings.get(pairingId);
    if (!p) throw new Error(`no pairing ${pairingId}`);
    p[server].server_status = status;
  }

  pairingView(p: PairingState): Pairing {
    const server = (s: ServerState): ServerInfo => ({ ...s });
    return {
      pairing_id: p.id,
      local_vc_server: server(p.localVc),
      remote_vc_server: server(p.remoteVc),
      local_srm_server: server(p.localSrm),
      remote_srm_server: server(p.remoteSrm),
    };
  }

  /** Pairings as site `fromVcGuid` (default the local one) lists them: its self-pairing first, then the others. */
  listPairings(fromVcGuid?: string): PairingState[] {
    const seen = [...this.pairings.values()].flatMap((p) => this.seenFrom(p, fromVcGuid) ?? []);
    return [...seen.filter((p) => p.isLocal), ...seen.filter((p) => !p.isLocal)];
  }

  /** The inventory of vCenter `vcGuid`; a vCenter the inventory file did not describe is empty. */
  vcenter(vcGuid: string): VcenterModel {
    let vc = this.vcenters.get(vcGuid);
    if (!vc) {
      vc = new VcenterModel({
        vcGuid,
        datacenters: [],
        folders: [],
        networks: [],
        compute: [],
        datastores: [],
        storagePolicies: [],
        vms: [],
      });
      this.vcenters.set(vcGuid, vc);
    }
    return vc;
  }

  /** VMs a protection group already holds: the replicated-VM listing leaves them out. */
  protectedVmIds(): Set<string> {
    return this.protection.protectedVmIds((ds) => this.vmsOnDatastore(ds));
  }

  /** VMs whose home is on datastore `ds`, in whichever vCenter holds it. */
  vmsOnDatastore(ds: string): string[] {
    for (const vc of this.vcenters.values()) {
      if (!vc.find(ds, ["datastore"])) continue;
      return [...vc.objects.values()].filter((o) => o.vm?.datastore === ds).map((o) => o.id);
    }
    return [];
  }

  /** Name of a VM in any vCenter (the id when unknown). */
  vmName(vmId: string): string {
    for (const vc of this.vcenters.values()) {
      const o = vc.find(vmId, ["vm"]);
      if (o) return o.name;
    }
    return vmId;
  }

  /** The VMs of a plan: every VM of its protection groups, in group order. */
  planVmIds(plan: PlanState): string[] {
    const ids: string[] = [];
    for (const gid of plan.groupIds) {
      const g = this.protection.groups.get(gid);
      if (g) ids.push(...this.protection.groupVmIds(g, (ds) => this.vmsOnDatastore(ds)));
    }
    return [...new Set(ids)];
  }

  /** Plans that hold a protection group. */
  plansWithGroup(groupId: string): PlanState[] {
    return [...this.plans.values()].filter((p) => p.groupIds.includes(groupId));
  }

  /** Re-derives the VM settings of every plan holding `groupId` (after the group's membership changed). */
  syncPlansOfGroup(groupId: string): void {
    for (const p of this.plansWithGroup(groupId)) this.protection.syncPlanVms(p.id, this.planVmIds(p));
  }

  /** Adds a plan (what a successful create-plan task does). */
  addPlan(p: Omit<PlanState, "id" | "progress" | "isRunning" | "status">): PlanState {
    const plan: PlanState = {
      ...p,
      id: `plan-${randomUUID()}`,
      progress: 0,
      isRunning: false,
      status: p.groupIds.length > 0 ? "READY_STATE" : "NO_PROTECTION_GROUPS",
    };
    this.plans.set(plan.id, plan);
    this.createBuiltInSteps(plan.id);
    this.protection.syncPlanVms(plan.id, this.planVmIds(plan));
    return plan;
  }

  /** Removes a plan, its steps and its VM settings (what a successful delete-plan task does). */
  removePlan(planId: string): void {
    this.plans.delete(planId);
    this.steps.delete(planId);
    this.protection.settings.delete(planId);
  }

  // ---- plans ----

  plansOf(pairingId: string): PlanState[] {
    return [...this.plans.values()].filter((p) => p.pairingId === pairingId);
  }

  planByName(name: string): PlanState | undefined {
    return [...this.plans.values()].find((p) => p.name === name);
  }

  /** Test hook: puts a plan in any status. */
  setPlanStatus(planId: string, status: RecoveryPlanStatus): void {
    const plan = this.plans.get(planId);
    if (!plan) throw new Error(`no plan ${planId}`);
    plan.status = status;
    plan.isRunning = status.endsWith("_IN_PROGRESS");
  }

  planView(p: PlanState): RecoveryPlanInfo {
    return {
      id: p.id,
      name: p.name,
      status: p.status,
      description: p.description,
      location: p.folderId ?? ROOT_FOLDERS.recovery.id,
      location_name: this.folders.nameOf("recovery", p.folderId ?? ROOT_FOLDERS.recovery.id),
      protected_site_name: p.protectedSiteName,
      recovery_site_name: p.recoverySiteName,
      protected_vc_guid: p.protectedVcGuid,
      recovery_vc_guid: p.recoveryVcGuid,
      progress: p.progress,
      is_running: p.isRunning,
    };
  }

  /** Swaps the protected and recovery sites (what a successful reprotect does). */
  swapDirection(plan: PlanState): void {
    [plan.protectedVcGuid, plan.recoveryVcGuid] = [plan.recoveryVcGuid, plan.protectedVcGuid];
    [plan.protectedSiteName, plan.recoverySiteName] = [plan.recoverySiteName, plan.protectedSiteName];
    for (const gid of plan.groupIds) {
      const g = this.protection.groups.get(gid);
      if (g && g.protectedVcGuid !== plan.protectedVcGuid) this.protection.swapDirection(g);
    }
  }

  // ---- recovery steps ----

  private createBuiltInSteps(planId: string): void {
    const lists = {} as Record<ViewMode, StepState[]>;
    for (const mode of VIEW_MODES) {
      lists[mode] = WORKFLOWS[mode].steps.map((builtIn) => ({ id: this.nextStep++, builtIn }));
    }
    this.steps.set(planId, { builtIn: lists, custom: new Map() });
  }

  private planSteps(planId: string): PlanSteps {
    const steps = this.steps.get(planId);
    if (!steps) throw new Error(`no plan ${planId}`);
    return steps;
  }

  /**
   * The step list of a plan in a view mode: the workflow's built-in steps with the plan's custom steps at
   * each anchor the workflow has (a new array; empty for an unknown plan). The custom steps are shared by
   * every view that shows their anchor.
   */
  stepsOf(planId: string, viewMode: ViewMode): StepState[] {
    const steps = this.steps.get(planId);
    if (!steps) return [];
    const list: StepState[] = [];
    for (const step of steps.builtIn[viewMode]) {
      if (step.builtIn?.anchor) list.push(...(steps.custom.get(step.builtIn.anchor) ?? []));
      list.push(step);
    }
    const end = WORKFLOWS[viewMode].endAnchor;
    if (end) list.push(...(steps.custom.get(end) ?? []));
    return list;
  }

  /** The plan's custom steps per anchor (a copy), in anchor order as the spec lists them. */
  customSteps(planId: string): Partial<Record<CalloutAnchor, StepState[]>> {
    const out: Partial<Record<CalloutAnchor, StepState[]>> = {};
    const custom = this.steps.get(planId)?.custom;
    for (const anchor of CALLOUT_ANCHORS) {
      const list = custom?.get(anchor);
      if (list && list.length > 0) out[anchor] = [...list];
    }
    return out;
  }

  findStep(planId: string, viewMode: ViewMode, stepId: number): StepState | undefined {
    return this.stepsOf(planId, viewMode).find((s) => s.id === stepId);
  }

  /** Anchor and index of a custom step, or undefined. */
  placeOf(planId: string, stepId: number): { anchor: CalloutAnchor; index: number } | undefined {
    for (const [anchor, list] of this.steps.get(planId)?.custom ?? []) {
      const index = list.findIndex((s) => s.id === stepId);
      if (index >= 0) return { anchor, index };
    }
    return undefined;
  }

  /**
   * The anchor and index a custom step inserted at flat `position` of a view takes: the anchor of the next
   * built-in step (or the view's end anchor), and the number of custom steps already between the previous
   * built-in step and the position. A string says why the position is invalid.
   */
  anchorAt(
    planId: string,
    viewMode: ViewMode,
    position: number,
  ): { anchor: CalloutAnchor; index: number } | string {
    const list = this.stepsOf(planId, viewMode);
    if (position < 0 || position > list.length) return `position ${position} is outside 0..${list.length}`;
    let index = 0;
    for (let i = position - 1; i >= 0 && !list[i].builtIn; i--) index++;
    const next = list.slice(position).find((s) => s.builtIn);
    if (next?.builtIn) {
      if (next.builtIn.anchor) return { anchor: next.builtIn.anchor, index };
      const cut =
        viewMode === "test" &&
        list.slice(position).some((s) => s.builtIn?.title === "Configure test networks");
      return cut
        ? `position ${position} is before 'Configure test networks'; commands and prompts cannot go before it in the test workflow`
        : `position ${position} is before '${next.builtIn.title}', where no custom step can go`;
    }
    const end = WORKFLOWS[viewMode].endAnchor;
    return end
      ? { anchor: end, index }
      : `position ${position} is after the last step, where no custom step can go in the ${viewMode} workflow`;
  }

  /**
   * Inserts a callout at a zero-based position of a view (what a successful create-callout task does; tests
   * may call it to add a callout "outside Pulumi"). Ids are never reused. Throws for an invalid position.
   */
  insertCallout(
    planId: string,
    viewMode: ViewMode,
    position: number,
    callout: Omit<CalloutState, "id">,
  ): StepState {
    this.planSteps(planId);
    const place = this.anchorAt(planId, viewMode, position);
    if (typeof place === "string") throw new Error(place);
    return this.insertCalloutAt(planId, place.anchor, place.index, callout);
  }

  /** Inserts a callout at an anchor and index (clamped to the callouts there). Tests use it for drift. */
  insertCalloutAt(
    planId: string,
    anchor: CalloutAnchor,
    index: number,
    callout: Omit<CalloutState, "id">,
  ): StepState {
    const { custom } = this.planSteps(planId);
    const list = custom.get(anchor) ?? [];
    custom.set(anchor, list);
    const step: StepState = {
      id: this.nextStep++,
      callout: { id: `callout-${this.nextCallout++}`, ...callout },
    };
    list.splice(Math.max(0, Math.min(index, list.length)), 0, step);
    return step;
  }

  /** Changes a callout's fields; false when the step is missing or built in. Tests use it for drift. */
  editCallout(planId: string, viewMode: ViewMode, stepId: number, patch: CalloutPatch): boolean {
    const step = this.findStep(planId, viewMode, stepId);
    if (!step?.callout) return false;
    Object.assign(step.callout, patch);
    return true;
  }

  /** Removes a custom step (from every view); false when missing from this view or built in. */
  deleteStep(planId: string, viewMode: ViewMode, stepId: number): boolean {
    if (!this.findStep(planId, viewMode, stepId)?.callout) return false;
    const place = this.placeOf(planId, stepId)!;
    this.steps.get(planId)!.custom.get(place.anchor)!.splice(place.index, 1);
    return true;
  }

  /** Moves a custom step to another flat position of a view (drift: "someone reordered the plan"). */
  moveStep(planId: string, viewMode: ViewMode, stepId: number, position: number): boolean {
    const step = this.findStep(planId, viewMode, stepId);
    if (!step?.callout) return false;
    const from = this.placeOf(planId, stepId)!;
    const custom = this.steps.get(planId)!.custom;
    custom.get(from.anchor)!.splice(from.index, 1);
    const to = this.anchorAt(planId, viewMode, Math.min(position, this.stepsOf(planId, viewMode).length));
    const target = typeof to === "string" ? from : to;
    const list = custom.get(target.anchor) ?? [];
    custom.set(target.anchor, list);
    list.splice(target.index, 0, step);
    return true;
  }

  /** Moves a custom step to an anchor and index (drift). */
  moveStepTo(planId: string, stepId: number, anchor: CalloutAnchor, index: number): boolean {
    const from = this.placeOf(planId, stepId);
    if (!from) return false;
    const custom = this.steps.get(planId)!.custom;
    const [step] = custom.get(from.anchor)!.splice(from.index, 1);
    const list = custom.get(anchor) ?? [];
    custom.set(anchor, list);
    list.splice(Math.min(index, list.length), 0, step);
    return true;
  }

  stepView(planId: string, viewMode: ViewMode, index: number): RecoveryStep {
    const list = this.stepsOf(planId, viewMode);
    const step = list[index];
    const base = {
      id: step.id,
      step_number: String(index + 1),
      child_count: 0,
      depth: 0,
      progress: 0,
      status: "INACTIVE" as const,
      expanded: false,
      // start_time and plan_callout_position_spec are not nullable in the spec: absent until set.
      finish_time: null,
      warnings: null,
      errors: null,
    };
    if (step.builtIn) return { ...base, title: step.builtIn.title };
    const place = this.placeOf(planId, step.id)!;
    return {
      ...base,
      title: step.callout!.name,
      plan_callout_position_spec: {
        position_spec_index: place.index,
        position_spec_position: place.anchor,
      },
    };
  }

  /** The steps a view remembers as expanded (a live set). */
  expandedIn(planId: string, viewMode: ViewMode): Set<number> {
    const key = `${planId}|${viewMode}`;
    let set = this.expandedSteps.get(key);
    if (!set) this.expandedSteps.set(key, (set = new Set()));
    return set;
  }

  /**
   * A view's listing as SRM sends it: the top-level steps, each priority group's power-on step with one
   * child per VM of that priority, and under a VM's step its per-VM callouts and power-on. Children are
   * listed only under expanded steps (`"all"` expands every one, to find a step by id).
   */
  stepRows(planId: string, viewMode: ViewMode, expanded: ReadonlySet<number> | "all"): StepRow[] {
    const plan = this.plans.get(planId);
    const isOpen = (id: number) => expanded === "all" || expanded.has(id);
    const idOf = (key: string) => {
      const full = `${planId}|${viewMode}|${key}`;
      let id = this.nestedStepIds.get(full);
      if (id === undefined) this.nestedStepIds.set(full, (id = this.nextStep++));
      return id;
    };
    const top = this.stepsOf(planId, viewMode);
    const vmIds = plan ? this.planVmIds(plan) : [];
    const rows: StepRow[] = [];
    top.forEach((step, i) => {
      const view = this.stepView(planId, viewMode, i);
      const priority = /^BEFORE_RECOVER_PRIORITY_(\d)_VMS$/.exec(step.builtIn?.anchor ?? "")?.[1];
      if (!priority) {
        rows.push({ view });
        return;
      }
      const vms = vmIds.flatMap((vmId) => {
        const s = this.protection.settingsOf(planId, vmId);
        if (s?.priority !== `P${priority}`) return [];
        return [{ vmId, vmName: this.vmName(vmId), pre: s.prePowerOnSteps, post: s.postPowerOnSteps }];
      });
      const open = vms.length > 0 && isOpen(step.id);
      rows.push({ view: { ...view, child_count: vms.length, expanded: open } });
      if (open) rows.push(...vmStepRows(view, vms, idOf, isOpen));
    });
    return rows;
  }

  calloutView(step: StepState): Callout {
    const c = step.callout!;
    return { ...c, step_type: "RECOVERY_STEP" };
  }

  // ---- tasks ----

  newTask(
    description: string,
    descriptionId: string,
    entity: string | null,
    entityName: string | null,
  ): TaskState {
    const task: TaskState = {
      id: `task-${this.nextTask++}`,
      description,
      descriptionId,
      entity,
      entityName,
      status: "QUEUED",
      queuedTime: Date.now(),
      startTime: null,
      completeTime: null,
      plannedCompleteTime: null,
      error: null,
      result: null,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /**
   * Test hook: ends a QUEUED or RUNNING task as CANCELLED (SRM's API has no cancel call; an
   * administrator can cancel in the UI). Its side effects never happen. False when already finished.
   */
  cancelTask(taskId: string, message = "The task was cancelled by a user."): boolean {
    const t = this.tasks.get(taskId);
    if (!t || (t.status !== "QUEUED" && t.status !== "RUNNING")) return false;
    t.status = "CANCELLED";
    t.completeTime = Date.now();
    t.error = { message, details: null };
    t.onCancel?.(message);
    return true;
  }

  taskView(t: TaskState): Task {
    let progress = 0;
    if (t.status === "SUCCESS" || t.status === "ERROR" || t.status === "CANCELLED") progress = 100;
    else if (t.status === "RUNNING" && t.startTime !== null && t.plannedCompleteTime !== null) {
      const span = Math.max(1, t.plannedCompleteTime - t.startTime);
      progress = Math.min(99, Math.max(0, Math.floor(((Date.now() - t.startTime) / span) * 100)));
    }
    const view: Task = {
      id: t.id,
      description: t.description,
      description_id: t.descriptionId,
      entity: t.entity,
      entity_name: t.entityName,
      status: t.status,
      result: t.result,
      progress,
      queued_time: t.queuedTime,
      start_time: t.startTime,
      complete_time: t.completeTime,
    };
    // TaskError is not nullable in the spec: the field is absent unless the task failed.
    if (t.error) view.error = { message: t.error.message, details: t.error.details };
    return view;
  }
}
