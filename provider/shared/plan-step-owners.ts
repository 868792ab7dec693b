// Which resources manage the custom steps of a plan. A RecoveryPlanCallouts owns every custom step of its plan,
// so it and RecoveryStepCallout resources never share a plan: each refuses when the other kind manages steps
// there, whichever runs first. Known from this process (resources that changed the plan in this run) and from the
// create journal (resources of any run on this machine whose steps still exist). What this process knows is kept
// per SRM client, not per URL: a server that later answers at the same address (a restarted or another SRM) has
// plans of its own, and what was noted through a client goes when the client is dropped.
import type { SrmClient } from "../client/index.js";
import { recordsIn } from "../dynamic/create-journal.js";

/** The kinds that manage plan-level custom steps. */
export type StepOwnerKind = "RecoveryStepCallout" | "RecoveryPlanCallouts";

const inProcess = new WeakMap<SrmClient, Map<string, Map<string, StepOwnerKind>>>();

/** The owners noted through `client`, by plan scope. */
function notedThrough(client: SrmClient): Map<string, Map<string, StepOwnerKind>> {
  let byScope = inProcess.get(client);
  if (!byScope) inProcess.set(client, (byScope = new Map()));
  return byScope;
}

/** The journal scope (and, within one client, the in-process key) of a plan's steps on one server. */
export function planScope(url: string, pairingId: string, planId: string): string {
  return `${url}|${pairingId}|${planId}`;
}

/** Notes that resource `name` of `kind` manages steps of the plan on `client`'s server (before it changes them). */
export function noteOwner(client: SrmClient, scope: string, kind: StepOwnerKind, name: string): void {
  const byScope = notedThrough(client);
  let owners = byScope.get(scope);
  if (!owners) byScope.set(scope, (owners = new Map()));
  owners.set(`${kind}\u0000${name}`, kind);
}

/** Forgets a resource (it deleted its steps). */
export function forgetOwner(client: SrmClient, scope: string, kind: StepOwnerKind, name: string): void {
  inProcess.get(client)?.get(scope)?.delete(`${kind}\u0000${name}`);
}

/** Labels of the resources of `kind` that manage steps of the plan, e.g. `RecoveryStepCallout "a" (stack p/s)`. */
export function ownersOf(client: SrmClient, scope: string, kind: StepOwnerKind): string[] {
  const out = new Set<string>();
  for (const [k, v] of inProcess.get(client)?.get(scope) ?? [])
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
