// The built package laid out as npm installs it into a user's project: a real folder
// `node_modules/pulumi-srm` (not the checkout's `file:.` link, whose real path is outside node_modules), so
// Pulumi's serializer stores the provider as users' state holds it. Its dependencies are the checkout's own
// (linked beside it), so a program loading the copy shares the engine SDK of the process that runs it.
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file runs from dist/test/package). */
const REPO = path.resolve(__dirname, "..", "..", "..");

/**
 * Installs a copy of the built package (package.json and dist/provider) into `<dir>/node_modules/pulumi-srm`,
 * linking every other entry of the checkout's node_modules beside it. Returns the copy's folder; the caller
 * removes `dir`.
 */
export function installCopy(dir: string): string {
  const modules = path.join(dir, "node_modules");
  const pkg = path.join(modules, "pulumi-srm");
  fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
  fs.copyFileSync(path.join(REPO, "package.json"), path.join(pkg, "package.json"));
  fs.cpSync(path.join(REPO, "dist", "provider"), path.join(pkg, "dist", "provider"), {
    recursive: true,
    filter: (src) => !src.endsWith(".map"),
  });
  for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
    if (entry === "pulumi-srm") continue;
    fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
  }
  return pkg;
}
