import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { VmRecoverySettingsSpec, type VmCallout } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { PlanState } from "../model.js";
import { settingsView, type VmSettingsState } from "../protection-model.js";
import { TaskFailure } from "../tasks.js";
import { parseBody, type SimContext } from "./context.js";
import { findPlan } from "./plans.js";

let nextCallout = 1;

/** The route as fault keys name it. */
const SPEC_BASE = "/pairings/{pairing_id}/recovery-management/plans/{plan_id}/vms/{vm_id}/recovery-settings";

/** The plan and the settings of `{vm_id}` in it; 404 when the VM is not in the plan. */
function findSettings(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { plan: PlanState; vmId: string; settings: VmSettingsState } | undefined {
  const found = findPlan(ctx, request, reply);
  if (!found) return undefined;
  const { vm_id } = request.params as { vm_id: string };
  const settings = ctx.model.protection.settingsOf(found.plan.id, vm_id);
  if (!settings) {
    sendSrmError(reply, 404);
    return undefined;
  }
  return { plan: found.plan, vmId: vm_id, settings };
}

function mismatch(vmName: string, sent: number, current: number): string {
  return (
    `The recovery settings of VM '${vmName}' were changed by someone else (change_version ${sent} sent, ` +
    `${current} current). Read them again and retry.`
  );
}

/** Each plan VM's recovery settings: read, and update with the `change_version` check. */
export function registerVmRecoverySettingsRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const base = "/pairings/:pairing_id/recovery-management/plans/:plan_id/vms/:vm_id/recovery-settings";

  app.get(base, async (request, reply) => {
    const found = findSettings(ctx, request, reply);
    if (!found) return reply;
    const { plan, settings } = found;
    const view = settingsView(settings, (id) => {
      const other = model.protection.settingsOf(plan.id, id);
      const status = !other
        ? ("NOT_IN_PLAN" as const)
        : other.priority === settings.priority
          ? ("OK" as const)
          : other.priority > settings.priority
            ? ("LOWER_PRIORITY" as const)
            : ("HIGHER_PRIORITY" as const);
      return { id, name: model.vmName(id), status, ...(other ? { priority_group: other.priority } : {}) };
    });
    return reply.send({
      recovery_settings: view,
      status: settings.syncConflict ? "SYNC_CONFLICT" : "OK",
      protection_group_support_vmotion: false,
      vmotion_migration_supported: false,
    });
  });

  app.post(`${base}/actions/update`, async (request, reply) => {
    const found = findSettings(ctx, request, reply);
    if (!found) return reply;
    const { plan, vmId, settings } = found;
    const spec = parseBody(VmRecoverySettingsSpec, request, reply);
    if (!spec) return reply;
    if (ctx.faults.takeConcurrentEdit(`POST ${SPEC_BASE}/actions/update`)) {
      // Someone changed the shutdown timeout in the UI a moment ago.
      settings.shutdownTimeoutSeconds = settings.shutdownTimeoutSeconds === 120 ? 180 : 120;
      settings.changeVersion++;
    }
    if (plan.isRunning) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidPlanState,
        `Cannot change the recovery settings of VM '${model.vmName(vmId)}' while recovery plan '${plan.name}' is running (status ${plan.status}).`,
      );
    }
    // VmRecoverySettings.change_version: "when reconfiguring an existing protected workload this value must
    // be set, and match the most recent value".
    if (spec.change_version !== undefined && spec.change_version !== settings.changeVersion) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.changeVersionMismatch,
        mismatch(model.vmName(vmId), spec.change_version, settings.changeVersion),
      );
    }
    if ((spec.dependent_vms ?? []).some((d) => d.id === vmId)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidRecoverySettings,
        `field 'dependent_vms': VM '${model.vmName(vmId)}' cannot depend on itself.`,
      );
    }
    const sent = spec.change_version;
    const task = model.newTask(
      "Update VM recovery settings",
      "com.vmware.dr.recoveryplan.vmsettings.update",
      vmId,
      model.vmName(vmId),
    );
    runner.start(task, {
      run: () => {
        const current = model.protection.settingsOf(plan.id, vmId);
        if (!current)
          throw new TaskFailure(`VM '${model.vmName(vmId)}' is no longer in recovery plan '${plan.name}'.`);
        if (sent !== undefined && sent !== current.changeVersion)
          throw new TaskFailure(mismatch(model.vmName(vmId), sent, current.changeVersion));
        const withIds = (steps: VmCallout[] | null | undefined) =>
          (steps ?? []).map((c) => ({ ...c, id: c.id === "" ? `vm-callout-${nextCallout++}` : c.id }));
        Object.assign(current, {
          ipCustomizationType: spec.ip_customization_type,
          nicSettings: spec.nic_settings ?? [],
          priority: spec.priority,
          startupAction: spec.startup_action,
          skipShutdownGuest: spec.shutdown_action_settings.skip_shutdown_guest ?? false,
          shutdownTimeoutSeconds: spec.shutdown_action_settings.timeout_seconds,
          powerOnVmToolsTimeoutSeconds: spec.startup_action_settings?.power_on_vmtools_timeout_seconds ?? 300,
          delayAfterPowerOnSeconds:
            spec.startup_action_settings?.delay_before_power_on_steps_and_dependent_vms_seconds ?? 0,
          prePowerOnSteps: withIds(spec.pre_power_on_steps),
          postPowerOnSteps: withIds(spec.post_power_on_steps),
          dependentVms: (spec.dependent_vms ?? []).map((d) => d.id),
          changeVersion: current.changeVersion + 1,
          syncConflict: false,
        } satisfies Partial<VmSettingsState>);
        return { id: vmId };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
