// The single callouts of one program that are still to be placed, per plan and anchor. A callout's index is
// its place among the custom steps at its anchor, so an index past today's count there is right only while
// siblings with a lower index (RecoveryStepCallouts of the same program, plan and anchor) are still to be
// created; else it names a place that does not exist and is refused before any SRM task starts.
//
// The provider learns of siblings two ways. All resources of a run share one provider host process, and Check
// sees each resource (with its name) before its create, so Check records here what each create is then
// measured against. But the engine checks a resource only when a worker is free for it (under `--parallel 1`
// not before the running create ends), so the program also tells each callout the names of its siblings
// (see {@link siblingsDeclaredBefore}), which the create counts while they are neither placed nor known to
// exist already.
import * as pulumi from "@pulumi/pulumi";

/** Where a callout goes: the site it acts at, its pairing, plan and anchor. */
export interface CalloutPlace {
  readonly site: string | undefined;
  readonly pairingId: string;
  readonly planId: string;
  readonly anchor: string;
}

/** What this host process knows of the callouts at one place. */
interface PlaceRecord {
  /** Checked, not placed yet: resource name -> declared index. */
  toPlace: Map<string, number>;
  /** Checked at the place they already hold (their steps exist). */
  existing: Set<string>;
  /** Created or moved here, or failed to be, in this process. */
  settled: Set<string>;
  /** Bumped on every declaration, so a create that waits for siblings sees them arrive. */
  version: number;
  /**
   * The program's siblings with a lower index, per callout, as its Check received them: kept here rather than in
   * the stored inputs, where the lists of one plan's callouts would grow with the square of their number.
   */
  declaredBefore: Map<string, readonly string[]>;
}
const places = new Map<string, PlaceRecord>();

const keyOf = (p: CalloutPlace) => `${p.site ?? ""}|${p.pairingId}|${p.planId}|${p.anchor}`;

function recordOf(place: CalloutPlace): PlaceRecord {
  const key = keyOf(place);
  let r = places.get(key);
  if (!r) {
    r = {
      toPlace: new Map(),
      existing: new Set(),
      settled: new Set(),
      version: 0,
      declaredBefore: new Map(),
    };
    places.set(key, r);
  }
  return r;
}

/**
 * Records what Check saw: the callout `name` at `place` with `index`, still to be placed there when `toBePlaced`
 * (a new callout, or one moving in from another place), else already holding its step there; and the names of
 * its program's siblings with a lower index (see {@link siblingsDeclaredBefore}), when the program gave them.
 */
export function declareCallout(
  place: CalloutPlace,
  name: string,
  index: number,
  toBePlaced: boolean,
  declaredBefore?: readonly string[],
): void {
  const r = recordOf(place);
  if (declaredBefore) r.declaredBefore.set(name, declaredBefore);
  if (toBePlaced) {
    r.toPlace.set(name, index);
    r.existing.delete(name);
  } else {
    r.toPlace.delete(name);
    r.existing.add(name);
  }
  r.settled.delete(name);
  r.version++;
}

/** The callout's create or move ended (placed, or failed): it is no longer waited for. */
export function calloutSettled(place: CalloutPlace, name: string): void {
  const r = recordOf(place);
  r.toPlace.delete(name);
  r.settled.add(name);
}

/**
 * How many other callouts with a lower index than `index` are still to be placed at `place`: those Check saw,
 * and the program's siblings with a lower index (`declared`, else the ones Check recorded for `name`) that are
 * neither placed nor known to exist there.
 */
export function siblingsBefore(
  place: CalloutPlace,
  name: string,
  index: number,
  declared?: readonly string[],
): number {
  const r = recordOf(place);
  declared ??= r.declaredBefore.get(name) ?? [];
  const pending = new Set([...r.toPlace].filter(([, i]) => i < index).map(([n]) => n));
  for (const n of declared) if (!r.existing.has(n) && !r.settled.has(n)) pending.add(n);
  pending.delete(name);
  return pending.size;
}

/** How long a create waits for more siblings to be checked before it calls its index past the end. */
export const SIBLING_WAIT_MS = 1500;

