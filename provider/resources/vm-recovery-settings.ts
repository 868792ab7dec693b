// VmRecoverySettings: how one VM of one plan comes back. The settings exist while the VM is in the plan:
// create and update write them, delete writes SRM's defaults back, refresh reports edits made in the UI.
// Every write carries the `change_version` last read; when someone else changed the settings in between,
// SRM refuses it and the write is retried on freshly read settings, never forced.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { VmRecoverySettings as WireSettings, VmRecoverySettingsSpec } from "../api/index.js";
import { isSrmError, srmRefused } from "../client/errors.js";
import type { SrmClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { boundedInt, requiredString, resourceName, taskTimeout, idString } from "../dynamic/input-schemas.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { resourceOptions } from "../dynamic/resource-options.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a VmRecoverySettings. */
export const VM_SETTINGS_TASK_TIMEOUT_SECONDS = 300;
/** Writes tried when SRM keeps reporting a concurrent edit (`change_version` mismatch). */
export const CHANGE_VERSION_ATTEMPTS = 3;

const Command = z.strictObject({
  name: requiredString("name of the command"),
  content: z.string({ error: "must be a string (the command line or prompt text)" }),
  kind: z.enum(["RUN_ON_SRM_SERVER", "RUN_ON_VM", "PROMPT"], {
    error: 'must be "RUN_ON_SRM_SERVER", "RUN_ON_VM" or "PROMPT"',
  }),
  timeoutSeconds: boundedInt(0, 59999, "seconds the command may run").default(300),
});

const Nic = z.strictObject({
  deviceId: boundedInt(0, 2 ** 31 - 1, "NIC device id"),
  dhcp: z.boolean({ error: "must be true or false" }).default(false),
  ipAddress: z.string().optional(),
  subnetMask: z.string().optional(),
  gateway: z.string().optional(),
  dnsServers: z.array(z.string()).default([]),
});

/** SRM's defaults for a VM in a plan; delete writes them back. */
export const VM_SETTINGS_DEFAULTS = {
  priority: 3,
  powerOn: true,
  powerOnToolsTimeoutSeconds: 300,
  delayAfterPowerOnSeconds: 0,
  shutdownTimeoutSeconds: 300,
  skipGuestShutdown: false,
  ipCustomization: "AUTO",
} as const;

/** Validated VmRecoverySettings inputs. @internal */
export const VmSettingsInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  planId: idString("SRM id of the recovery plan"),
  vmId: idString("id of a VM of the plan"),
  priority: boundedInt(1, 5, "recovery priority group, 1 first").default(VM_SETTINGS_DEFAULTS.priority),
  dependsOnVms: z.array(requiredString("id of a VM of the same priority")).default([]),
  powerOn: z.boolean({ error: "must be true or false" }).default(true),
  powerOnToolsTimeoutSeconds: boundedInt(0, 3599, "wait for VMware Tools").default(300),
  delayAfterPowerOnSeconds: boundedInt(0, 3599, "delay before dependent VMs").default(0),
  shutdownTimeoutSeconds: boundedInt(0, 3599, "guest shutdown timeout").default(300),
  skipGuestShutdown: z.boolean({ error: "must be true or false" }).default(false),
  prePowerOnCommands: z.array(Command).default([]),
  postPowerOnCommands: z.array(Command).default([]),
  ipCustomization: z
    .enum(["AUTO", "NETWORK_MAPPING_LEVEL", "MANUAL", "NO_CUSTOMIZATION"], {
      error: 'must be "AUTO", "NETWORK_MAPPING_LEVEL", "MANUAL" or "NO_CUSTOMIZATION"',
    })
    .default("AUTO"),
  nics: z.array(Nic).default([]),
  taskTimeoutSeconds: taskTimeout(VM_SETTINGS_TASK_TIMEOUT_SECONDS),
});
/** VmRecoverySettings inputs after validation. @internal */
export type VmSettingsInputs = z.infer<typeof VmSettingsInputsSchema>;

