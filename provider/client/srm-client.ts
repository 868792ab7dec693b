// Typed calls of the SRM REST API v2 used by the resources. Every response is validated with the wire
// schemas, every request body is checked before it is sent.
import {
  Callout,
  CalloutCreateSpec,
  CreateFolderSpec,
  FolderInventoryItem,
  FolderInventoryItemList,
  MoveObjectSpec,
  type FolderArea,
  RenameObjectSpec,
  CalloutModifySpec,
  Pairing,
  PairingList,
  PairingSpec,
  RecoveryPlanInfo,
  RecoveryPlanList,
  RecoveryStep,
  RecoveryStepList,
  ReprotectPlanSpec,
  srmPaths,
  Task,
  TaskList,
  TERMINAL_TASK_STATUSES,
  MetadataList,
  type ViewMode,
  ProtectionGroupCreateSpec,
  ProtectionGroupEditSpec,
  ProtectionGroupInfo,
  ProtectionGroupList,
  ProtectionGroupVmList,
  type ProtectionGroupVmInfo,
  RecoveryPlanCreateSpec,
  RecoveryPlanEditSpec,
  PlanTestNetworkMappingList,
  type PlanTestNetworkMapping,
  RecoveryPlanVmList,
  type RecoveryPlanVmInfo,
  VmRecoverySettingsSpec,
  VmRecoverySettingsState,
} from "../api/index.js";
import type { z } from "zod";
import { isSrmError, SrmError, srmRefused } from "./errors.js";
import { capitalize, checkRequest, parseBody } from "./http.js";
import { guardMutation } from "./mutation-guard.js";
import { planLockKey, withLock } from "./plan-lock.js";
import { clearSrmSessions, getSrmSession, type SrmConnection, type SrmSession } from "./srm-session.js";
import { TaskTimings } from "./task-timing.js";
import { TaskPollBatcher } from "./task-poll-batcher.js";
import { waitForTask, type WaitOptions } from "./task-waiter.js";

/** SRM's operation ids of tasks that change a plan's recovery steps. */
const STEP_TASK = /recoveryplan\.(callout|step)\./;

/** Page size asked for when listing. */
export const PAGE_LIMIT = 1000;
/**
 * How long a plan's step listing is shared by later readers. It only has to cover the reads of one engine run
 * (a provider host serves one pulumi command; a refresh of a thousand callouts takes tens of seconds on a busy
 * machine), and any mutation of the plan through this client drops it at once.
 */
export const STEP_LISTING_TTL_MS = 30_000;

interface SharedListing {
  generation: number;
  at: number;
  steps: Promise<RecoveryStep[]>;
}

/**
 * A listing that needs more pages than this fails: SRM's lists hold hundreds of objects, and a server that
 * keeps announcing more would otherwise be read forever.
 */
export const MAX_LIST_PAGES = 200;

/** Client of one SRM server for one user; get the shared instance with {@link getSrmClient}. */
const FOLDER_NOUN: Record<FolderArea, string> = { protection: "protection group", recovery: "recovery plan" };

export class SrmClient {
  /** What this server's tasks taught the waiter: durations per operation, clock offset, round trip. */
  readonly taskTimings = new TaskTimings();
  /** Combines the polls of this client's concurrent task waits. */
  readonly taskPolls = new TaskPollBatcher(
    { one: (id) => this.getTask(id), many: (ids) => this.getTasks(ids) },
    this.taskTimings,
  );
  /** Step listings shared by concurrent readers, per plan and view mode. */
  private readonly listings = new Map<string, SharedListing>();
  /** Per plan: bumped by every mutation, so a listing begun before it is never handed out after it. */
  private readonly generations = new Map<string, number>();
  /**
   * Per plan and view: the step list the last insert under the plan's lock was placed with (a listing, or the
   * list that insert predicted). An insert's prediction is kept only when it was placed with this very list.
   */
  private readonly placedWith = new Map<string, RecoveryStep[]>();
  /** Per plan: bumped when a listing showed the plan differs from what this client predicted. */
  private readonly doubts = new Map<string, number>();
  /** Tasks that change a plan's steps: the plan's listings are dropped again when they end. */
  private readonly stepTasks = new Map<string, { pairingId: string; planId: string }>();
  /** SRM's task list as this client first read it: the step tasks an earlier run may have left running. */
  private firstTaskListing?: Promise<Task[]>;
  /** Plans whose step tasks from that first listing have been handed out. */
  private readonly settledPlans = new Set<string>();
  /** Step tasks whose wait here ended before SRM finished them (a timeout, a lost poll): they may still run. */
  private readonly unfinishedStepTasks = new Map<string, { planKey: string; task: Task }>();

