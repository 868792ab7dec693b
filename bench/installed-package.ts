// The package as the benchmarks' stacks load it: installed as npm installs it (a copy under node_modules, not
// the checkout's link), so the state they write, and the time and memory it costs, are what users' stacks get.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as srm from "../provider/index.js";
import { installCopy } from "../test/package/installed-copy.js";

/** The installed copy: its project folder (the provider host's), its node_modules, and the loaded package. */
export interface InstalledPackage {
  dir: string;
  nodeModules: string;
  srm: typeof srm;
}

let installed: InstalledPackage | undefined;

/** Installs the built package into a temp folder once per process; the folder goes when the process ends. */
export function installedPackage(): InstalledPackage {
  if (installed) return installed;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-bench-package-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once("exit", remove);
  process.once("SIGINT", () => {
    remove();
    process.kill(process.pid, "SIGINT");
  });
  const pkg = installCopy(dir);
  installed = { dir, nodeModules: path.join(dir, "node_modules"), srm: require(pkg) as typeof srm };
  return installed;
}
