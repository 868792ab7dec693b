// RecoveryPlan: a plan built from protection groups, with its own test-network overrides and the
// recovery-site VMs it suspends. SRM's edit replaces each list whole, so update sends the declared lists
// and the engine's diff shows which members change. The protected site is fixed at creation; a reprotect
// swaps the sites in SRM, which read reports as `currentProtectedVcGuid` and never as drift.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { RecoveryPlanInfo, Task } from "../api/index.js";
import type { SrmClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, sameValue, type DiffRules } from "../dynamic/diff-fields.js";
import { requiredString, resourceName, taskTimeout, idString, journalKey } from "../dynamic/input-schemas.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { journalKeyOf, resourceOptions } from "../dynamic/resource-options.js";
import { CreateJournal, ownIds } from "../dynamic/create-journal.js";
import { srmRefused } from "../client/errors.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a RecoveryPlan. */
export const RECOVERY_PLAN_TASK_TIMEOUT_SECONDS = 600;

const TestNetwork = z.strictObject({
  recoveryNetwork: requiredString("network id at the recovery site"),
  testNetwork: requiredString("network id a test recovery uses instead"),
});

/** Validated RecoveryPlan inputs. @internal */
export const RecoveryPlanInputsSchema = z.object({
  resourceName,
  journalKey,
  pairingId: idString("SRM id of the pairing"),
  name: requiredString("name of the recovery plan"),
  description: z.string({ error: "must be a string" }).optional(),
  protectedVcGuid: requiredString("vCenter guid of the protected site"),
  protectionGroupIds: z
    .array(requiredString("SRM id of a protection group"), {
      error: "must be a list of protection group ids",
    })
    .default([]),
  testNetworks: z
    .array(TestNetwork, { error: "must be a list of {recoveryNetwork, testNetwork}" })
    .default([]),
  vmsToSuspend: z
    .array(requiredString("VM id at the recovery site"), { error: "must be a list of VM ids" })
    .default([]),
  folder: idString("SRM id of a recovery plan folder (a RecoveryPlanFolder's folderId)").optional(),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
  taskTimeoutSeconds: taskTimeout(RECOVERY_PLAN_TASK_TIMEOUT_SECONDS),
});
/** RecoveryPlan inputs after validation. @internal */
export type RecoveryPlanInputs = z.infer<typeof RecoveryPlanInputsSchema>;

const ECHOED = [
  "resourceName",
  "journalKey",
  "pairingId",
  "name",
  "description",
  "protectedVcGuid",
  "protectionGroupIds",
  "testNetworks",
  "vmsToSuspend",
  "folder",
  "adopt",
  "taskTimeoutSeconds",
] as const;

const sorted = (v: unknown) => (Array.isArray(v) ? [...v].map((x) => JSON.stringify(x)).sort() : v);
const asSet = (a: unknown, b: unknown) => sameValue(sorted(a), sorted(b));

/** The pairing and the protected site replace the plan; everything else is edited in place. @internal */
export const RECOVERY_PLAN_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "protectedVcGuid", "folder"],
  update: [
    "name",
    "description",
    "protectionGroupIds",
    "testNetworks",
    "vmsToSuspend",
    "taskTimeoutSeconds",
    "adopt",
  ],
  deleteBeforeReplace: true,
  comparers: {
    protectionGroupIds: asSet,
    testNetworks: asSet,
    vmsToSuspend: asSet,
    // State from before `adopt` existed has none: that is the default, false.
    adopt: (a, b) => Boolean(a) === Boolean(b),
  },
};

const label = (props: Props | undefined) => labelOf("RecoveryPlan", props, String(props?.name ?? "?"));

function wait(ctx: ProviderContext, client: SrmClient, task: Task, timeoutSeconds: number, raw: Props) {
  return waitWithProgress(client, task, {
    label: label(raw),
    timeoutSeconds,
    timeoutInput: "taskTimeoutSeconds",
    log: ctx.log,
  });
}

function wireTestNetworks(i: RecoveryPlanInputs) {
  return i.testNetworks.map((t) => ({ target_network: t.recoveryNetwork, test_network: t.testNetwork }));
}

async function readBack(client: SrmClient, pairingId: string, planId: string) {
  const plan = await client.getPlan(pairingId, planId);
  if (!plan) return undefined;
  const groups = await client.listPlanGroups(pairingId, planId);
  const tns = await client.listPlanTestNetworks(pairingId, planId);
  return {
    plan,
    groupIds: groups.map((g) => g.id),
    testNetworks: tns.map((t) => ({ recoveryNetwork: t.target_network, testNetwork: t.test_network })),
  };
}

