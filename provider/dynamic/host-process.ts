// What this process is: Pulumi's dynamic-provider host runs the provider methods; a program (or a test) that
// loads the package only declares resources. Process-wide settings are made in the host alone.
import * as path from "node:path";

/** True when this process is Pulumi's dynamic-provider host (not a program or a test calling the registry). */
export function isProviderHost(): boolean {
  const main = require.main?.filename;
  return main !== undefined && main.split(path.sep).join("/").endsWith("cmd/dynamic-provider/index.js");
}
