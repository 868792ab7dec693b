#!/usr/bin/env node
// Command line entry: `npm run simulator -- --port 8443`. Prints one JSON line (connection details) on
// stdout, one human line on stderr, and serves until SIGINT or SIGTERM.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseInventory } from "./inventory.js";
import { startSimulator, type SimulatorOptions } from "./index.js";

function fail(message: string): never {
  process.stderr.write(`srm-simulator: ${message}\n`);
  process.exit(2);
}

function intArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} needs a non-negative integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      inventory: { type: "string" },
      "task-duration-ms": { type: "string" },
      "task-queued-ms": { type: "string" },
      "rest-only": { type: "boolean", default: false },
      "remote-site": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: srm-simulator [--port N] [--host H] [--inventory file.json] [--task-duration-ms N] [--task-queued-ms N] [--rest-only] [--remote-site] [--verbose]\n",
    );
    return;
  }
  const options: SimulatorOptions = {
    port: intArg("port", values.port),
    host: values.host,
    taskDurationMs: intArg("task-duration-ms", values["task-duration-ms"]),
    taskQueuedMs: intArg("task-queued-ms", values["task-queued-ms"]),
  };
  if (values["rest-only"]) options.applianceApi = "rest-only";
  if (values["remote-site"]) options.serveRemoteSite = true;
  if (values.verbose) options.log = (line) => process.stderr.write(`${line}\n`);
  if (values.inventory) {
    try {
      options.inventory = parseInventory(JSON.parse(readFileSync(values.inventory, "utf8")));
    } catch (err) {
      fail(`cannot load inventory ${values.inventory}: ${(err as Error).message}`);
    }
  }
  const sim = await startSimulator(options);
  const info = {
    url: sim.url,
    applianceUrl: sim.applianceUrl,
    port: sim.port,
    caCertPath: sim.caCertPath,
    thumbprintSha256: sim.thumbprintSha256,
    thumbprintSha1: sim.thumbprintSha1,
    ...sim.credentials,
    localVcGuid: sim.ids.localVcGuid,
    remoteVcGuid: sim.ids.remoteVcGuid,
    spareRemoteVcGuid: sim.ids.spareRemoteVcGuid,
    spareRemotePscUrl: sim.ids.spareRemotePscUrl,
    pairingId: sim.ids.pairingId,
    selfPairingId: sim.ids.selfPairingId,
    plans: sim.ids.plans,
    ...(sim.remote
      ? {
          remote: {
            url: sim.remote.url,
            port: sim.remote.port,
            caCertPath: sim.remote.caCertPath,
            thumbprintSha256: sim.remote.thumbprintSha256,
            thumbprintSha1: sim.remote.thumbprintSha1,
            ...sim.remote.credentials,
            vcGuid: sim.remote.vcGuid,
            selfPairingId: sim.remote.selfPairingId,
          },
        }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stderr.write(
    `SRM simulator listening on ${sim.url} (appliance ${sim.applianceUrl}); Ctrl-C to stop\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`SRM simulator stopping (${signal})\n`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`srm-simulator: close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => fail((err as Error).message ?? String(err)));