  constructor(readonly session: SrmSession) {}

  /** Normalized base URL of the server. */
  get url(): string {
    return this.session.connection.url;
  }

  /** Logs in unless the shared session is already logged in. */
  async login(): Promise<void> {
    await this.session.login();
  }

  /** Ends the shared session. */
  async logout(): Promise<void> {
    await this.session.logout();
  }

  /** Logs in to the remote site of a pairing (x-dr-session plus Basic auth of srm:remoteUsername). */
  async remoteLogin(pairingId: string): Promise<void> {
    await this.session.remoteLogin(pairingId);
  }

  /** Every pairing, following SRM's paging. */
  async listPairings(): Promise<Pairing[]> {
    return this.listAll(PairingList, srmPaths.pairings(), "listing pairings");
  }

  /** One pairing; undefined when SRM answers 404. */
  async getPairing(id: string): Promise<Pairing | undefined> {
    return this.orUndefined(this.get(Pairing, srmPaths.pairing(id), `reading pairing "${id}"`));
  }

  async createPairing(spec: PairingSpec): Promise<Task> {
    return this.post(
      PairingSpec,
      spec,
      srmPaths.pairings(),
      `creating a pairing with vCenter ${spec.pair_vc_guid}`,
    );
  }

  async reconnectPairing(id: string, spec: PairingSpec): Promise<Task> {
    return this.post(PairingSpec, spec, srmPaths.reconnect(id), `reconnecting pairing "${id}"`);
  }

  async deletePairing(id: string): Promise<Task> {
    return this.delete(srmPaths.pairing(id), `deleting pairing "${id}"`);
  }

  /** Every recovery plan of a pairing, following paging. */
  async listPlans(pairingId: string): Promise<RecoveryPlanInfo[]> {
    return this.listAll(
      RecoveryPlanList,
      srmPaths.plans(pairingId),
      `listing recovery plans of pairing "${pairingId}"`,
    );
  }

  /** One plan; undefined when SRM answers 404. */
  async getPlan(pairingId: string, planId: string): Promise<RecoveryPlanInfo | undefined> {
    return this.orUndefined(
      this.get(RecoveryPlanInfo, srmPaths.plan(pairingId, planId), `reading recovery plan "${planId}"`),
    );
  }

  /**
   * The top-level recovery steps of one view mode of a plan, in order (following paging when the server
   * pages): the list a callout's flat `position` counts in. SRM also lists the children of steps someone
   * expanded (each VM under its priority group, and that VM's per-VM commands with
   * `vm_callout_position_spec`); those belong to the VM's recovery settings and are left out here.
   */
  async listRecoverySteps(pairingId: string, planId: string, viewMode: ViewMode): Promise<RecoveryStep[]> {
    // The spec declares no paging parameters here, so the first request carries none.
    const steps = await this.listAll(
      RecoveryStepList,
      srmPaths.recoverySteps(pairingId, planId, viewMode),
      `listing the ${viewMode} steps of plan "${planId}"`,
      false,
    );
    return steps.filter((s) => s.depth === 0 && !s.vm_callout_position_spec);
  }

  /**
   * The recovery steps of one view mode of a plan, shared: callers of one `purpose` within
   * {@link STEP_LISTING_TTL_MS} of one listing (or while it is under way) get the same answer, unless a step
   * mutation of that plan through this client started or ended since. A refresh of many callouts of one plan
   * so costs one listing ("read"); under the plan's lock ("mutation"), the list an insert predicted
   * ({@link predictSteps}) serves the next insert into that plan.
   */
  sharedRecoverySteps(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    purpose: "read" | "mutation" = "read",
  ): Promise<RecoveryStep[]> {
    const plan = this.planKey(pairingId, planId);
    const key = `${plan}\u0000${viewMode}\u0000${purpose}`;
    const generation = this.generations.get(plan) ?? 0;
    const hit = this.listings.get(key);
    if (hit && hit.generation === generation && Date.now() - hit.at <= STEP_LISTING_TTL_MS) return hit.steps;
    const entry: SharedListing = {
      generation,
      at: Date.now(),
      steps: this.listRecoverySteps(pairingId, planId, viewMode),
    };
    this.listings.set(key, entry);
    if (purpose === "mutation") {
      const doubt = this.doubts.get(plan) ?? 0;
      entry.steps.then(
        (steps) => {
          if ((this.doubts.get(plan) ?? 0) === doubt) this.placedWith.set(`${plan}\u0000${viewMode}`, steps);
        },
        () => undefined,
      );
    }
    entry.steps.catch(() => {
      if (this.listings.get(key) === entry) this.listings.delete(key);
    });
    return entry.steps;
  }

