// The engine clients of a program run after a killed engine must reach a new engine on the same port (see
// engine-channels.ts). A stand-in engine serves the resource monitor's SupportsFeature; the clients are made as
// the SDK makes its monitor client for each run: the generated ResourceMonitorClient with its client options.
import * as grpc from "@grpc/grpc-js";
import { expect } from "chai";
import "./harness.js";
import { engineClientOptions, LOCAL_SUBCHANNEL_POOL } from "./engine-channels.js";

/* eslint-disable @typescript-eslint/no-require-imports */
const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface MonitorClient extends grpc.Client {
  supportsFeature(req: unknown, cb: (err: grpc.ServiceError | null) => void): void;
}

async function standInEngine(port: number): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server();
  server.addService(resrpc.ResourceMonitorService, {
    supportsFeature: (_call: unknown, cb: (err: null, r: unknown) => void) => {
      const r = new resproto.SupportsFeatureResponse();
      r.setHassupport(true);
      cb(null, r);
    },
  });
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { server, port: bound };
}

function monitorClient(port: number): MonitorClient {
  return new resrpc.ResourceMonitorClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    engineClientOptions(),
  ) as MonitorClient;
}

/** One SupportsFeature call: "ok", or the gRPC status code it failed with. */
function ask(client: MonitorClient): Promise<string> {
  const req = new resproto.SupportsFeatureRequest();
  req.setId("secrets");
  return new Promise((resolve) =>
    client.supportsFeature(req, (err) => resolve(err ? `code ${err.code}` : "ok")),
  );
}

describe("cli harness: engine clients", function () {
  this.timeout(60_000);

  it("reach a new engine on the port of an engine that was killed while its program still called it", async () => {
    expect(engineClientOptions(), "the SDK's engine client options").to.have.property(
      LOCAL_SUBCHANNEL_POOL,
      1,
    );
    const first = await standInEngine(0);
    const killedRun = monitorClient(first.port);
    const laterRun = (): MonitorClient => monitorClient(first.port);
    try {
      expect(await ask(killedRun), "the first run's call").to.equal("ok");
      first.server.forceShutdown();
      // The killed run's program goes on calling its engine, which is gone.
      expect(await ask(killedRun), "a call after the kill").to.equal(`code ${grpc.status.UNAVAILABLE}`);
      const second = await standInEngine(first.port);
      const client = laterRun();
      try {
        expect(await ask(client), "the later run's call to the new engine on that port").to.equal("ok");
      } finally {
        client.close();
        second.server.forceShutdown();
      }
    } finally {
      killedRun.close();
    }
  });
});
