// What this process is: Pulumi's dynamic-provider host runs the provider methods; a program (or a test) that
// loads the package only declares resources. Process-wide settings are made in the host alone.
import * as path from "node:path";
import { watchEngine } from "./engine-liveness.js";
import { keepHostHeapSmall } from "./host-heap.js";

/** True when this process is Pulumi's dynamic-provider host (not a program or a test calling the registry). */
export function isProviderHost(): boolean {
  const main = require.main?.filename;
  return main !== undefined && main.split(path.sep).join("/").endsWith("cmd/dynamic-provider/index.js");
}

let setUp = false;

/**
 * In the dynamic-provider host, once per process: watches the engine (see `watchEngine`) and keeps the heap
 * near its live size (see `keepHostHeapSmall`). Elsewhere (a program, a test) it changes nothing: both act on
 * the whole process, and watching the engine can end it. The registry's `configure` calls it because that is
 * the host's first call into this package.
 */
export function setUpProviderHost(): void {
  if (setUp || !isProviderHost()) return;
  setUp = true;
  watchEngine();
  keepHostHeapSmall();
}