  /**
   * After an insert of this client under the plan's lock: `next` is the plan's `viewMode` list as SRM holds it
   * now, predicted from `base` (the list the insert was placed with) and the step the task made, so the next
   * insert into the plan needs no listing. Kept only when `base` is still the list of the last insert and no
   * listing has since shown the plan to differ ({@link doubtSteps}); returns whether it was kept.
   */
  predictSteps(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    base: RecoveryStep[],
    next: RecoveryStep[],
  ): boolean {
    const plan = this.planKey(pairingId, planId);
    const view = `${plan}\u0000${viewMode}`;
    if (this.placedWith.get(view) !== base) return false;
    this.placedWith.set(view, next);
    this.listings.set(`${view}\u0000mutation`, {
      generation: this.generations.get(plan) ?? 0,
      at: Date.now(),
      steps: Promise.resolve(next),
    });
    return true;
  }

  /** The list the last insert into the plan's `viewMode` was placed with, or predicted after it. */
  latestSteps(pairingId: string, planId: string, viewMode: ViewMode): RecoveryStep[] | undefined {
    return this.placedWith.get(`${this.planKey(pairingId, planId)}\u0000${viewMode}`);
  }

  /**
   * A listing showed the plan's steps differ from what this client predicted (someone changed the plan, or a
   * step of an insert still running already shows): every prediction of the plan is dropped, and the next
   * insert lists the steps first.
   */
  doubtSteps(pairingId: string, planId: string): void {
    const plan = this.planKey(pairingId, planId);
    this.doubts.set(plan, (this.doubts.get(plan) ?? 0) + 1);
    for (const key of [...this.placedWith.keys()])
      if (key.startsWith(`${plan}\u0000`)) this.placedWith.delete(key);
    this.invalidateSteps(pairingId, planId);
  }

  /** Forgets the shared step listings of a plan (every view mode: custom steps appear in several). */
  invalidateSteps(pairingId: string, planId: string): void {
    const plan = this.planKey(pairingId, planId);
    this.generations.set(plan, (this.generations.get(plan) ?? 0) + 1);
    for (const key of [...this.listings.keys()])
      if (key.startsWith(`${plan}\u0000`)) this.listings.delete(key);
  }

  /** Inserts a callout at `spec.position` (zero-based). Wrap in {@link withPlanLock} with the follow-up reads. */
  async createCallout(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    spec: CalloutCreateSpec,
  ): Promise<Task> {
    return this.stepMutation(
      pairingId,
      planId,
      this.post(
        CalloutCreateSpec,
        spec,
        srmPaths.recoverySteps(pairingId, planId, viewMode),
        `creating callout "${spec.name}" in the ${viewMode} steps of plan "${planId}"`,
      ),
    );
  }

  /** The callout of a step; undefined when SRM answers 404 (no such step). */
  async getCallout(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    stepId: number,
  ): Promise<Callout | undefined> {
    return this.orUndefined(
      this.get(
        Callout,
        srmPaths.calloutData(pairingId, planId, viewMode, stepId),
        `reading callout step ${stepId} in the ${viewMode} steps of plan "${planId}"`,
      ),
    );
  }

  async editCallout(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    stepId: number,
    spec: CalloutModifySpec,
  ): Promise<Task> {
    return this.stepMutation(
      pairingId,
      planId,
      this.post(
        CalloutModifySpec,
        spec,
        srmPaths.calloutEdit(pairingId, planId, viewMode, stepId),
        `editing callout step ${stepId} in the ${viewMode} steps of plan "${planId}"`,
      ),
    );
  }

