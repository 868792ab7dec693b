// The host refuses new mutations once the engine that started it is gone: a stand-in engine endpoint is
// passed as the host's argument, exactly where the Pulumi engine passes its own, and then closed.
import * as net from "node:net";
import { expect } from "chai";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { HostCallError, ProviderHost, type Props } from "./driver/host-process.js";
import { PROJECT_DIR, serializedProvider, srmConfig, TYPES } from "./helpers.js";

/** A started simulator, and a provider host whose engine is `engine`, a stand-in serving connections with `serve`. */
async function hostWithEngine(
  serve: (socket: net.Socket) => void,
): Promise<{ sim: Simulator; engine: net.Server; host: ProviderHost }> {
  const sim = await startSimulator();
  const engine = net.createServer(serve);
  await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
  const port = (engine.address() as net.AddressInfo).port;
  const host = await ProviderHost.start({ projectDir: PROJECT_DIR, engineAddress: `127.0.0.1:${port}` });
  await host.configure(srmConfig(sim));
  return { sim, engine, host };
}

/** Check and create of a callout at `index` of Tier1-Apps' BEFORE_RECOVER_PRIORITY_1_VMS, through the host. */
async function createCallout(host: ProviderHost, sim: Simulator, name: string, index: number) {
  const urn = host.urn(TYPES.RecoveryStepCallout, name);
  const inputs: Props = {
    __provider: await serializedProvider("RecoveryStepCallout"),
    resourceName: name,
    pairingId: sim.ids.pairingId,
    planId: sim.ids.plans["Tier1-Apps"]!,
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index,
    name,
    content: `${name} content`,
    calloutType: "PROMPT",
  };
  const checked = await host.check(urn, {}, inputs);
  return host.create(urn, checked.inputs);
}

/** An HTTP/2 SETTINGS frame with no settings: length 0, type 4, no flags, stream 0 (RFC 9113, 6.5). */
const HTTP2_EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);

/** The step inserts SRM received. */
const stepInserts = (sim: Simulator) =>
  sim.requests.filter((r) => r.method === "POST" && r.path.includes("recovery-steps"));

describe("host: mutations stop when the engine goes away", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let host: ProviderHost;
  let engine: net.Server;

  before(async () => {
    ({ sim, engine, host } = await hostWithEngine((socket) => socket.destroy()));
  });
  after(async () => {
    await host?.close();
    engine?.close();
    await sim?.close();
  });

  it("creates while the engine answers", async () => {
    const r = await createCallout(host, sim, "while-alive", 0);
    expect(r.id).to.match(/\/recovery\/\d+$/);
    expect(stepInserts(sim)).to.have.length(1);
  });

  it("refuses the next create once the engine is gone, and sends nothing to SRM", async () => {
    await new Promise<void>((resolve) => engine.close(() => resolve()));
    const err = await createCallout(host, sim, "after-engine-died", 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HostCallError);
    expect((err as HostCallError).details).to.include("has gone away");
    expect((err as HostCallError).details).to.include("pulumi refresh");
    expect(stepInserts(sim)).to.have.length(1);
  });
});

describe("host: an engine that holds connections open, then ends", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let host: ProviderHost;
  let engine: net.Server;
  const held = new Set<net.Socket>();

  before(async () => {
    // As the engine's gRPC server does with a connection that sends nothing: it speaks first (the HTTP/2
    // server preface, a SETTINGS frame), then keeps the connection open.
    ({ sim, engine, host } = await hostWithEngine((socket) => {
      socket.write(HTTP2_EMPTY_SETTINGS);
      held.add(socket);
      socket.on("close", () => held.delete(socket));
    }));
  });
  after(async () => {
    await host?.close();
    engine?.close();
    await sim?.close();
  });

  it("creates while it lives, refuses once it has ended (its connections closed), and sends nothing", async () => {
    await createCallout(host, sim, "first", 0);
    await createCallout(host, sim, "second", 1);
    expect(stepInserts(sim)).to.have.length(2);
    expect(held.size, "the host keeps a connection to the engine open").to.be.at.least(1);
    // An engine that ends: the operating system closes its connections, and nothing accepts any more.
    await new Promise<void>((resolve) => {
      engine.close(() => resolve());
      for (const s of held) s.destroy();
    });
    const err = await createCallout(host, sim, "after-engine-ended", 2).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HostCallError);
    expect((err as HostCallError).details).to.include("has gone away");
    expect(stepInserts(sim)).to.have.length(2);
  });
});
