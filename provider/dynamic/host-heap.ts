// The provider host of a large stack holds little live data (about 40 MB, most of it the Pulumi SDK's own code
// and source), but every create passes request and response objects through it that outlive a few young-
// generation collections and land in the old generation. V8 lets the old generation grow to several times its
// live size before a full collection (a dynamic factor of up to 4, and a first limit set before the SDK was
// even loaded), so the host's memory grew with the stack: 276 MiB at 1000 callouts, of which 140 MB was old
// garbage. Fixing the growth at 25 % of the live heap, from a full collection at the host's first call, keeps
// it near its live size: 181 MiB at 1000 callouts, with `up` about as long (more but smaller full
// collections, mostly concurrent; less time paused in collections overall). `bench/` measures it (host_rss_mb).
import * as v8 from "node:v8";
import * as vm from "node:vm";
/** How far the host's old generation may grow past its live size before V8 collects it, in percent. */
export const HEAP_GROWING_PERCENT = 25;

/**
 * Sets V8's heap growing factor to {@link HEAP_GROWING_PERCENT} and runs one full collection, so the next limit is
 * computed with it from the heap as it is now. For the dynamic-provider host alone, once (see
 * `setUpProviderHost`): in a program or a test it would change how that process collects.
 */
export function keepHostHeapSmall(): void {
  try {
    // V8 reads this flag whenever it sets the old generation's next limit, so it takes effect at run time.
    v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    collectGarbage();
  } catch {
    // Only memory is at stake: a runtime that refuses either step keeps V8's own heuristics.
  }
}

/** One full collection, without leaving `gc` exposed to code that did not ask for it. */
function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") {
    exposed();
    return;
  }
  // A context created while the flag is set gets the `gc` function (as jest's leak detector obtains it).
  v8.setFlagsFromString("--expose-gc");
  let gc: unknown;
  try {
    gc = vm.runInNewContext("gc");
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
  if (typeof gc === "function") (gc as () => void)();
}