  async deleteRecoveryStep(
    pairingId: string,
    planId: string,
    viewMode: ViewMode,
    stepId: number,
  ): Promise<Task> {
    return this.stepMutation(
      pairingId,
      planId,
      this.delete(
        srmPaths.recoveryStep(pairingId, planId, viewMode, stepId),
        `deleting step ${stepId} from the ${viewMode} steps of plan "${planId}"`,
      ),
    );
  }

  /** Starts a reprotect; needs {@link remoteLogin} first. */
  async reprotect(pairingId: string, planId: string, spec: ReprotectPlanSpec): Promise<Task> {
    return this.post(
      ReprotectPlanSpec,
      spec,
      srmPaths.reprotect(pairingId, planId),
      `reprotecting plan "${planId}"`,
    );
  }

  /** The items (folders and groups or plans) directly in the folder at `path`; the root's without a path. */
  listFolderItems(pairingId: string, area: FolderArea, path?: string): Promise<FolderInventoryItem[]> {
    return this.listAll(
      FolderInventoryItemList,
      srmPaths.folders(pairingId, area),
      `listing the ${FOLDER_NOUN[area]} folders${path ? ` under "${path}"` : ""} of pairing "${pairingId}"`,
      true,
      path === undefined ? {} : { path },
    );
  }

  /** One folder of groups or plans; undefined when SRM answers 404. */
  getFolder(pairingId: string, area: FolderArea, folderId: string): Promise<FolderInventoryItem | undefined> {
    return this.orUndefined(
      this.get(
        FolderInventoryItem,
        srmPaths.folder(pairingId, area, folderId),
        `reading ${FOLDER_NOUN[area]} folder "${folderId}"`,
      ),
    );
  }

  /** The items directly in a folder of groups or plans. */
  listFolderChildren(pairingId: string, area: FolderArea, folderId: string): Promise<FolderInventoryItem[]> {
    return this.listAll(
      FolderInventoryItemList,
      srmPaths.folderChildren(pairingId, area, folderId),
      `listing ${FOLDER_NOUN[area]} folder "${folderId}"`,
    );
  }

  /** Creates a folder of groups or plans; the finished task's `result.id` is its id. */
  createFolder(pairingId: string, area: FolderArea, spec: CreateFolderSpec): Promise<Task> {
    return this.post(
      CreateFolderSpec,
      spec,
      srmPaths.folders(pairingId, area),
      `creating ${FOLDER_NOUN[area]} folder "${spec.name}"`,
    );
  }

  /** Renames a folder of groups or plans. */
  renameFolder(pairingId: string, area: FolderArea, folderId: string, spec: RenameObjectSpec): Promise<Task> {
    return this.post(
      RenameObjectSpec,
      spec,
      srmPaths.folderRename(pairingId, area, folderId),
      `renaming ${FOLDER_NOUN[area]} folder "${folderId}" to "${spec.name}"`,
    );
  }

  /** Moves a folder of groups or plans into another folder of its tree (`destination_parent`). */
  moveFolder(pairingId: string, area: FolderArea, folderId: string, spec: MoveObjectSpec): Promise<Task> {
    return this.post(
      MoveObjectSpec,
      spec,
      srmPaths.folderMove(pairingId, area, folderId),
      `moving ${FOLDER_NOUN[area]} folder "${folderId}" into folder "${spec.destination_parent}"`,
    );
  }

  /** Deletes a folder of groups or plans. */
  deleteFolder(pairingId: string, area: FolderArea, folderId: string): Promise<Task> {
    return this.delete(
      srmPaths.folder(pairingId, area, folderId),
      `deleting ${FOLDER_NOUN[area]} folder "${folderId}"`,
    );
  }

  /** Every protection group of a pairing. */
  listGroups(pairingId: string): Promise<ProtectionGroupInfo[]> {
    return this.listAll(
      ProtectionGroupList,
      srmPaths.groups(pairingId),
      `listing protection groups of pairing "${pairingId}"`,
    );
  }

  /** One protection group; undefined when SRM answers 404. */
  getGroup(pairingId: string, groupId: string): Promise<ProtectionGroupInfo | undefined> {
    return this.orUndefined(
      this.get(
        ProtectionGroupInfo,
        srmPaths.group(pairingId, groupId),
        `reading protection group "${groupId}"`,
      ),
    );
  }

  /** The VMs a protection group protects. */
  listGroupVms(pairingId: string, groupId: string): Promise<ProtectionGroupVmInfo[]> {
    return this.listAll(
      ProtectionGroupVmList,
      srmPaths.groupVms(pairingId, groupId),
      `listing the VMs of protection group "${groupId}"`,
    );
  }

