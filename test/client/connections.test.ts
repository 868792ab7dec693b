import { clearSrmClients, MAX_SOCKETS_PER_SERVER } from "../../provider/client/index.js";
import { expect, freshClient, startSim, type Simulator } from "./helpers.js";

describe("client: connection reuse", function () {
  this.timeout(30_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    clearSrmClients();
    await sim.close();
  });

  for (const [trust, tls] of [
    ["a pinned thumbprint", (s: Simulator) => ({ thumbprint: s.thumbprintSha256 })],
    ["a CA bundle", (s: Simulator) => ({ caCert: s.caCert })],
  ] as const) {
    it(`keeps one connection for consecutive requests with ${trust}`, async () => {
      const client = freshClient(sim, { tls: tls(sim) });
      const before = sim.tlsHandshakes;
      await client.login();
      for (let i = 0; i < 5; i++) await client.listPairings();
      expect(sim.tlsHandshakes - before, "TLS handshakes for a login and 5 listings").to.equal(1);
    });
  }

  it("opens at most a few connections for a burst of concurrent requests, all answered", async () => {
    const client = freshClient(sim, { tls: { thumbprint: sim.thumbprintSha256 } });
    await client.login();
    const before = sim.tlsHandshakes;
    const answers = await Promise.all(Array.from({ length: 40 }, () => client.listPairings()));
    expect(answers.every((a) => a.length > 0)).to.equal(true);
    expect(sim.tlsHandshakes - before).to.be.at.most(MAX_SOCKETS_PER_SERVER);
  });

  it("resumes the pinned server's TLS session on further connections: one full handshake for a burst", async () => {
    const client = freshClient(sim, { tls: { thumbprint: sim.thumbprintSha256 } });
    const [connections, full] = [sim.tlsHandshakes, sim.tlsFullHandshakes];
    await client.login();
    const answers = await Promise.all(Array.from({ length: 40 }, () => client.listPairings()));
    expect(answers.every((a) => a.length > 0)).to.equal(true);
    expect(sim.tlsHandshakes - connections, "connections of the burst").to.be.above(1);
    expect(sim.tlsFullHandshakes - full, "handshakes with a certificate exchange").to.equal(1);
  });

  it("sends nothing over a connection whose certificate does not match, even after one that did", async () => {
    const client = freshClient(sim, { tls: { thumbprint: sim.thumbprintSha256 } });
    await client.login();
    const wrong = freshClient(sim, { tls: { thumbprint: "AA".repeat(32) } });
    const requests = sim.requests.length;
    const err = await wrong.listPairings().then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(err?.code).to.equal("TLS_PINNING_FAILED");
    expect(sim.requests.length).to.equal(requests);
  });
});