function outputsOf(i: Props, plan: RecoveryPlanInfo): Props {
  return {
    ...pick(i, ECHOED),
    planId: plan.id,
    status: plan.status,
    currentProtectedVcGuid: plan.protected_vc_guid,
    recoveryVcGuid: plan.recovery_vc_guid,
    currentFolderId: plan.location,
    schemaVersion: SCHEMA_VERSION,
  };
}

/** After the create (or finding it again): the VMs to suspend, which the create spec lacks, then the outputs. */
async function settle(
  ctx: ProviderContext,
  client: SrmClient,
  i: RecoveryPlanInputs,
  raw: Props,
  planId: string,
) {
  if (i.vmsToSuspend.length > 0) {
    const edit = await client.reconfigurePlan(i.pairingId, planId, { vms_to_suspend: i.vmsToSuspend });
    await wait(ctx, client, edit, i.taskTimeoutSeconds, raw);
  }
  const back = await readBack(client, i.pairingId, planId);
  if (!back) throw new Error(`recovery plan ${planId} vanished right after its creation`);
  return { id: planId, outs: outputsOf(i as Props, back.plan) };
}

/** Sends the declared plan whole (SRM's edit replaces each list) and reads it back. Call under the plan lock. */
async function reconfigure(
  ctx: ProviderContext,
  client: SrmClient,
  i: RecoveryPlanInputs,
  raw: Props,
  id: string,
) {
  const task = await client.reconfigurePlan(i.pairingId, id, {
    name: i.name,
    description: i.description ?? null,
    protection_groups: i.protectionGroupIds,
    test_network_mappings: wireTestNetworks(i),
    vms_to_suspend: i.vmsToSuspend,
  });
  await wait(ctx, client, task, i.taskTimeoutSeconds, raw);
  const back = await readBack(client, i.pairingId, id);
  if (!back) throw new Error(`recovery plan ${id} no longer exists in SRM; run \`pulumi refresh\``);
  return { id, outs: outputsOf(i as Props, back.plan) };
}

