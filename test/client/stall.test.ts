// Servers that accept a connection and then stop talking: every request must still end within its
// timeout, whether the TLS handshake or the response body stalls.
import * as https from "node:https";
import * as net from "node:net";
import { clearSrmClients, getSrmClient } from "../../provider/client/index.js";
import { generateCertificate } from "pulumi-srm-simulator";
import { expect, expectSrmError, srmConn, startSim, type Simulator } from "./helpers.js";

/** Rejects when `promise` has not settled after `ms`, so a hang fails the test instead of the run. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

describe("client: stalled servers", function () {
  this.timeout(20_000);
  let sim: Simulator;
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  before(async () => {
    sim = await startSim();
  });
  afterEach(async () => {
    clearSrmClients();
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  after(async () => {
    await sim.close();
  });

  it("times out a TLS handshake that never completes when a thumbprint is pinned", async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    const port = await listen(server);
    const client = getSrmClient(
      srmConn(sim, {
        url: `https://127.0.0.1:${port}`,
        tls: { thumbprint: sim.thumbprintSha256 },
        requestTimeoutMs: 200,
        retryLimit: 0,
      }),
    );
    const err = await expectSrmError(sim, within(client.login(), 5_000), "REQUEST_TIMEOUT");
    expect(err.message).to.include("200 ms");
  });

  it("times out a response whose body stops arriving", async () => {
    const pem = await generateCertificate();
    const stalling = https.createServer({ cert: pem.cert, key: pem.key }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"session_id":');
    });
    stalling.on("connection", (socket: net.Socket) => sockets.add(socket));
    server = stalling;
    const port = await listen(stalling);
    const client = getSrmClient(
      srmConn(sim, {
        url: `https://127.0.0.1:${port}`,
        tls: { caCert: pem.cert },
        requestTimeoutMs: 200,
        retryLimit: 0,
      }),
    );
    await expectSrmError(sim, within(client.login(), 5_000), "REQUEST_TIMEOUT");
  });

  it("reports a 200 answer that is not JSON as INVALID_RESPONSE, not as a server failure", async () => {
    const pem = await generateCertificate();
    const html = https.createServer({ cert: pem.cert, key: pem.key }, (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>login portal</html>");
    });
    html.on("connection", (socket: net.Socket) => sockets.add(socket));
    server = html;
    const port = await listen(html);
    const client = getSrmClient(
      srmConn(sim, { url: `https://127.0.0.1:${port}`, tls: { caCert: pem.cert }, retryLimit: 0 }),
    );
    const err = await expectSrmError(sim, client.login(), "INVALID_RESPONSE");
    expect(err.message).to.include("srm:host");
  });
});
