// `npm run demo` with the real Pulumi CLI: the whole run (preview, up, edited preview, up, refresh, destroy),
// and a Ctrl-C in the middle that leaves nothing behind, in the checkout or in the temp folder, so the next
// run works.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { requireCli } from "../cli/harness.js";
import { PROJECT_DIR } from "../host/helpers.js";
import { expect } from "../resources/helpers.js";

interface DemoRun {
  code: number | null;
  output: string;
}

/** Runs the demo in a process group of its own; `interruptWhen` sends SIGINT to the group, as Ctrl-C does. */
function runDemo(interruptWhen?: (output: string) => boolean): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "dist/examples/demo/run.js")], {
      cwd: PROJECT_DIR,
      env: { ...process.env, SRM_DEMO_ENGINE: "cli" },
      detached: true,
    });
    let output = "";
    let interrupted = false;
    const onData = (d: Buffer) => {
      output += d.toString();
      if (interruptWhen && !interrupted && interruptWhen(output)) {
        interrupted = true;
        process.kill(-child.pid!, "SIGINT");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

/** What git sees changed or added in the checkout (ignored files included). */
function checkoutChanges(): string {
  return execFileSync("git", ["status", "--porcelain", "--ignored"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\n")
    .filter(
      (l) =>
        l !== "" && !/ (node_modules|dist|simulator\/dist)\//.test(l) && !/ (node_modules|dist)\/?$/.test(l),
    )
    .join("\n");
}

describe("program: the demo with the real pulumi CLI", function () {
  this.timeout(10 * 60_000);

  before(function () {
    requireCli(this);
  });

  it("runs preview, up, the edited preview, up, refresh and destroy, and exits 0", async () => {
    const before = checkoutChanges();
    const { code, output } = await runDemo();
    expect(output).to.include("Using the pulumi CLI");
    expect(output).to.include("Demo finished");
    expect(code, output).to.equal(0);
    expect(checkoutChanges()).to.equal(before);
  });

  it("Ctrl-C during up leaves nothing behind, and the next run succeeds", async () => {
    const before = checkoutChanges();
    const interrupted = await runDemo((out) => out.includes("2. pulumi up"));
    expect(interrupted.code, interrupted.output).to.not.equal(0);
    const dir = /with a file backend in (\S+)\./.exec(interrupted.output)?.[1];
    expect(dir, "the demo names its temp folder").to.be.a("string");
    expect(fs.existsSync(dir!), `${dir} is removed`).to.equal(false);
    expect(checkoutChanges()).to.equal(before);
    const next = await runDemo();
    expect(next.output).to.include("Demo finished");
    expect(next.code, next.output).to.equal(0);
  });
});