/** RecoveryPlan implementation. @internal */
export const recoveryPlanImplementation: ResourceImplementation = {
  typeName: "RecoveryPlan",

  async check(_olds, news) {
    return checkInputs(RecoveryPlanInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(RecoveryPlanInputsSchema, news);
    const { changed: _c, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      RECOVERY_PLAN_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)} in pairing ${String(raw.pairingId)}`;
    const i = parseInputs(RecoveryPlanInputsSchema, raw, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const journal = new CreateJournal(i.journalKey, `${client.url}|${i.pairingId}|recovery-plans`);
      // An earlier create of this resource was not seen to finish (a timeout, a lost answer, a killed run):
      // follow its task, then find the plan it made by the plan ids that existed before it.
      const earlierTask = /^task (\S+)$/.exec(journal.read()?.pending?.what ?? "")?.[1];
      if (earlierTask) {
        ctx.log(
          `srm: ${label(raw)}: following SRM task ${earlierTask} of an earlier create of this resource`,
        );
        await wait(ctx, client, await client.getTask(earlierTask), i.taskTimeoutSeconds, raw).catch(
          () => undefined,
        );
      }
      const before = await client.listPlans(i.pairingId);
      const existing = before.find((p) => p.name === i.name);
      const [mine] = existing
        ? await ownIds(
            journal.read(),
            before.map((p) => p.id),
            (id) => id === existing.id,
          )
        : [];
      if (existing && mine === existing.id) {
        journal.set([mine]);
        ctx.log(
          `srm: ${label(raw)}: found recovery plan ${mine}, made by an earlier create of this resource`,
        );
        return settle(ctx, client, i, raw, mine);
      }
      if (existing && !i.adopt) {
        throw new Error(
          `a recovery plan named "${i.name}" already exists (${existing.id}) and no resource of this stack ` +
            `manages it; exactly one resource manages each SRM object. Rename this one, or set \`adopt: true\` ` +
            `to manage the existing plan with this resource (then \`pulumi destroy\` deletes it; set the ` +
            `\`retainOnDelete\` resource option to keep it), or look it up with \`getRecoveryPlan\` instead.`,
        );
      }
      if (existing) {
        if (existing.protected_vc_guid !== i.protectedVcGuid)
          throw new Error(
            `cannot adopt recovery plan "${i.name}" (${existing.id}): it protects vCenter ` +
              `${existing.protected_vc_guid}, not ${i.protectedVcGuid} (protectedVcGuid); fix protectedVcGuid.`,
          );
        if (i.folder !== undefined && existing.location !== i.folder)
          throw new Error(
            `cannot adopt recovery plan "${i.name}" (${existing.id}): it is in folder ${existing.location}, not ` +
              `${i.folder} (folder); declare the folder it is in or move it in SRM first.`,
          );
        ctx.log(`srm: ${label(raw)}: adopted existing recovery plan ${existing.id}`);
        journal.set([existing.id]);
        // SRM's edit takes whole lists: the declared ones replace whatever the plan held.
        return client.withPlanLock(i.pairingId, existing.id, () =>
          reconfigure(ctx, client, i, raw, existing.id),
        );
      }
      journal.begin(
        before.map((p) => p.id),
        `recovery plan "${i.name}"`,
      );
      const refused = (e: unknown) => {
        if (srmRefused(e)) journal.cancel();
        return e;
      };
      const task = await client
        .createPlan(i.pairingId, {
          name: i.name,
          description: i.description ?? null,
          protected_vc_guid: i.protectedVcGuid,
          ...(i.folder === undefined ? {} : { location: i.folder }),
          protection_groups: i.protectionGroupIds,
          test_network_mappings: wireTestNetworks(i),
        })
        .catch((e: unknown) => {
          throw refused(e);
        });
      journal.begin(
        before.map((p) => p.id),
        `task ${task.id}`,
      );
      const done = await wait(ctx, client, task, i.taskTimeoutSeconds, raw).catch((e: unknown) => {
        throw refused(e);
      });
      const id = (done.result as { id?: unknown } | null)?.id;
      const planId =
        typeof id === "string"
          ? id
          : (await client.listPlans(i.pairingId)).find((p) => p.name === i.name)?.id;
      if (!planId)
        throw new Error(`task ${done.id} succeeded but the new plan is not listed; run \`pulumi refresh\``);
      journal.set([planId]);
      return settle(ctx, client, i, raw, planId);
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const back = await readBack(client, String(old.pairingId), id);
      if (!back) return { id: "", props: {} };
      // vms_to_suspend cannot be read back through the API: the stored value stays.
      const drift: Props = {
        name: back.plan.name,
        description: back.plan.description ?? undefined,
        protectionGroupIds: asSet(old.protectionGroupIds, back.groupIds)
          ? old.protectionGroupIds
          : back.groupIds,
        testNetworks: asSet(old.testNetworks, back.testNetworks) ? old.testNetworks : back.testNetworks,
      };
      // A declared folder drifts when the plan was moved in the UI; without one the root is not compared.
      if (old.folder !== undefined && back.plan.location !== old.folder) drift.folder = back.plan.location;
      return { id, props: { ...outputsOf({ ...old, ...drift }, back.plan) } };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} (${id})`;
    const i = parseInputs(RecoveryPlanInputsSchema, news, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const old = upgradeOutputs(olds ?? {});
      const changed = ["name", "description", "protectionGroupIds", "testNetworks", "vmsToSuspend"].some(
        (k) => !sameValue(old[k], (i as Props)[k]),
      );
      if (changed) {
        return client.withPlanLock(i.pairingId, id, async () => {
          const { outs } = await reconfigure(ctx, client, i, news, id);
          return { outs };
        });
      }
      const plan = await client.getPlan(i.pairingId, id);
      if (!plan) throw new Error(`recovery plan ${id} no longer exists in SRM; run \`pulumi refresh\``);
      return { outs: outputsOf(i as Props, plan) };
    });
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`deleting ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const pairingId = String(old.pairingId);
      const journal = new CreateJournal(
        typeof old.journalKey === "string" ? old.journalKey : undefined,
        `${client.url}|${pairingId}|recovery-plans`,
      );
      await client.withPlanLock(pairingId, id, async () => {
        if (!(await client.getPlan(pairingId, id))) return;
        const task = await client.deletePlan(pairingId, id);
        const timeout =
          typeof old.taskTimeoutSeconds === "number"
            ? old.taskTimeoutSeconds
            : RECOVERY_PLAN_TASK_TIMEOUT_SECONDS;
        await wait(ctx, client, task, timeout, old);
      });
      journal.remove();
    });
  },
};

/** A plan-level test network override. */
export interface RecoveryPlanTestNetwork {
  /** Network id at the recovery site. */
  recoveryNetwork: pulumi.Input<string>;
  /** Network id a test recovery connects the VMs to instead. */
  testNetwork: pulumi.Input<string>;
}

/** A test network override as the plan's outputs hold it. */
export interface PlanTestNetwork {
  /** Network id at the recovery site. */
  recoveryNetwork: string;
  /** Network id a test recovery uses instead. */
  testNetwork: string;
}

/** Arguments of a {@link RecoveryPlan}. */
export interface RecoveryPlanArgs extends SiteArgs {
  /** SRM id of the pairing. Changing it replaces the plan. */
  pairingId: pulumi.Input<string>;
  /** Name of the plan; renamed in place. */
  name: pulumi.Input<string>;
  /** Description; changed in place. */
  description?: pulumi.Input<string>;
  /** vCenter guid of the protected site at creation. Changing it replaces the plan; a reprotect does not count. */
  protectedVcGuid: pulumi.Input<string>;
  /** Protection groups in the plan (ids: pass `ProtectionGroup.id`, which stays known in the preview of an update); the whole list, edited in place. */
  protectionGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Test network overrides of this plan; the whole list, edited in place. */
  testNetworks?: pulumi.Input<pulumi.Input<RecoveryPlanTestNetwork>[]>;
  /** Recovery-site VMs suspended during recovery; the whole list, edited in place. */
  vmsToSuspend?: pulumi.Input<pulumi.Input<string>[]>;
  /** SRM id of the folder to create the plan in (pass `RecoveryPlanFolder.id`, known in the preview of a folder update); default the root folder. Changing it replaces the plan. */
  folder?: pulumi.Input<string>;
  /** Seconds to wait for each SRM task; default 600. */
  taskTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing plan of the same name instead of failing. Default false: a plan that exists already
   * (and that no earlier create of this resource made) is an error, so no plan is ever managed twice. Adopting
   * sets the declared name, description, groups, test networks and VMs to suspend on it; its protected site
   * and folder must match. Once adopted, the plan is this resource's: `pulumi destroy` deletes it; set the
   * `retainOnDelete` resource option to keep it, or use `getRecoveryPlan` to refer to a plan without managing it.
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * An SRM recovery plan. Its `planId` is what `Reprotect`, `RecoveryStepCallout` and `VmRecoverySettings`
 * take. SRM refuses to edit or delete a plan while it runs.
 */
export class RecoveryPlan extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the plan; also the resource id. */
  declare readonly planId: pulumi.Output<string>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** Name. */
  declare readonly name: pulumi.Output<string>;
  /** Description. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Protected vCenter as declared. */
  declare readonly protectedVcGuid: pulumi.Output<string>;
  /** Protected vCenter as SRM reports it now (the other site after a reprotect). */
  declare readonly currentProtectedVcGuid: pulumi.Output<string>;
  /** Recovery vCenter as SRM reports it now. */
  declare readonly recoveryVcGuid: pulumi.Output<string>;
  /** Protection group ids. */
  declare readonly protectionGroupIds: pulumi.Output<string[]>;
  /** Test network overrides. */
  declare readonly testNetworks: pulumi.Output<PlanTestNetwork[]>;
  /** VMs suspended during recovery. */
  declare readonly vmsToSuspend: pulumi.Output<string[]>;
  /** Declared folder. */
  declare readonly folder: pulumi.Output<string | undefined>;
  /** The folder SRM reports the plan in. */
  declare readonly currentFolderId: pulumi.Output<string>;
  /** Plan status as SRM reports it. */
  declare readonly status: pulumi.Output<string>;
  /** Seconds allowed per task. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: RecoveryPlanArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("recovery-plan"),
      name,
      {
        ...args,
        resourceName: name,
        journalKey: journalKeyOf("RecoveryPlan", name),
        planId: undefined,
        currentProtectedVcGuid: undefined,
        recoveryVcGuid: undefined,
        currentFolderId: undefined,
        status: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:RecoveryPlan",
        timeoutInput: "taskTimeoutSeconds",
        deleteBeforeReplace: true,
      }),
      "srm",
      "RecoveryPlan",
    );
  }
}