  /** Creates a protection group; the finished task's `result.id` is its id. Needs {@link remoteLogin}. */
  createGroup(pairingId: string, spec: ProtectionGroupCreateSpec): Promise<Task> {
    return this.post(
      ProtectionGroupCreateSpec,
      spec,
      srmPaths.groups(pairingId),
      `creating protection group "${spec.name}"`,
    );
  }

  /** Edits a protection group (name, description, members). Needs {@link remoteLogin}. */
  reconfigureGroup(pairingId: string, groupId: string, spec: ProtectionGroupEditSpec): Promise<Task> {
    return this.post(
      ProtectionGroupEditSpec,
      spec,
      srmPaths.groupReconfigure(pairingId, groupId),
      `reconfiguring protection group "${spec.name}" (${groupId})`,
    );
  }

  deleteGroup(pairingId: string, groupId: string): Promise<Task> {
    return this.delete(srmPaths.group(pairingId, groupId), `deleting protection group "${groupId}"`);
  }

  /** Creates a recovery plan; the finished task's `result.id` is its id. */
  createPlan(pairingId: string, spec: RecoveryPlanCreateSpec): Promise<Task> {
    return this.post(
      RecoveryPlanCreateSpec,
      spec,
      srmPaths.plans(pairingId),
      `creating recovery plan "${spec.name}"`,
    );
  }

  /** Edits a plan; each list sent replaces the plan's current one. */
  reconfigurePlan(pairingId: string, planId: string, spec: RecoveryPlanEditSpec): Promise<Task> {
    return this.post(
      RecoveryPlanEditSpec,
      spec,
      srmPaths.planReconfigure(pairingId, planId),
      `reconfiguring recovery plan "${planId}"`,
    );
  }

  deletePlan(pairingId: string, planId: string): Promise<Task> {
    return this.delete(srmPaths.plan(pairingId, planId), `deleting recovery plan "${planId}"`);
  }

  /** The protection groups of a plan. */
  listPlanGroups(pairingId: string, planId: string): Promise<ProtectionGroupInfo[]> {
    return this.listAll(
      ProtectionGroupList,
      srmPaths.planGroups(pairingId, planId),
      `listing the protection groups of recovery plan "${planId}"`,
    );
  }

  /** The plan's own test network overrides. */
  listPlanTestNetworks(pairingId: string, planId: string): Promise<PlanTestNetworkMapping[]> {
    return this.listAll(
      PlanTestNetworkMappingList,
      srmPaths.planTestNetworks(pairingId, planId),
      `listing the test networks of recovery plan "${planId}"`,
    );
  }

  /** The VMs of a plan. */
  listPlanVms(pairingId: string, planId: string): Promise<RecoveryPlanVmInfo[]> {
    return this.listAll(
      RecoveryPlanVmList,
      srmPaths.planVms(pairingId, planId),
      `listing the VMs of recovery plan "${planId}"`,
    );
  }

  /** A plan VM's recovery settings; undefined when SRM answers 404 (the VM is not in the plan). */
  getVmRecoverySettings(
    pairingId: string,
    planId: string,
    vmId: string,
  ): Promise<VmRecoverySettingsState | undefined> {
    return this.orUndefined(
      this.get(
        VmRecoverySettingsState,
        srmPaths.vmRecoverySettings(pairingId, planId, vmId),
        `reading the recovery settings of VM "${vmId}" in plan "${planId}"`,
      ),
    );
  }

  /** Writes a plan VM's recovery settings; `spec.change_version` must be the one last read. */
  updateVmRecoverySettings(
    pairingId: string,
    planId: string,
    vmId: string,
    spec: VmRecoverySettingsSpec,
  ): Promise<Task> {
    return this.post(
      VmRecoverySettingsSpec,
      spec,
      srmPaths.vmRecoverySettingsUpdate(pairingId, planId, vmId),
      `updating the recovery settings of VM "${vmId}" in plan "${planId}"`,
    );
  }

  /** SRM's recent tasks, newest first (`GET /tasks`, following paging). */
  listTasks(): Promise<Task[]> {
    return this.listAll(TaskList, srmPaths.tasks(), "listing recent tasks");
  }

  async getTask(taskId: string): Promise<Task> {
    return this.get(Task, srmPaths.task(taskId), `reading task ${taskId}`);
  }

