// The stack the reliability suite drives, the seeded fault profile it runs under, and the checks it ends
// with: duplicates, orphans and lost resources counted from the simulator's model against the stack's state.
import { Pairing, RecoveryStepCallout } from "pulumi-srm";
import type { Simulator } from "pulumi-srm-simulator";
import type { CliStack } from "../cli/harness.js";

/** Message of the task failures the profile injects, to count them afterwards. */
export const INJECTED_TASK_FAILURE = "Injected task failure (reliability suite)";

/** Anchors the stack places callouts at; both run in tests and failovers, so both show in the recovery view. */
const ANCHORS = ["BEFORE_RECOVER_PRIORITY_1_VMS", "AT_END"] as const;
/** The step list every custom step of these anchors appears in. */
const VIEW = "recovery" as const;

/** One declared callout. */
export interface DeclaredCallout {
  name: string;
  planId: string;
  anchor: (typeof ANCHORS)[number];
  index: number;
}

/** The callouts of a stack of `perList` callouts at each of two anchors of every plan. */
export function declaredCallouts(sim: Simulator, perList: number): DeclaredCallout[] {
  const out: DeclaredCallout[] = [];
  for (const planId of Object.values(sim.ids.plans)) {
    for (const anchor of ANCHORS) {
      for (let i = 0; i < perList; i++)
        out.push({ name: `rel-${planId}-${anchor}-${i}`, planId, anchor, index: i });
    }
  }
  return out;
}

/** The prompt text of a callout in a revision of the program: revision 1 updates every eighth callout. */
export function contentOf(c: DeclaredCallout, revision: number): string {
  const index = Number(c.name.slice(c.name.lastIndexOf("-") + 1));
  return `Confirm ${c.name} (revision ${index % 8 === 0 ? revision : 0})`;
}

/** The program: every declared callout (prompts, at the start of their list) and one pairing. */
export function stackProgram(
  sim: Simulator,
  callouts: DeclaredCallout[],
  revision: () => number = () => 0,
  adopt: () => boolean = () => false,
) {
  const spare = sim.inventory.remoteSites.find((s) => s.vcGuid === sim.ids.spareRemoteVcGuid);
  if (!spare) throw new Error("the simulator has no spare site");
  return () => {
    for (const c of callouts) {
      new RecoveryStepCallout(c.name, {
        pairingId: sim.ids.pairingId,
        planId: c.planId,
        anchor: c.anchor,
        index: c.index,
        name: c.name,
        content: contentOf(c, revision()),
        calloutType: "PROMPT",
        adopt: adopt(),
      });
    }
    new Pairing("site-c", {
      remoteVcGuid: spare.vcGuid,
      pscUrl: spare.pscUrl,
      pscThumbprint: spare.pscThumbprint || undefined,
      pscUsername: spare.username,
      pscPassword: spare.password,
    });
    return {};
  };
}

/** What SRM holds that a stack could own: callouts by plan and view, and pairings. */
export function inventoryOf(sim: Simulator): string[] {
  const out: string[] = [];
  for (const planId of Object.values(sim.ids.plans)) {
    for (const viewMode of ["test", "recovery", "cleanup", "reprotect"] as const) {
      for (const s of sim.model.stepsOf(planId, viewMode)) {
        out.push(
          s.callout
            ? `${planId}/${viewMode}/callout ${s.callout.name}`
            : `${planId}/${viewMode}/step ${s.id}`,
        );
      }
    }
  }
  for (const p of sim.model.listPairings()) out.push(`pairing ${p.id}`);
  return out.sort();
}

/** How many callouts the plans hold: each once, though SRM lists one in every view its anchor is in. */
export function calloutCount(sim: Simulator): number {
  return inventoryOf(sim).filter((s) => s.includes(`/${VIEW}/callout `)).length;
}

/** Duplicates, orphans and lost resources of a converged stack. */
export interface Counts {
  duplicates: number;
  orphans: number;
  lost: number;
  details: string[];
}

/** Compares the simulator with the declared callouts and with the stack's state. */
export function countProblems(
  sim: Simulator,
  stack: CliStack,
  callouts: DeclaredCallout[],
  revision = 0,
): Counts {
  const details: string[] = [];
  const state = stack.resources("RecoveryStepCallout");
  const stateSteps = new Set(
    // A custom step is one step of the plan, listed in every view whose workflow has its anchor: its id is enough.
    state.map((r) => `${r.outputs?.planId}/${r.outputs?.stepId}`),
  );
  const declared = new Set(callouts.map((c) => c.name));
  let duplicates = 0;
  let orphans = 0;
  let lost = 0;
  for (const planId of Object.values(sim.ids.plans)) {
    for (const viewMode of [VIEW]) {
      const byName = new Map<string, number>();
      for (const s of sim.model.stepsOf(planId, viewMode)) {
        if (!s.callout) continue;
        byName.set(s.callout.name, (byName.get(s.callout.name) ?? 0) + 1);
        if (!stateSteps.has(`${planId}/${s.id}`)) {
          orphans++;
          details.push(
            `orphan: step ${s.id} "${s.callout.name}" in ${planId}/${viewMode} is in no resource's state`,
          );
        }
      }
      for (const [name, n] of byName) {
        if (n > 1) {
          duplicates += n - 1;
          details.push(`duplicate: "${name}" ${n} times in ${planId}/${viewMode}`);
        }
        if (!declared.has(name)) details.push(`undeclared callout "${name}" in ${planId}/${viewMode}`);
      }
    }
  }
  for (const c of callouts) {
    const r = state.find((x) => x.urn.endsWith(`::${c.name}`));
    const stepId = Number(r?.outputs?.stepId);
    const step = r ? sim.model.findStep(c.planId, VIEW, stepId) : undefined;
    if (!step?.callout) {
      lost++;
      details.push(`lost: "${c.name}" ${r ? `(state says step ${stepId})` : "is not in the state"}`);
    } else if (step.callout.content !== contentOf(c, revision)) {
      details.push(`not converged: "${c.name}" has content "${step.callout.content}"`);
    }
  }
  const pairings = stack.resources("Pairing");
  if (pairings.length !== 1 || !sim.model.pairings.has(String(pairings[0].id))) {
    lost++;
    details.push(`lost: the pairing (state holds ${pairings.length})`);
  }
  const extraPairings = sim.model.listPairings().filter((p) => !p.isLocal && p.id !== sim.ids.pairingId);
  if (extraPairings.length > 1) {
    duplicates += extraPairings.length - 1;
    details.push(`duplicate: ${extraPairings.length} pairings with the spare site`);
  }
  return { duplicates, orphans, lost, details };
}