const SETTINGS = [
  "priority",
  "dependsOnVms",
  "powerOn",
  "powerOnToolsTimeoutSeconds",
  "delayAfterPowerOnSeconds",
  "shutdownTimeoutSeconds",
  "skipGuestShutdown",
  "prePowerOnCommands",
  "postPowerOnCommands",
  "ipCustomization",
  "nics",
] as const;

/** The plan and VM replace; every setting is written in place. @internal */
export const VM_SETTINGS_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "planId", "vmId"],
  update: [...SETTINGS, "taskTimeoutSeconds"],
  deleteBeforeReplace: false,
};

const label = (props: Props | undefined) =>
  labelOf("VmRecoverySettings", props, `of VM ${String(props?.vmId ?? "?")}`);

/** The one place inputs become the wire body. @internal */
export function toSettingsSpec(
  i: VmSettingsInputs,
  changeVersion: number | undefined,
): VmRecoverySettingsSpec {
  const steps = (cs: VmSettingsInputs["prePowerOnCommands"], stepType: "PRE_POWER_ON" | "POST_POWER_ON") =>
    cs.map((c) => ({
      id: "",
      name: c.name,
      content: c.content,
      callout_type: c.kind,
      timeout_seconds: c.timeoutSeconds,
      step_type: stepType,
    }));
  return {
    priority: `P${i.priority}` as VmRecoverySettingsSpec["priority"],
    startup_action: i.powerOn ? "POWER_ON" : "DO_NOT_POWER_ON",
    startup_action_settings: {
      power_on_vmtools_timeout_seconds: i.powerOnToolsTimeoutSeconds,
      delay_before_power_on_steps_and_dependent_vms_seconds: i.delayAfterPowerOnSeconds,
    },
    shutdown_action_settings: {
      skip_shutdown_guest: i.skipGuestShutdown,
      timeout_seconds: i.shutdownTimeoutSeconds,
    },
    pre_power_on_steps: steps(i.prePowerOnCommands, "PRE_POWER_ON"),
    post_power_on_steps: steps(i.postPowerOnCommands, "POST_POWER_ON"),
    dependent_vms: i.dependsOnVms.map((id) => ({ id, name: id })),
    ip_customization_type: i.ipCustomization,
    nic_settings: i.nics.map((n) => ({
      device_id: n.deviceId,
      secondary_ip_settings: {
        ip_v4: n.dhcp
          ? { type: "DHCP" as const, ip_address: "", subnet_mask: "" }
          : {
              type: "STATIC" as const,
              ip_address: n.ipAddress ?? "",
              subnet_mask: n.subnetMask ?? "",
              default_gateway: n.gateway ?? null,
            },
        dns:
          n.dnsServers.length > 0
            ? {
                type: "STATIC" as const,
                preferred_server: n.dnsServers[0],
                alternate_server: n.dnsServers[1] ?? null,
              }
            : null,
      },
    })),
    ...(changeVersion === undefined ? {} : { change_version: changeVersion }),
  };
}