  /**
   * The tasks of `taskIds` that SRM answers in one `GET /tasks?filter_property=id&filter=...` (one page of
   * as many items as ids). A server that ignores the filter answers other tasks: callers match by id.
   */
  async getTasks(taskIds: string[]): Promise<Task[]> {
    const searchParams = new URLSearchParams({ filter_property: "id" });
    for (const id of taskIds) searchParams.append("filter", id);
    searchParams.set("limit", String(taskIds.length));
    searchParams.set("offset", "0");
    const what = `reading tasks ${taskIds.join(", ")}`;
    const page = await this.session.http.json(TaskList, "GET", srmPaths.tasks(), {
      searchParams,
      context: { what },
    });
    return page.list;
  }

  /** Polls the task until SUCCESS (resolves) or ERROR / CANCELLED / deadline (throws SrmError). */
  async waitForTask(task: Task | string, opts: WaitOptions = {}): Promise<Task> {
    const taskId = typeof task === "string" ? task : task.id;
    let ended = false;
    try {
      const done = await waitForTask(
        this.taskPolls,
        task,
        opts,
        (line) => this.session.log(line),
        this.taskTimings,
      );
      ended = true;
      return done;
    } catch (e) {
      ended = isSrmError(e) && (e.code === "TASK_FAILED" || e.code === "TASK_CANCELLED");
      throw e;
    } finally {
      // SRM applies a step change when its task ends: listings taken while it ran are out of date.
      const plan = this.stepTasks.get(taskId);
      if (plan) {
        this.stepTasks.delete(taskId);
        this.invalidateSteps(plan.pairingId, plan.planId);
        if (!ended && typeof task !== "string") {
          this.unfinishedStepTasks.set(taskId, { planKey: this.planKey(plan.pairingId, plan.planId), task });
        }
      }
      if (ended) this.unfinishedStepTasks.delete(taskId);
    }
  }

  /**
   * Step tasks of a plan that SRM may still be running and that a step change must wait for first: on the
   * plan's first call, those SRM's task list showed running when this client first read it (an earlier run's,
   * e.g. a create queued by an engine that died; the list is read once per client, whatever the number of
   * plans); on every call, this client's own step tasks whose wait ended before SRM finished them. Every other
   * step task of the plan started here was waited for under the plan's lock, so listing SRM's tasks again
   * would find nothing more.
   */
  async pendingStepTasks(pairingId: string, planId: string): Promise<Task[]> {
    const plan = this.planKey(pairingId, planId);
    const pending: Task[] = [];
    if (!this.settledPlans.has(plan)) {
      this.firstTaskListing ??= this.listTasks();
      const listing = this.firstTaskListing;
      listing.catch(() => {
        if (this.firstTaskListing === listing) this.firstTaskListing = undefined;
      });
      const running = (await listing).filter(
        (t) =>
          t.entity === planId &&
          (t.status === "QUEUED" || t.status === "RUNNING") &&
          STEP_TASK.test(t.description_id ?? ""),
      );
      this.settledPlans.add(plan);
      pending.push(...running);
    }
    for (const { planKey, task } of this.unfinishedStepTasks.values()) {
      if (planKey === plan && !pending.some((t) => t.id === task.id)) pending.push(task);
    }
    return pending;
  }

  /** Runs `fn` alone among all callers mutating the steps of this plan on this server in this process. */
  withPlanLock<T>(pairingId: string, planId: string, fn: () => Promise<T>): Promise<T> {
    return withLock(planLockKey(this.url, pairingId, planId), fn);
  }

  private planKey(pairingId: string, planId: string): string {
    return `${pairingId}\u0000${planId}`;
  }

  /** Drops the plan's shared listings before and after the request, and once more when its task ends. */
  private async stepMutation(pairingId: string, planId: string, request: Promise<Task>): Promise<Task> {
    this.invalidateSteps(pairingId, planId);
    try {
      const task = await request;
      if (!TERMINAL_TASK_STATUSES.includes(task.status)) this.stepTasks.set(task.id, { pairingId, planId });
      return task;
    } catch (e) {
      // An answer lost (or a request that may have reached SRM): a task may be running that this client never
      // saw, so the next step change of the plan reads SRM's task list again and waits for it.
      if (!srmRefused(e)) {
        this.settledPlans.delete(this.planKey(pairingId, planId));
        this.firstTaskListing = undefined;
      }
      throw e;
    } finally {
      this.invalidateSteps(pairingId, planId);
    }
  }