/**
 * Waits until another callout is checked at `place` (true) or `ms` pass without one (false): siblings whose
 * inputs resolve later reach Check later.
 */
export async function siblingDeclared(place: CalloutPlace, ms = SIBLING_WAIT_MS): Promise<boolean> {
  const r = recordOf(place);
  const seen = r.version;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((res) => setTimeout(res, 50));
    if (r.version !== seen) return true;
  }
  return false;
}

/** A callout index past the end of its anchor, found before any SRM task started. */
export class IndexPastEnd extends Error {
  constructor(
    readonly place: CalloutPlace,
    readonly index: number,
    readonly stepsThere: number,
    readonly siblings: number,
  ) {
    const max = stepsThere + siblings;
    super(
      `index ${index} is past the end of anchor ${place.anchor} in plan ${place.planId}: the anchor holds ` +
        `${stepsThere} custom step${stepsThere === 1 ? "" : "s"} now` +
        (siblings > 0
          ? ` and ${siblings} callout${siblings === 1 ? "" : "s"} of this program with a lower index ` +
            `${siblings === 1 ? "is" : "are"} still to be created there`
          : "") +
        `, so the valid range is 0..${max}. Nothing was changed in SRM. Set index to ${max} or lower (the ` +
        `index is the callout's place among the custom steps at the anchor), or declare the callouts that ` +
        `come before it at the same anchor.`,
    );
  }
}

// ---- program side (runs in the Pulumi program, where the resources are declared) ----

/** A RecoveryStepCallout as its program declared it: name, and where and at which index (once known). */
interface Declared {
  name: string;
  place: Promise<string | undefined>;
  index: Promise<number | undefined>;
}
/**
 * The callouts declared per run of the program, keyed by the run's resource monitor connection: one process
 * may run a program several times (the Automation API's inline programs), and each run stands alone.
 */
const declaredPerRun = new WeakMap<object, Declared[]>();
const noMonitor = {};
function declaredInThisRun(): Declared[] {
  const run = (pulumi.runtime.getMonitor() as object | undefined) ?? noMonitor;
  let list = declaredPerRun.get(run);
  if (!list) declaredPerRun.set(run, (list = []));
  return list;
}

/** How long a callout waits for a sibling's place to be known before leaving that sibling out. */
const PROGRAM_WAIT_MS = 2000;

/**
 * The value of `v` once known, or undefined after `ms` (unknown, failed, or waiting on something that waits for
 * this callout). Taken outside the Output, so a callout never depends on its siblings' resources.
 */
function valueWithin<T>(v: pulumi.Input<T> | undefined, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    void pulumi.output(v).apply((x) => {
      clearTimeout(timer);
      resolve(x as T);
      return x;
    });
  });
}

/**
 * Records a callout of the program and returns the names of its siblings (the program's other callouts at the
 * same site, pairing, plan and anchor) with a lower index, for its create to count. Undefined in a preview,
 * where nothing is created.
 */
export function siblingsDeclaredBefore(
  name: string,
  place: pulumi.Input<string>[],
  index: pulumi.Input<number> | undefined,
): pulumi.Output<string[] | undefined> {
  if (pulumi.runtime.isDryRun()) return pulumi.output(undefined);
  const key = pulumi.all(place).apply((p) => p.map((x) => x ?? "").join("|"));
  const me = {
    name,
    place: valueWithin(key, PROGRAM_WAIT_MS),
    index: valueWithin(index ?? 0, PROGRAM_WAIT_MS),
  };
  const declared = declaredInThisRun();
  declared.push(me);
  return pulumi.all([key, index ?? 0]).apply(async ([p, i]) => {
    // Siblings declared right after this one (the rest of the program's body) are in the list by now.
    await new Promise((res) => setImmediate(res));
    const others = declared.filter((d) => d !== me && d.name !== name);
    const lower = await Promise.all(
      others.map(async (d) => ((await d.place) === p && ((await d.index) ?? 0) < i ? d.name : undefined)),
    );
    return lower.filter((n): n is string => n !== undefined);
  });
}