/** SRM's settings as input values (what refresh compares with the program). @internal */
export function fromSettings(s: WireSettings): Props {
  const cmds = (cs: WireSettings["pre_power_on_steps"]) =>
    (cs ?? []).map((c) => ({
      name: c.name,
      content: c.content,
      kind: c.callout_type,
      timeoutSeconds: c.timeout_seconds,
    }));
  return {
    priority: Number(s.priority.slice(1)),
    dependsOnVms: (s.dependent_vms ?? []).map((d) => d.id),
    powerOn: s.startup_action === "POWER_ON",
    powerOnToolsTimeoutSeconds: s.startup_action_settings?.power_on_vmtools_timeout_seconds ?? 300,
    delayAfterPowerOnSeconds:
      s.startup_action_settings?.delay_before_power_on_steps_and_dependent_vms_seconds ?? 0,
    shutdownTimeoutSeconds: s.shutdown_action_settings.timeout_seconds,
    skipGuestShutdown: s.shutdown_action_settings.skip_shutdown_guest ?? false,
    prePowerOnCommands: cmds(s.pre_power_on_steps),
    postPowerOnCommands: cmds(s.post_power_on_steps),
    ipCustomization: s.ip_customization_type,
    nics: (s.nic_settings ?? []).map((n) => {
      const v4 = n.secondary_ip_settings?.ip_v4;
      const dns = n.secondary_ip_settings?.dns;
      const dhcp = v4?.type === "DHCP";
      return {
        deviceId: n.device_id,
        dhcp,
        ...(dhcp
          ? {}
          : {
              ipAddress: v4?.ip_address,
              subnetMask: v4?.subnet_mask,
              gateway: v4?.default_gateway ?? undefined,
            }),
        dnsServers: [dns?.preferred_server, dns?.alternate_server].filter((x): x is string => !!x),
      };
    }),
  };
}

const isMismatch = (e: unknown) =>
  isSrmError(e) && (e.errorCode === "CHANGE_VERSION_MISMATCH" || /change_version/i.test(e.message));

/** How far a write got: whether an update was sent, and the task SRM answered with. */
interface WriteProgress {
  sent?: boolean;
  taskId?: string;
}

/**
 * Reads the settings, writes `i` with the version read, and on a concurrent edit reads again and retries.
 * Returns the settings as SRM holds them afterwards. `progress` tells a caller whose write failed whether
 * SRM may have applied it.
 */
async function write(
  ctx: ProviderContext,
  client: SrmClient,
  i: VmSettingsInputs,
  raw: Props,
  progress: WriteProgress = {},
): Promise<WireSettings> {
  const notInPlan = () =>
    new Error(
      `VM ${i.vmId} is not in recovery plan ${i.planId}: add its protection group to the plan (RecoveryPlan.protectionGroupIds) first`,
    );
  for (let attempt = 1; ; attempt++) {
    const state = await client.getVmRecoverySettings(i.pairingId, i.planId, i.vmId);
    if (!state?.recovery_settings) throw notInPlan();
    try {
      progress.sent = true;
      const task = await client.updateVmRecoverySettings(
        i.pairingId,
        i.planId,
        i.vmId,
        toSettingsSpec(i, state.recovery_settings.change_version),
      );
      progress.taskId = task.id;
      await waitWithProgress(client, task, {
        label: label(raw),
        timeoutSeconds: i.taskTimeoutSeconds,
        timeoutInput: "taskTimeoutSeconds",
        log: ctx.log,
      });
      break;
    } catch (e) {
      if (!isMismatch(e) || attempt >= CHANGE_VERSION_ATTEMPTS) throw e;
      ctx.log(
        `srm: ${label(raw)}: the settings changed in SRM meanwhile; reading them again (attempt ${attempt + 1})`,
      );
    }
  }
  const after = await client.getVmRecoverySettings(i.pairingId, i.planId, i.vmId);
  if (!after?.recovery_settings) throw notInPlan();
  return after.recovery_settings;
}

/**
 * A write SRM may have applied but whose end was not seen (its task outlived the wait, or the answer to the
 * update was lost) becomes a partial failure: the engine records the settings with the program's values and
 * the task to follow, and the next up (which updates a resource recorded so) waits for that task, reads the
 * settings again and writes with the version it reads, never over a write still in flight.
 */
function unseenWrite(e: unknown, progress: WriteProgress, id: string, i: VmSettingsInputs, raw: Props) {
  if (!progress.sent || srmRefused(e)) return e;
  const { changeVersion: _v, ...outs } = outputsOf(i, { change_version: undefined } as WireSettings);
  return partialFailure(
    e,
    id,
    { ...outs, ...(progress.taskId ? { pendingTaskId: progress.taskId } : {}) },
    raw,
  );
}

