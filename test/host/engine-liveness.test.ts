// The host refuses new mutations once the engine that started it is gone: a stand-in engine endpoint is
// passed as the host's argument, exactly where the Pulumi engine passes its own, and then closed.
import * as net from "node:net";
import { expect } from "chai";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { HostCallError, ProviderHost, type Props } from "./driver/host-process.js";
import { PROJECT_DIR, serializedProvider, srmConfig, TYPES } from "./helpers.js";

describe("host: mutations stop when the engine goes away", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let host: ProviderHost;
  let engine: net.Server;

  before(async () => {
    sim = await startSimulator();
    engine = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
    const port = (engine.address() as net.AddressInfo).port;
    host = await ProviderHost.start({ projectDir: PROJECT_DIR, engineAddress: `127.0.0.1:${port}` });
    await host.configure(srmConfig(sim));
  });
  after(async () => {
    await host?.close();
    engine?.close();
    await sim?.close();
  });

  const callout = async (name: string, position: number): Promise<Props> => ({
    __provider: await serializedProvider("RecoveryStepCallout"),
    resourceName: name,
    pairingId: sim.ids.pairingId,
    planId: sim.ids.plans["Tier1-Apps"]!,
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: position,
    name,
    content: `${name} content`,
    calloutType: "PROMPT",
  });
  const create = async (name: string, position: number) => {
    const urn = host.urn(TYPES.RecoveryStepCallout, name);
    const checked = await host.check(urn, {}, await callout(name, position));
    return host.create(urn, checked.inputs);
  };
  const posts = () => sim.requests.filter((r) => r.method === "POST" && r.path.includes("recovery-steps"));

  it("creates while the engine answers", async () => {
    const r = await create("while-alive", 0);
    expect(r.id).to.match(/\/recovery\/\d+$/);
    expect(posts()).to.have.length(1);
  });

  it("refuses the next create once the engine is gone, and sends nothing to SRM", async () => {
    await new Promise<void>((resolve) => engine.close(() => resolve()));
    const err = await create("after-engine-died", 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HostCallError);
    expect((err as HostCallError).details).to.include("has gone away");
    expect((err as HostCallError).details).to.include("pulumi refresh");
    expect(posts()).to.have.length(1);
  });
});
