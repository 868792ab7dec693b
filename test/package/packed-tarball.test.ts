// The package as a user installs it: packed from the checkout, installed from the tarball into fresh
// projects of both Pulumi TypeScript templates, compiled there with their own tsc, and one program run
// through the real pulumi CLI from the installed copy.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { PASSPHRASE, requireCli, simulatorConfig } from "../cli/harness.js";
import {
  danglingReferences,
  foreignTypeImports,
  packCheckout,
  PROJECT_DIR,
  runAsync,
  STACK_DRIVER,
  TEMPLATES,
  writeUserProject,
  type Packed,
} from "./helpers.js";

/** What users install with the package: the engine SDK, the HTTP client (and its in-flight cap), the validator. */
const RUNTIME_DEPENDENCIES = ["@pulumi/pulumi", "got", "zod"];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What may ship: the compiled provider, its declarations and the documents. */
const SHIPPABLE = /^(README\.md|LICENSE|CHANGELOG\.md|package\.json|dist\/provider\/.+\.(js|d\.ts))$/;

describe("package: the packed tarball in user projects", function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let packed: Packed;
  let sim: Simulator | undefined;
  const projects: Record<keyof typeof TEMPLATES, string> = { current: "", old: "" };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-package-"));
    projects.current = path.join(dir, "user-current");
    projects.old = path.join(dir, "user-old");
    packed = packCheckout(dir);
  });
  after(async () => {
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("ships compiled JavaScript, declarations, README, LICENSE and CHANGELOG, and nothing it does not hold", () => {
    console.log(`      ${path.basename(packed.file)}: ${packed.size} bytes, ${packed.files.length} files`);
    expect(packed.files).to.include.members([
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "package.json",
      "dist/provider/index.js",
      "dist/provider/index.d.ts",
    ]);
    expect(packed.files.filter((f) => !SHIPPABLE.test(f))).to.deep.equal([]);
    const m = packed.manifest;
    const targets = [
      m.main,
      m.types,
      ...Object.values(m.exports ?? {}).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e))),
    ]
      .filter((t): t is string => t !== undefined)
      .map((t) => t.replace(/^\.\//, ""));
    // A pattern target (`*`) must match shipped files.
    const shipped = (t: string) =>
      t.includes("*")
        ? packed.files.some((f) => new RegExp(`^${t.split("*").map(escapeRegExp).join("[^/]+")}$`).test(f))
        : packed.files.includes(t);
    expect(targets.filter((t) => !shipped(t))).to.deep.equal([]);
    expect(danglingReferences(packed), "references to files the tarball does not hold").to.deep.equal([]);
    // A user's compiler loads the declarations reachable from `types`: none may pull in got's or zod's.
    expect(foreignTypeImports(packed), "imports of other packages' types").to.deep.equal([]);
    // The provider's own needs only: no simulator server stack (fastify, selfsigned) reaches users.
    expect(Object.keys(m.dependencies ?? {}).sort()).to.deep.equal(RUNTIME_DEPENDENCIES);
  });

  it("installs into projects of both Pulumi TypeScript templates, which compile it with their own tsc", () => {
    const program = fs.readFileSync(
      path.join(PROJECT_DIR, "examples", "recovery-step-callout", "index.ts"),
      "utf8",
    );
    writeUserProject(projects.current, "current", packed.file, program);
    writeUserProject(projects.old, "old", packed.file, program);
    // Same package.json in both templates, so one install serves both (the old project links to it).
    const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: projects.current,
      encoding: "utf8",
    });
    expect(install.status, `npm install failed:\n${install.stdout}\n${install.stderr}`).to.equal(0);
    expect(install.stderr, "npm install warnings").to.not.match(/EBADENGINE/);
    fs.symlinkSync(
      path.join(projects.current, "node_modules"),
      path.join(projects.old, "node_modules"),
      "dir",
    );
    const installed = fs.readdirSync(path.join(projects.current, "node_modules"));
    expect(installed).to.not.include.members(["fastify", "selfsigned"]);
    for (const [template, project] of Object.entries(projects)) {
      const tsc = spawnSync(
        path.join(projects.current, "node_modules", ".bin", "tsc"),
        ["-p", "tsconfig.json"],
        {
          cwd: project,
          encoding: "utf8",
        },
      );
      expect(tsc.status, `tsc in the ${template} template project:\n${tsc.stdout}${tsc.stderr}`).to.equal(0);
      expect(fs.existsSync(path.join(project, "bin", "index.js"))).to.equal(true);
    }
  });

  it("runs the compiled program from the installed package through the real pulumi CLI", async function () {
    if (!fs.existsSync(path.join(projects.current, "bin", "index.js")))
      throw new Error("no compiled program: the install and compile test above failed");
    const cliDir = requireCli(this);
    sim = await startSimulator();
    const project = projects.current;
    fs.writeFileSync(path.join(project, "run-stack.js"), STACK_DRIVER);
    const state = path.join(dir, "state");
    fs.mkdirSync(state);
    const PATH = [
      cliDir,
      path.join(project, "node_modules", "@pulumi", "pulumi"),
      process.env.PATH ?? "",
    ].join(path.delimiter);
    const cliEnv = {
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: path.join(dir, "pulumi-home"),
      PATH,
    };
    const { config, secrets } = simulatorConfig(sim);
    const stackConfig = Object.fromEntries(
      Object.entries(config).map(([k, value]) => [k, { value, secret: secrets.includes(k) }]),
    );
    const drive = async (command: "up" | "destroy") => {
      const out = await runAsync("node", ["run-stack.js", command], project, {
        ...process.env,
        PATH,
        SRM_TEST_CLI_ROOT: path.basename(cliDir) === "bin" ? path.dirname(cliDir) : "",
        SRM_TEST_ENV: JSON.stringify(cliEnv),
        SRM_TEST_CONFIG: JSON.stringify(stackConfig),
      });
      return JSON.parse(out.trim().split("\n").pop()!) as {
        result: string;
        changes: Record<string, number>;
        outputs: Record<string, unknown>;
        stored: string[];
      };
    };
    const planId = sim.ids.plans["Tier1-Apps"]!;
    const up = await drive("up");
    expect(up.result).to.equal("succeeded");
    expect(up.changes).to.deep.include({ create: 2 });
    // Installed by npm, the provider is stored as a require of its kind's shim module (in inputs and outputs).
    expect(up.stored).to.have.length(2);
    for (const text of up.stored) {
      expect(text).to.match(/require\("pulumi-srm\/dist\/provider\/dynamic\/shims\/[a-z-]+\.js"\)/);
      expect(text.length, text).to.be.lessThan(400);
    }
    const stepId = up.outputs.stepId as number;
    expect(sim.model.stepsOf(planId, "test").map((s) => s.id)).to.include(stepId);
    const destroy = await drive("destroy");
    expect(destroy.result).to.equal("succeeded");
    expect(sim.model.stepsOf(planId, "test").map((s) => s.id)).to.not.include(stepId);
    const stateText = fs
      .readdirSync(state, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
      .join("\n");
    for (const k of secrets) expect(stateText, `${k} in the state`).to.not.include(config[k]);
  });
});