/** Waits for the write of an earlier run that was not seen to end (its outcome does not matter: it is redone). */
async function followEarlierWrite(ctx: ProviderContext, client: SrmClient, old: Props, i: VmSettingsInputs) {
  if (typeof old.pendingTaskId !== "string") return;
  ctx.log(
    `srm: ${label(old)}: following SRM task ${old.pendingTaskId} of an earlier write before writing again`,
  );
  const task = await client.getTask(old.pendingTaskId).catch(() => undefined);
  if (!task) return;
  await waitWithProgress(client, task, {
    label: label(old),
    timeoutSeconds: i.taskTimeoutSeconds,
    timeoutInput: "taskTimeoutSeconds",
    log: ctx.log,
  }).catch(() => undefined);
}

function outputsOf(i: VmSettingsInputs, s: WireSettings): Props {
  return {
    ...pick(i as Props, ["resourceName", "pairingId", "planId", "vmId", "taskTimeoutSeconds"]),
    ...pick(i as Props, SETTINGS),
    changeVersion: s.change_version,
    schemaVersion: SCHEMA_VERSION,
  };
}

/** VmRecoverySettings implementation. @internal */
export const vmRecoverySettingsImplementation: ResourceImplementation = {
  typeName: "VmRecoverySettings",

  async check(_olds, news) {
    return checkInputs(VmSettingsInputsSchema, news, [
      (d) =>
        d.dependsOnVms.includes(d.vmId)
          ? [{ property: "dependsOnVms", reason: "dependsOnVms: a VM cannot depend on itself" }]
          : [],
    ]);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(VmSettingsInputsSchema, news);
    const { changed: _c, ...result } = diffFields(upgradeOutputs(olds ?? {}), inputs, VM_SETTINGS_DIFF_RULES);
    return result;
  },

  async create(ctx, raw) {
    const what = `writing ${label(raw)} in plan ${String(raw.planId)}`;
    const i = parseInputs(VmSettingsInputsSchema, raw, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const id = `${i.planId}/${i.vmId}`;
      const progress: WriteProgress = {};
      try {
        // No plan lock: each VM's settings are their own object in SRM, guarded by change_version.
        const s = await write(ctx, client, i, raw, progress);
        return { id, outs: outputsOf(i, s) };
      } catch (e) {
        // The id is the plan and the VM, known either way.
        throw unseenWrite(e, progress, id, i, raw);
      }
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const state = await client.getVmRecoverySettings(
        String(old.pairingId),
        String(old.planId),
        String(old.vmId),
      );
      if (!state?.recovery_settings) return { id: "", props: {} };
      const current = fromSettings(state.recovery_settings);
      const outs = { ...old, ...current, changeVersion: state.recovery_settings.change_version };
      return { id, props: outs };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} in plan ${String(news.planId)}`;
    const i = parseInputs(VmSettingsInputsSchema, news, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      await followEarlierWrite(ctx, client, olds ?? {}, i);
      const progress: WriteProgress = {};
      try {
        const s = await write(ctx, client, i, news, progress);
        return { outs: outputsOf(i, s) };
      } catch (e) {
        throw unseenWrite(e, progress, id, i, news);
      }
    });
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`restoring SRM's defaults for ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const i = VmSettingsInputsSchema.parse({
        pairingId: old.pairingId,
        planId: old.planId,
        vmId: old.vmId,
        taskTimeoutSeconds: old.taskTimeoutSeconds,
        resourceName: old.resourceName,
      });
      // A VM that left the plan (or a plan that is gone) has no settings to restore.
      if (!(await client.getVmRecoverySettings(i.pairingId, i.planId, i.vmId))) return;
      await write(ctx, client, i, old);
    });
  },
};

/** A command run before or after the VM powers on. */
export interface VmCommand {
  /** Name shown in the plan's steps. */
  name: pulumi.Input<string>;
  /** Command line (RUN_ON_*) or message (PROMPT). */
  content: pulumi.Input<string>;
  /** Where it runs: RUN_ON_SRM_SERVER, RUN_ON_VM, or PROMPT (waits for an operator). */
  kind: pulumi.Input<"RUN_ON_SRM_SERVER" | "RUN_ON_VM" | "PROMPT">;
  /** Seconds the command may run; default 300. */
  timeoutSeconds?: pulumi.Input<number>;
}

