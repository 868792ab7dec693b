// The demo with the real Pulumi CLI (file backend in a temp dir), where the CLI is installed. The CLI binary
// is not on every machine; without it this test says so and is skipped, and the demo test in this folder
// drives the same program through the real dynamic-provider host instead.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../host/helpers.js";
import { expect } from "../resources/helpers.js";

function pulumiOnPath(): boolean {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir !== "" && fs.existsSync(path.join(dir, "pulumi")));
}

function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, "dist/examples/demo/run.js")], {
      cwd: PROJECT_DIR,
      env: { ...process.env, SRM_DEMO_ENGINE: "cli" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("program: the demo with the real pulumi CLI", function () {
  this.timeout(10 * 60_000);

  it("runs up and destroy against the simulator with a file backend", async function () {
    if (!pulumiOnPath()) {
      console.log(
        "      skipped: the pulumi CLI is not on PATH (the host-level demo test covers the same program)",
      );
      this.skip();
    }
    const { code, output } = await runDemo();
    expect(output).to.include("Using the pulumi CLI");
    expect(output).to.include("Demo finished");
    expect(code).to.equal(0);
  });
});
