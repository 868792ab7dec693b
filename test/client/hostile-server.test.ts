// Servers that answer wrongly on purpose: redirects (also to plain http), malformed, truncated, oversized
// and endless answers, wrong types, listings that never end and messages built to garble a terminal. Each
// must end in a clear SrmError, without a hang, and without a credential reaching another origin.
import * as http from "node:http";
import * as https from "node:https";
import type * as net from "node:net";
import { clearSrmClients, getSrmClient, type SrmClient } from "../../provider/client/index.js";
import { generateCertificate } from "pulumi-srm-simulator";
import { expect, expectSrmError, srmConn, startSim, type Simulator } from "./helpers.js";

const TOKEN = "Hostile-Session-Token-9a1f";
const BASE = "/api/rest/srm/v2";

/** One request a test server received. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A local server (https unless `plain`) that logs every request and answers with `handler`. */
class TestServer {
  readonly seen: Seen[] = [];
  readonly sockets = new Set<net.Socket>();
  handler: Handler = (_req, res) => res.writeHead(404).end();
  port = 0;
  private server!: http.Server | https.Server;

  async start(tls?: { cert: string; key: string }): Promise<this> {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      req.resume();
      req.on("end", () => this.handler(req, res));
    };
    this.server = tls ? https.createServer(tls, listener) : http.createServer(listener);
    this.server.on("connection", (s: net.Socket) => {
      this.sockets.add(s);
      s.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers login with a session token, everything else with `rest`. */
function srmLike(rest: Handler): Handler {
  return (req, res) => {
    if (req.method === "POST" && req.url === `${BASE}/session`) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ session_id: TOKEN }));
      return;
    }
    rest(req, res);
  };
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** Rejects when `promise` has not settled after `ms`, so a hang fails the test instead of the run. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe("client: hostile and broken servers", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let pem: { cert: string; key: string };
  let hostile: TestServer;
  let elsewhere: TestServer;
  let plain: TestServer;

  before(async () => {
    sim = await startSim();
    pem = await generateCertificate();
  });
  beforeEach(async () => {
    hostile = await new TestServer().start(pem);
    elsewhere = await new TestServer().start(pem);
    plain = await new TestServer().start();
  });
  afterEach(async () => {
    clearSrmClients();
    await Promise.all([hostile.close(), elsewhere.close(), plain.close()]);
  });
  after(async () => {
    await sim.close();
  });

  function client(overrides = {}): SrmClient {
    clearSrmClients();
    return getSrmClient(
      srmConn(sim, {
        url: `https://127.0.0.1:${hostile.port}${BASE}`,
        tls: { caCert: pem.cert },
        requestTimeoutMs: 2_000,
        retryLimit: 1,
        ...overrides,
      }),
    );
  }

  /** Nothing reached the other servers, and no request anywhere carried a credential it should not. */
  function expectNothingElsewhere(): void {
    expect(plain.seen, "requests to the plain-http server").to.deep.equal([]);
    expect(elsewhere.seen, "requests to the other origin").to.deep.equal([]);
  }

  describe("redirects", () => {
    it("does not follow a login redirect to plain http, and says what the server answered", async () => {
      const target = `http://127.0.0.1:${plain.port}${BASE}/session`;
      hostile.handler = (_req, res) => res.writeHead(302, { location: target }).end();
      const err = await expectSrmError(sim, within(client().login(), 10_000), "UNEXPECTED_REDIRECT");
      expect(err.status).to.equal(302);
      expect(err.message).to.include("HTTP 302").and.include(target).and.include("srm:host");
      expect(hostile.seen).to.have.length(1);
      expectNothingElsewhere();
    });

    it("does not carry the session token to another origin (307 of a listing)", async () => {
      const target = `https://127.0.0.1:${elsewhere.port}${BASE}/pairings`;
      hostile.handler = srmLike((_req, res) => res.writeHead(307, { location: target }).end());
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.listPairings(), 10_000), "UNEXPECTED_REDIRECT");
      expect(err.message).to.include("HTTP 307").and.include(target);
      expect(err.message).not.to.include(TOKEN);
      expectNothingElsewhere();
    });

    it("reports a redirect whose body is an HTML page, not a parse error", async () => {
      hostile.handler = srmLike((_req, res) =>
        res
          .writeHead(301, { location: `http://127.0.0.1:${plain.port}/`, "content-type": "text/html" })
          .end("<html><body>Moved</body></html>"),
      );
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.getPairing("p-1"), 10_000), "UNEXPECTED_REDIRECT");
      expect(err.message).to.include("HTTP 301");
      expectNothingElsewhere();
    });
  });

  describe("malformed answers", () => {
    it("fails a 200 whose body is not JSON with INVALID_RESPONSE", async () => {
      hostile.handler = srmLike((_req, res) =>
        res.writeHead(200, { "content-type": "application/json" }).end('{"list": [1, 2,'),
      );
      const c = client();
      await c.login();
      await expectSrmError(sim, within(c.listPairings(), 10_000), "INVALID_RESPONSE");
    });

    it("fails a body cut short (connection closed before Content-Length) without hanging", async () => {
      hostile.handler = srmLike((req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
        res.write('{"list": [');
        setTimeout(() => req.socket.destroy(), 20);
      });
      const c = client({ retryLimit: 0 });
      await c.login();
      const err = await expectSrmError(sim, within(c.listPairings(), 10_000), undefined);
      expect(err.code).to.be.oneOf(["NETWORK_ERROR", "INVALID_RESPONSE"]);
      expect(err.message).to.include("Listing pairings");
    });

    it("fails a task whose fields have the wrong types, naming the field", async () => {
      hostile.handler = srmLike((_req, res) => json(res, 200, { id: "t-1", status: 7, progress: "half" }));
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.getTask("t-1"), 10_000), "INVALID_RESPONSE");
      expect(err.message).to.include("status").and.include("progress").and.include("Reading task t-1");
    });

    it("refuses a task id that would leave its path segment, before sending anything", async () => {
      hostile.handler = srmLike((_req, res) => json(res, 200, { id: "..", status: "RUNNING" }));
      const c = client();
      await c.login();
      const before = hostile.seen.length;
      const err = await within(
        c.getTask("..").then(
          () => undefined,
          (e: Error) => e,
        ),
        10_000,
      );
      expect(err?.message).to.include('The id ".."');
      expect(hostile.seen.length).to.equal(before);
    });
  });

  describe("bounds", () => {
    it("refuses an answer announced larger than the limit", async () => {
      hostile.handler = srmLike((_req, res) => {
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": String(64 * 1024 * 1024),
        });
        res.write('{"list": [');
      });
      const c = client({ retryLimit: 0 });
      await c.login();
      const err = await expectSrmError(sim, within(c.listPairings(), 10_000), "RESPONSE_TOO_LARGE");
      expect(err.message).to.include("Listing pairings").and.include("8388608 bytes");
    });

    it("stops an endless chunked answer at the limit", async () => {
      const chunk = Buffer.alloc(64 * 1024, " ");
      hostile.handler = srmLike((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once("drain", pump);
        };
        pump();
      });
      const c = client({ retryLimit: 0 });
      await c.login();
      await expectSrmError(sim, within(c.getPairing("p-1"), 15_000), "RESPONSE_TOO_LARGE");
    });

    it("stops a listing that keeps announcing more pages", async () => {
      let n = 0;
      hostile.handler = srmLike((req, res) => {
        const offset = Number(new URL(req.url ?? "", "https://x").searchParams.get("offset") ?? 0);
        n++;
        json(res, 200, {
          list: [{ pairing_id: `p-${n}` }],
          _meta: { total: 1_000_000_000, offset, limit: 1 },
        });
      });
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.listPairings(), 15_000), "INVALID_RESPONSE");
      expect(err.message).to.include("still paging after 200 pages");
    });

    it("shows a server's error message without control characters and bounded in length", async () => {
      const garbage = "\u001b[2J\u001b[31mDisk\rfull\u202e" + "x".repeat(100_000);
      hostile.handler = srmLike((_req, res) =>
        json(res, 400, { error_code: "E\u001b[0m", message: garbage, op_id: "op-1\n" }),
      );
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.getPairing("p-1"), 10_000), "BAD_REQUEST");
      expect(err.message).to.include("Disk full");
      // eslint-disable-next-line no-control-regex
      expect(err.message).not.to.match(/[\u0000-\u001f\u007f-\u009f\u202e]/);
      expect(err.message.length).to.be.below(1_500);
      expect(err.details?.length ?? 0).to.be.below(1_000);
      expect(err.opId).to.equal("op-1");
    });

    it("shows a failed task's message without control characters and bounded in length", async () => {
      hostile.handler = srmLike((_req, res) =>
        json(res, 200, {
          id: "t-9",
          status: "ERROR",
          description: "Create\u001b]0;owned\u0007 callout",
          error: { message: "\u001b[1mboom\u001b[0m" + "y".repeat(50_000), details: "line1\nline2" },
        }),
      );
      const c = client();
      await c.login();
      const err = await expectSrmError(sim, within(c.waitForTask("t-9"), 10_000), "TASK_FAILED");
      expect(err.message).to.include("boom").and.include("line1 line2");
      // eslint-disable-next-line no-control-regex
      expect(err.message).not.to.match(/[\u0000-\u001f\u007f-\u009f]/);
      expect(err.message.length).to.be.below(1_500);
    });
  });
});
