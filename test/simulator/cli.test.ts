import { spawn, type ChildProcess } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { connect } from "node:tls";
import { call, expect } from "./https-client.js";

// The command the simulator package installs as its `bin`, as a user of the package runs it.
const PACKAGE_JSON = require.resolve("pulumi-srm-simulator/package.json");
const CLI = join(
  dirname(PACKAGE_JSON),
  (require(PACKAGE_JSON) as { bin: Record<string, string> }).bin["srm-simulator"]!,
);

interface CliInfo {
  url: string;
  applianceUrl: string;
  port: number;
  caCertPath: string;
  thumbprintSha256: string;
  thumbprintSha1: string;
  username: string;
  password: string;
  remoteUsername: string;
  remotePassword: string;
  pairingId: string;
  plans: Record<string, string>;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`simulator exited early with ${code}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

describe("simulator: CLI", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    child = undefined;
  });

  it("prints its connection JSON first, answers a curl-like session, and stops cleanly on SIGTERM", async () => {
    child = spawn(process.execPath, [CLI, "--port", "0", "--task-duration-ms", "20"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const info = JSON.parse(await firstLine(child)) as CliInfo;
    expect(info.url).to.match(/^https:\/\/127\.0\.0\.1:\d+\/api\/rest\/srm\/v2$/);
    expect(info.applianceUrl).to.equal(info.url.replace("/api/rest/srm/v2", ""));
    for (const key of [
      "username",
      "password",
      "remoteUsername",
      "remotePassword",
      "pairingId",
      "thumbprintSha1",
    ] as const) {
      expect(info[key]).to.be.a("string").and.not.equal("");
    }
    const ca = readFileSync(info.caCertPath, "utf8");

    // The thumbprint it prints is the one its certificate has on the wire.
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: info.port, ca, servername: "localhost" }, () => {
        resolve(socket.getPeerCertificate().raw);
        socket.end();
      });
      socket.on("error", reject);
    });
    expect(new X509Certificate(raw).fingerprint256.toUpperCase()).to.equal(info.thumbprintSha256);

    expect((await call(ca, "GET", `${info.url}/pairings`)).status).to.equal(401);
    const login = await call(ca, "POST", `${info.url}/session`, {
      basic: { username: info.username, password: info.password },
    });
    expect(login.status).to.equal(200);
    const headers = { "x-dr-session": (login.json as { session_id: string }).session_id };
    expect((await call(ca, "GET", `${info.url}/pairings`, { headers })).status).to.equal(200);
    const steps = `${info.url}/pairings/${info.pairingId}/recovery-management/plans/${info.plans["Tier1-Apps"]}/recovery-steps/recovery`;
    const created = await call(ca, "POST", steps, {
      headers,
      body: {
        name: "cli",
        content: "echo",
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 5,
        position: 0,
      },
    });
    expect(created.status).to.equal(202);
    let status = (created.json as { status: string }).status;
    while (status !== "SUCCESS" && status !== "ERROR") {
      await new Promise((r) => setTimeout(r, 10));
      status = (
        (await call(ca, "GET", `${info.url}/tasks/${(created.json as { id: string }).id}`, { headers }))
          .json as { status: string }
      ).status;
    }
    expect(status).to.equal("SUCCESS");

    expect(stderr).to.contain("listening on");
    child.kill("SIGTERM");
    expect(await exitOf(child)).to.equal(0);
  });

  it("exits 2 with a message for an invalid inventory file", async () => {
    child = spawn(process.execPath, [CLI, "--inventory", join(__dirname, "cli.test.js")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    expect(await exitOf(child)).to.equal(2);
    expect(stderr).to.contain("cannot load inventory");
  });
});
