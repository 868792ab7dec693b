// Which resources manage the custom steps of a plan. A RecoveryPlanCallouts owns every custom step of its plan,
// so it and RecoveryStepCallout resources never share a plan: each refuses when the other kind manages steps
// there, whichever runs first. Known from this process (resources that changed the plan in this run) and from the
// create journal (resources of any run on this machine whose steps still exist).
import { recordsIn } from "../dynamic/create-journal.js";

/** The kinds that manage plan-level custom steps. */
export type StepOwnerKind = "RecoveryStepCallout" | "RecoveryPlanCallouts";

const inProcess = new Map<string, Map<string, StepOwnerKind>>();

/** The journal scope (and in-process key) of a plan's steps on one server. */
export function planScope(url: string, pairingId: string, planId: string): string {
  return `${url}|${pairingId}|${planId}`;
}

/** Notes that resource `name` of `kind` manages steps of the plan (called before it changes them). */
export function noteOwner(scope: string, kind: StepOwnerKind, name: string): void {
  let owners = inProcess.get(scope);
  if (!owners) inProcess.set(scope, (owners = new Map()));
  owners.set(`${kind}\u0000${name}`, kind);
}

/** Forgets a resource (it deleted its steps). */
export function forgetOwner(scope: string, kind: StepOwnerKind, name: string): void {
  inProcess.get(scope)?.delete(`${kind}\u0000${name}`);
}

/** Labels of the resources of `kind` that manage steps of the plan, e.g. `RecoveryStepCallout "a" (stack p/s)`. */
export function ownersOf(scope: string, kind: StepOwnerKind): string[] {
  const out = new Set<string>();
  for (const [k, v] of inProcess.get(scope) ?? [])
    if (v === kind) out.add(`${kind} "${k.split("\u0000")[1]}"`);
  for (const r of recordsIn(scope, kind)) {
    // Keys are project/stack/srm:Type/name.
    const m = /^(.*)\/srm:([A-Za-z]+)\/(.*)$/.exec(r.key);
    if (!m || m[2] !== kind || (r.created.length === 0 && !r.pending)) continue;
    const label = `${kind} "${m[3]}"`;
    if (![...out].some((o) => o === label)) out.add(`${label} (stack ${m[1]})`);
  }
  return [...out];
}