/** mulberry32: a small seeded generator, so a fault profile is reproduced by its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEPS = "/pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
const STEP = `${STEPS}/{recovery_step_id}`;

/** Faults armed for one run, by kind; the counts are what the seed chose. */
export interface FaultPlan {
  routes: Record<string, { status: number; count: number; retryAfterSeconds?: number }>;
  dropConnections: Record<string, number>;
  dropAnswers: Record<string, number>;
  failTasks: number;
  expireSessions: boolean;
}

/**
 * A mixed profile: refusals with Retry-After (503, 429) on creates, deletes, listings and task polls (single
 * and combined), server errors, dropped connections, answers lost after SRM acted (creates and deletes),
 * failing tasks and expired sessions. `phase` "up" or "destroy" picks the routes that run then.
 */
export function faultPlan(random: () => number, phase: "up" | "destroy"): FaultPlan {
  const n = (max: number) => 1 + Math.floor(random() * max);
  const mutation = phase === "up" ? `POST ${STEPS}` : `DELETE ${STEP}`;
  return {
    routes: {
      [mutation]: {
        status: random() < 0.5 ? 503 : 429,
        count: n(4),
        retryAfterSeconds: random() < 0.3 ? 1 : 0,
      },
      "GET /tasks/{taskId}": { status: 503, count: n(6), retryAfterSeconds: 0 },
      [`GET ${STEPS}`]: { status: random() < 0.5 ? 502 : 504, count: n(3) },
      ...(phase === "up"
        ? {
            "POST /pairings": { status: 500, count: 1 },
            [`POST ${STEP}/callout-data/actions/edit`]: { status: 503, count: n(3), retryAfterSeconds: 0 },
          }
        : {}),
      // Polls of several plans' tasks combined in one filtered listing of SRM's recent tasks.
      "GET /tasks": { status: 503, count: n(3), retryAfterSeconds: 0 },
    },
    dropConnections: {
      [`GET ${STEPS}`]: n(3),
      "GET /tasks/{taskId}": n(3),
      "GET /tasks": n(2),
      [mutation]: n(2),
      ...(phase === "up" ? { [`POST ${STEP}/callout-data/actions/edit`]: n(2) } : {}),
    },
    // A create whose answer is lost after SRM acted is left out: see LOST_CREATE_ANSWERS.
    dropAnswers:
      phase === "destroy"
        ? { [mutation]: n(3), "GET /tasks": n(2) }
        : { "GET /tasks/{taskId}": n(3), "GET /tasks": n(2) },
    failTasks: n(3),
    expireSessions: true,
  };
}

/**
 * Why answers lost after a callout create are not in the profile: the next `up` creates the callout again
 * (RecoveryStepCallout adopts an identical callout only at the declared position, and concurrent inserts
 * at position 0 move it), so the stack ends with a duplicate and an orphan. The suite's test for it stays
 * pending, printing this, until creates find the callout they made wherever it moved.
 */
export const LOST_CREATE_ANSWERS =
  "a callout create whose answer is lost after SRM acted is created again by the next up (duplicate + orphan)";

/** Arms a plan on the simulator. */
export function arm(sim: Simulator, plan: FaultPlan): void {
  sim.faults.reset();
  sim.faults.set({
    routes: Object.fromEntries(Object.entries(plan.routes).map(([k, v]) => [k, { ...v }])),
    dropConnections: { ...plan.dropConnections },
    dropAnswers: { ...plan.dropAnswers },
  });
  sim.faults.failNextTasks(plan.failTasks, INJECTED_TASK_FAILURE);
  if (plan.expireSessions) sim.faults.expireAllSessions();
}

/** How many of an armed plan's faults were injected (counters consumed), then disarms it. */
export function disarm(sim: Simulator, plan: FaultPlan, tasksBefore: Set<string>): number {
  const cur = sim.faults.current;
  let injected = plan.expireSessions ? 1 : 0;
  for (const [k, v] of Object.entries(plan.routes)) injected += v.count - (cur.routes[k]?.count ?? 0);
  for (const [k, v] of Object.entries(plan.dropConnections)) injected += v - (cur.dropConnections[k] ?? 0);
  for (const [k, v] of Object.entries(plan.dropAnswers)) injected += v - (cur.dropAnswers[k] ?? 0);
  for (const t of sim.model.tasks.values()) {
    if (!tasksBefore.has(t.id) && t.status === "ERROR" && t.error?.message === INJECTED_TASK_FAILURE)
      injected++;
  }
  sim.faults.reset();
  return injected;
}
