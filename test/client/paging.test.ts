// Listing against servers that page badly: a server that ignores `offset` must not make a listing loop
// or return the same items twice.
import * as https from "node:https";
import type * as net from "node:net";
import { clearSrmClients, getSrmClient } from "../../provider/client/index.js";
import { generateCertificate } from "pulumi-srm-simulator";
import { expect, expectSrmError, srmConn, startSim, type Simulator } from "./helpers.js";

const pairing = (n: number) => ({ pairing_id: `00000000-0000-4000-8000-00000000000${n}` });

describe("client: paging against a server that ignores offset", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let server: https.Server;
  let port: number;
  let caCert: string;
  let listings = 0;
  /** The `_meta` the stub answers every listing with; its list is always the first page. */
  let meta: Record<string, number> = {};

  before(async () => {
    sim = await startSim();
    const pem = await generateCertificate();
    server = https.createServer({ cert: pem.cert, key: pem.key }, (req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url?.endsWith("/session")) {
        res.end(JSON.stringify({ session_id: "s-1" }));
        return;
      }
      listings++;
      res.end(JSON.stringify({ list: [pairing(1), pairing(2)], _meta: meta }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.address() as net.AddressInfo).port;
    caCert = pem.cert;
  });
  beforeEach(() => {
    listings = 0;
    clearSrmClients();
  });
  after(async () => {
    clearSrmClients();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
  });

  const client = () =>
    getSrmClient(
      srmConn(sim, {
        url: `https://127.0.0.1:${port}`,
        tls: { caCert },
        retryLimit: 0,
      }),
    );

  it("stops when the answer's offset is not the one asked for", async () => {
    meta = { total: 5, offset: 0, limit: 2 };
    const err = await expectSrmError(sim, client().listPairings(), "INVALID_RESPONSE");
    expect(err.message).to.include("offset");
    expect(listings).to.equal(2);
  });

  it("stops when a page repeats the previous one (no offset in _meta)", async () => {
    meta = { total: 5 };
    const err = await expectSrmError(sim, client().listPairings(), "INVALID_RESPONSE");
    expect(err.message).to.include("offset");
    expect(listings).to.equal(2);
  });
});