/** IP settings of one NIC at the recovery site. */
export interface VmNicSettings {
  /** NIC device id. */
  deviceId: pulumi.Input<number>;
  /** DHCP instead of a static address; default false. */
  dhcp?: pulumi.Input<boolean>;
  /** Static IPv4 address. */
  ipAddress?: pulumi.Input<string>;
  /** Subnet mask. */
  subnetMask?: pulumi.Input<string>;
  /** Default gateway. */
  gateway?: pulumi.Input<string>;
  /** DNS servers, preferred first (two at most are used). */
  dnsServers?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Arguments of a {@link VmRecoverySettings}. */
export interface VmRecoverySettingsArgs extends SiteArgs {
  /** SRM id of the pairing. Changing it replaces the resource. */
  pairingId: pulumi.Input<string>;
  /** SRM id of the plan (pass `RecoveryPlan.id`, known in the preview of a plan update). Changing it replaces the resource. */
  planId: pulumi.Input<string>;
  /** Id of the VM in the plan. Changing it replaces the resource. */
  vmId: pulumi.Input<string>;
  /** Priority group 1 (first) to 5; default 3. */
  priority?: pulumi.Input<number>;
  /** VMs of the same priority that must be powered on first. */
  dependsOnVms?: pulumi.Input<pulumi.Input<string>[]>;
  /** Power the VM on at recovery; default true. */
  powerOn?: pulumi.Input<boolean>;
  /** Seconds to wait for VMware Tools after power-on; default 300. */
  powerOnToolsTimeoutSeconds?: pulumi.Input<number>;
  /** Seconds to wait after power-on before post-power-on steps and dependent VMs; default 0. */
  delayAfterPowerOnSeconds?: pulumi.Input<number>;
  /** Seconds a guest shutdown may take before power-off; default 300. */
  shutdownTimeoutSeconds?: pulumi.Input<number>;
  /** Power off without a guest shutdown; default false. */
  skipGuestShutdown?: pulumi.Input<boolean>;
  /** Commands before power-on, in order. */
  prePowerOnCommands?: pulumi.Input<pulumi.Input<VmCommand>[]>;
  /** Commands after power-on, in order. */
  postPowerOnCommands?: pulumi.Input<pulumi.Input<VmCommand>[]>;
  /** AUTO (default), NETWORK_MAPPING_LEVEL, MANUAL or NO_CUSTOMIZATION. */
  ipCustomization?: pulumi.Input<"AUTO" | "NETWORK_MAPPING_LEVEL" | "MANUAL" | "NO_CUSTOMIZATION">;
  /** Per-NIC IP settings at the recovery site (with MANUAL). */
  nics?: pulumi.Input<pulumi.Input<VmNicSettings>[]>;
  /** Seconds to wait for each SRM task; default 300. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * The recovery settings of one VM in one plan. Deleting the resource restores SRM's defaults (priority 3,
 * power on, 300 s VMware Tools wait and guest-shutdown timeout, AUTO IP customization, no commands).
 */
export class VmRecoverySettings extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** `planId/vmId`; also the resource id. */
  declare readonly id: pulumi.Output<string>;
  /** Priority group. */
  declare readonly priority: pulumi.Output<number>;
  /** SRM's change_version after the last write or refresh. */
  declare readonly changeVersion: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: VmRecoverySettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("vm-recovery-settings"),
      name,
      { ...args, resourceName: name, changeVersion: undefined, schemaVersion: undefined },
      resourceOptions(name, opts, { type: "srm:VmRecoverySettings", timeoutInput: "taskTimeoutSeconds" }),
      "srm",
      "VmRecoverySettings",
    );
  }
}
