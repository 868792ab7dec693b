// A process-wide check run before every request that changes something in SRM or on the appliance. The
// dynamic-provider host installs one that refuses once the Pulumi engine that sent the work is gone: the host
// keeps running what it had queued, and an orphaned host must not go on changing a DR site nobody watches.

/** Throws when no new mutation may start; `what` names the mutation for the message. */
export type MutationGuard = (what: string) => Promise<void>;

let guard: MutationGuard | undefined;

/** Installs (or, with undefined, removes) the guard every client mutation awaits first. */
export function setMutationGuard(g: MutationGuard | undefined): void {
  guard = g;
}

/** Runs the installed guard, if any; throws what it throws. */
export async function guardMutation(what: string): Promise<void> {
  if (guard) await guard(what);
}