  private get<S extends z.ZodType>(schema: S, path: string, what: string): Promise<z.infer<S>> {
    return this.session.http.json(schema, "GET", path, { context: { what } });
  }

  private async delete(path: string, what: string): Promise<Task> {
    await guardMutation(what);
    return this.session.http.json(Task, "DELETE", path, { context: { what } });
  }

  private async post<S extends z.ZodType>(
    bodySchema: S,
    body: unknown,
    path: string,
    what: string,
  ): Promise<Task> {
    const json = checkRequest(bodySchema, body, what);
    await guardMutation(what);
    return this.session.http.json(Task, "POST", path, { json, context: { what } });
  }

  private async orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (e) {
      if (isSrmError(e) && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  /** Every item of a paged SRM listing (`{list, _meta}`), following `_meta` offsets. */
  async listAll<T>(
    schema: z.ZodType<{ list: T[]; _meta?: z.infer<typeof MetadataList> }>,
    path: string,
    what: string,
    askLimit = true,
    query: Record<string, string> = {},
  ): Promise<T[]> {
    const got = await this.session.http.got();
    const serverKind = "SRM";
    // A server that ignores `offset` answers the first page again and again: without these checks the
    // listing would loop (when `_meta.offset` stays 0) or return the same items several times.
    const ignoredOffset = (detail: string) =>
      new SrmError(
        "INVALID_RESPONSE",
        `${capitalize(what)} failed: SRM ignored the paging parameter offset (${detail}), so the list cannot be read completely. ` +
          `The server version may not be supported.`,
        { method: "GET", path, details: detail },
      );
    let previousPage: string | undefined;
    let pages = 0;
    try {
      return await this.session.http.limited(() =>
        got.paginate.all<T, unknown>(path, {
          searchParams: askLimit ? { ...query, limit: PAGE_LIMIT, offset: 0 } : query,
          context: { what },
          pagination: {
            transform: (response) => parseBody(schema, response.body, "GET", path, what, serverKind).list,
            paginate: ({ response, currentItems }) => {
              pages++;
              const meta = parseBody(schema, response.body, "GET", path, what, serverKind)._meta;
              const asked = Number(response.requestUrl.searchParams.get("offset") ?? 0) || 0;
              if (meta?.offset !== undefined && meta.offset !== asked) {
                throw ignoredOffset(`asked for offset ${asked}, got ${meta.offset}`);
              }
              const page = JSON.stringify(currentItems);
              if (asked > 0 && page === previousPage) {
                throw ignoredOffset(`the page at offset ${asked} repeats the previous one`);
              }
              previousPage = page;
              const offset = meta?.offset ?? asked;
              const next = offset + currentItems.length;
              if (currentItems.length === 0 || meta?.total === undefined || next >= meta.total) return false;
              if (pages >= MAX_LIST_PAGES) {
                throw new SrmError(
                  "INVALID_RESPONSE",
                  `${capitalize(what)} failed: SRM announced ${meta.total} items and was still paging after ` +
                    `${pages} pages (${next} items), so the listing was stopped. Check the server; this many ` +
                    `objects is not supported.`,
                  { method: "GET", path, details: `stopped after ${pages} pages` },
                );
              }
              return { searchParams: { ...query, limit: meta.limit ?? PAGE_LIMIT, offset: next } };
            },
          },
        }),
      );
    } catch (e) {
      throw isSrmError(e) ? e : await this.session.http.mapError(e as never);
    }
  }
}

const clients = new Map<string, SrmClient>();

/**
 * The shared client for (url, username) in this process. Calling it again with another password (or TLS
 * settings) updates the shared client; a changed password drops the session so the next call logs in again.
 */
export function getSrmClient(conn: SrmConnection): SrmClient {
  const session = getSrmSession(conn);
  let client = clients.get(session.connection.url + "\u0000" + conn.username);
  if (!client || client.session !== session) {
    client = new SrmClient(session);
    clients.set(session.connection.url + "\u0000" + conn.username, client);
  }
  return client;
}

/** Forgets every shared SRM client and session of this process (tests; hosts that rotate servers). */
export function clearSrmClients(): void {
  clients.clear();
  clearSrmSessions();
}
