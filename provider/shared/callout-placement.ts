// Turning an anchor and index into SRM's flat `position`, and reading a step's anchor and index back. Shared by
// RecoveryStepCallout and RecoveryPlanCallouts; always called under the plan lock, so the listing it reads is
// the list the create acts on.
import {
  ANCHOR_PLACEMENT,
  type Callout,
  type PlaceableAnchor,
  type RecoveryStep,
  type ViewMode,
} from "../api/index.js";
import type { SrmClient } from "../client/index.js";

/** The fields that make two callouts the same. */
export interface CalloutFields {
  name: string;
  content: string;
  calloutType: string;
  timeoutSeconds: number;
}

/** Whether a server callout has exactly these fields. */
export function sameFields(
  c: Pick<Callout, "name" | "content" | "callout_type" | "timeout_seconds">,
  f: CalloutFields,
): boolean {
  return (
    c.name === f.name &&
    c.content === f.content &&
    c.callout_type === f.calloutType &&
    c.timeout_seconds === f.timeoutSeconds
  );
}

/** The view mode whose step list shows an anchor (and where callouts at it are created). */
export function viewOf(anchor: PlaceableAnchor): ViewMode {
  return ANCHOR_PLACEMENT[anchor].view;
}

/** The custom steps at an anchor in a listing, in their order there. */
export function stepsAt(steps: readonly RecoveryStep[], anchor: string): RecoveryStep[] {
  return steps
    .filter((s) => s.plan_callout_position_spec?.position_spec_position === anchor)
    .sort(
      (a, b) =>
        a.plan_callout_position_spec!.position_spec_index - b.plan_callout_position_spec!.position_spec_index,
    );
}

/**
 * The flat position at which a new callout becomes the `slot`-th custom step at `anchor`: the position of
 * the callout now at that index, or the position of the built-in step the anchor precedes (the end of the
 * list for AT_END). Throws when the listing shows no place for the anchor.
 */
export function flatPosition(
  steps: readonly RecoveryStep[],
  anchor: PlaceableAnchor,
  slot: number,
  planLabel: string,
): number {
  const at = stepsAt(steps, anchor);
  if (slot < at.length) return steps.indexOf(at[slot]);
  if (at.length > 0) return steps.indexOf(at[at.length - 1]) + 1;
  const { view, before } = ANCHOR_PLACEMENT[anchor];
  if (before === null) return steps.length;
  const index = steps.findIndex((s) => !s.plan_callout_position_spec && s.title === before);
  if (index < 0) {
    throw new Error(
      `the ${view} steps of ${planLabel} have no "${before}" step, so anchor ${anchor} has no place in this ` +
        `plan (SRM lists that step only for plans that use it). Choose another anchor.`,
    );
  }
  return index;
}

/**
 * Where a new callout with order key `index` goes among the custom steps already at the anchor: after every
 * one whose key is lower. A step's key is the index its resource declared, when a resource of this process
 * declared one, else its current index there; so the plan ends in the declared order whatever order the
 * engine issues the creates in.
 */
export function slotFor(
  at: readonly RecoveryStep[],
  index: number,
  keyOf: (stepId: number) => number | undefined,
): number {
  let slot = 0;
  at.forEach((s, current) => {
    if ((keyOf(s.id) ?? current) < index) slot = Math.max(slot, current + 1);
  });
  return slot;
}

/** Lists a plan's steps in a view and returns the callout data of one step, or undefined when absent. */
export async function findCallout(
  client: SrmClient,
  p: { pairingId: string; planId: string; view: ViewMode },
  steps: readonly RecoveryStep[],
  stepId: number,
): Promise<Callout | undefined> {
  if (!steps.some((s) => s.id === stepId)) return undefined;
  return client.getCallout(p.pairingId, p.planId, p.view, stepId);
}

/**
 * The list SRM holds after inserting a custom step at flat `position`, where it becomes the `index`-th step at
 * `anchor` (as {@link flatPosition} placed it): the later steps at that anchor move one index down. Fields of the
 * new step that only a listing tells (step number, status) take their values of an idle plan.
 */
export function withInsertedStep(
  steps: readonly RecoveryStep[],
  position: number,
  step: { id: number; title: string; anchor: string; index: number },
): RecoveryStep[] {
  const next = steps.map((s) => {
    const spec = s.plan_callout_position_spec;
    if (!spec || spec.position_spec_position !== step.anchor || spec.position_spec_index < step.index)
      return s;
    return {
      ...s,
      plan_callout_position_spec: { ...spec, position_spec_index: spec.position_spec_index + 1 },
    };
  });
  next.splice(position, 0, {
    id: step.id,
    title: step.title,
    step_number: String(position + 1),
    child_count: 0,
    depth: 0,
    progress: 0,
    status: "INACTIVE",
    plan_callout_position_spec: {
      position_spec_position: step.anchor as NonNullable<
        RecoveryStep["plan_callout_position_spec"]
      >["position_spec_position"],
      position_spec_index: step.index,
    },
  });
  return next;
}

/** Whether two lists hold the same steps in the same order, each custom step at the same anchor and index. */
export function sameLayout(a: readonly RecoveryStep[], b: readonly RecoveryStep[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((s, k) => {
    const t = b[k]!;
    const p = s.plan_callout_position_spec;
    const q = t.plan_callout_position_spec;
    return (
      s.id === t.id &&
      (p === undefined || p === null
        ? q === undefined || q === null
        : !!q &&
          p.position_spec_position === q.position_spec_position &&
          p.position_spec_index === q.position_spec_index)
    );
  });
}

/**
 * Whether step `stepId` sits at `anchor` in the declared order: after every step at the anchor whose declared
 * index (`declaredIndexOf`, for steps this process placed) is lower, before every one whose declared index is
 * higher. Undefined when the listing does not hold the step.
 */
export function inDeclaredOrder(
  steps: readonly RecoveryStep[],
  stepId: number,
  anchor: string,
  index: number,
  declaredIndexOf: (stepId: number) => number | undefined,
): boolean | undefined {
  const step = steps.find((s) => s.id === stepId);
  if (!step) return undefined;
  if (step.plan_callout_position_spec?.position_spec_position !== anchor) return false;
  const at = stepsAt(steps, anchor);
  const mine = at.indexOf(step);
  return at.every((s, k) => {
    const declared = s.id === stepId ? undefined : declaredIndexOf(s.id);
    if (declared === undefined) return true;
    return declared < index ? k < mine : declared > index ? k > mine : true;
  });
}
