// Each VM's steps under its priority group's power-on step, as SRM's recovery-steps views nest them: the
// "Power on priority N VMs" step holds one step per VM of that priority, and a VM's step holds its per-VM
// commands and prompts before and after its power-on (SRM administration guide, "Types of Custom Recovery
// Steps", GUID-9D218CCD-1D30-4BF2-B8BA-12C079B47C2F: per-VM commands run before or after the VM powers on).
// The spec's RecoveryStep carries `depth` and `child_count`, and `vm_callout_position_spec` on per-VM callouts.
import type { RecoveryStep, VmCallout } from "../provider/api/index.js";

/** One VM's recovery settings as far as its steps go. */
export interface VmStepSource {
  vmId: string;
  vmName: string;
  pre: readonly VmCallout[];
  post: readonly VmCallout[];
}

/** A listed step, and the per-VM callout it shows when it is one. */
export interface StepRow {
  view: RecoveryStep;
  vmCallout?: VmCallout;
}

/** Stable ids of the nested steps: `idOf(key)` answers the same number for the same key. */
export type StepIdOf = (key: string) => number;

const base = {
  progress: 0,
  status: "INACTIVE" as const,
  finish_time: null,
  warnings: null,
  errors: null,
};

/**
 * The child rows of a priority step (already listed as `parent`): each VM's step at depth 1 and, when that
 * step is expanded, its pre-power-on callouts, its "Power on" step and its post-power-on callouts at depth 2.
 */
export function vmStepRows(
  parent: RecoveryStep,
  vms: readonly VmStepSource[],
  idOf: StepIdOf,
  expanded: (stepId: number) => boolean,
): StepRow[] {
  const rows: StepRow[] = [];
  vms.forEach((vm, k) => {
    const vmStepId = idOf(`vm|${vm.vmId}`);
    const number = `${parent.step_number}.${k + 1}`;
    const open = expanded(vmStepId);
    rows.push({
      view: {
        ...base,
        id: vmStepId,
        title: vm.vmName,
        step_number: number,
        depth: parent.depth + 1,
        child_count: vm.pre.length + 1 + vm.post.length,
        expanded: open,
        referred_object: vm.vmId,
      },
    });
    if (!open) return;
    const children: { title: string; key: string; callout?: VmCallout; pre?: boolean; index?: number }[] = [
      ...vm.pre.map((c, index) => ({ title: c.name, key: `callout|${c.id}`, callout: c, pre: true, index })),
      { title: "Power on", key: `power-on|${vm.vmId}` },
      ...vm.post.map((c, index) => ({
        title: c.name,
        key: `callout|${c.id}`,
        callout: c,
        pre: false,
        index,
      })),
    ];
    children.forEach((c, j) => {
      const view: RecoveryStep = {
        ...base,
        id: idOf(c.key),
        title: c.title,
        step_number: `${number}.${j + 1}`,
        depth: parent.depth + 2,
        child_count: 0,
        expanded: false,
      };
      if (c.callout) {
        view.vm_callout_position_spec = { vm_id: vm.vmId, pre_power_on: c.pre!, index: c.index! };
        rows.push({ view, vmCallout: c.callout });
      } else rows.push({ view });
    });
  });
  return rows;
}

/** Step ids named by an `expanded_step_ids` query value: "12,40" or the spec's example form "['12','40']". */
export function parseExpandedIds(value: unknown): number[] {
  if (typeof value !== "string") return [];
  return (value.match(/\d+/g) ?? []).map(Number).filter((n) => Number.isSafeInteger(n));
}
