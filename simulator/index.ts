import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import { SRM_BASE_PATH } from "../provider/api/index.js";
import { describeCertificate, generateCertificate } from "./certificate.js";
import { FaultState, type FaultControls } from "./faults.js";
import { defaultInventory, type Inventory, type RemoteSite } from "./inventory.js";
import { SimulatorModel } from "./model.js";
import { resolveOptions, type SimulatorOptions } from "./options.js";
import type { RecordedRequest } from "./requests.js";
import type { SimContext } from "./routes/context.js";
import { buildServer } from "./server.js";
import { TaskRunner } from "./tasks.js";

export { defaultInventory, parseInventory, InventorySchema, DEFAULT_IDS } from "./inventory.js";
export type { Inventory, InventoryInput, RemoteSite } from "./inventory.js";
export type { SimulatorOptions } from "./options.js";
export type { Faults, FaultControls, RouteFault } from "./faults.js";
export type { RecordedRequest } from "./requests.js";
export { SimulatorModel } from "./model.js";
export { VcenterModel, type VcenterObject, type VcenterObjectType } from "./vcenter-model.js";
export {
  siteVcenterInventory,
  VcenterInventorySchema,
  type VcenterInventory,
  type VcenterInventoryInput,
} from "./vcenter-inventory.js";
export { SimErrorCodes } from "./errors.js";
export { generateCertificate } from "./certificate.js";

/** Credentials the simulator accepts (from its inventory). */
export interface SimulatorCredentials {
  /** Local SRM login (`POST /session`). */
  username: string;
  password: string;
  /** Remote site of the default pairing: remote-session login and PSC credentials for pairing. */
  remoteUsername: string;
  remotePassword: string;
  /** vCenter appliance login (`/api/session`, `/rest/com/vmware/cis/session`). */
  applianceUsername: string;
  appliancePassword: string;
  /** SSO administrator for the reconciliation job spec. */
  ssoUsername: string;
  ssoPassword: string;
}

export interface SimulatorIds {
  localVcGuid: string;
  /** Remote vCenter of the default pairing. */
  remoteVcGuid: string;
  /** A known remote site that is not paired (target for a new pairing), or "" when there is none. */
  spareRemoteVcGuid: string;
  /** PSC address of the spare site (`pair_psc_info.url`), or "". */
  spareRemotePscUrl: string;
  /** PSC thumbprint the spare site presents, or "" when it does not check one. */
  spareRemotePscThumbprint: string;
  /** The default pairing (local <-> remote). */
  pairingId: string;
  /** The self-pairing that GET /pairings also returns. */
  selfPairingId: string;
  /** Plan name -> plan id. */
  plans: Record<string, string>;
}

/** The remote site's SRM server of the default pairing, served on a port of its own (`serveRemoteSite`). */
export interface RemoteSrmEndpoint {
  /** Its SRM base URL, "https://127.0.0.1:<port>/api/rest/srm/v2". */
  url: string;
  port: number;
  /** PEM of its own self-signed certificate (not the local server's). */
  caCert: string;
  /** The same PEM in a temp file (removed by close()). */
  caCertPath: string;
  thumbprintSha256: string;
  thumbprintSha1: string;
  /**
   * Its SRM login (the remote site's SSO user), and the login of the site at the other end of the pairing
   * (the local site's), which its remote-session calls take.
   */
  credentials: { username: string; password: string; remoteUsername: string; remotePassword: string };
  /** vCenter guid of its site. */
  vcGuid: string;
  /** Its own self-pairing, listed first by its `GET /pairings`. */
  selfPairingId: string;
  /** Requests it served, recorded as {@link Simulator.requests}. */
  requests: RecordedRequest[];
}

/** A running simulator. Always `close()` it. */
export interface Simulator {
  /** SRM base URL, "https://127.0.0.1:<port>/api/rest/srm/v2". */
  url: string;
  /** Appliance URL, "https://127.0.0.1:<port>" (same server). */
  applianceUrl: string;
  port: number;
  /** PEM of the self-signed certificate (trust it as the CA). */
  caCert: string;
  /** The same PEM in a temp file (removed by close()). */
  caCertPath: string;
  /** "AB:CD:..." upper-case, colon-separated, as vSphere shows it. */
  thumbprintSha256: string;
  thumbprintSha1: string;
  credentials: SimulatorCredentials;
  ids: SimulatorIds;
  inventory: Inventory;
  model: SimulatorModel;
  faults: FaultControls;
  requests: RecordedRequest[];
  /** TLS handshakes completed since start (each new connection costs one; a reused one none). */
  readonly tlsHandshakes: number;
  /** Of {@link tlsHandshakes}, those with a certificate exchange: not resuming an earlier TLS session. */
  readonly tlsFullHandshakes: number;
  /** Every route served, as "METHOD /path" (SRM paths relative to the base, with the spec's {params}). */
  routes: string[];
  /** The remote site's SRM server, when started with `serveRemoteSite`. */
  remote?: RemoteSrmEndpoint;
  close(): Promise<void>;
}

function idsOf(inventory: Inventory): SimulatorIds {
  const first = inventory.pairings[0];
  const paired = new Set(inventory.pairings.map((p) => p.remoteVcGuid));
  const spare = inventory.remoteSites.find((s) => !paired.has(s.vcGuid));
  const plans: Record<string, string> = {};
  for (const p of inventory.pairings) for (const plan of p.plans) plans[plan.name] = plan.id;
  return {
    localVcGuid: inventory.local.vcGuid,
    remoteVcGuid: first?.remoteVcGuid ?? "",
    spareRemoteVcGuid: spare?.vcGuid ?? "",
    spareRemotePscUrl: spare?.pscUrl ?? "",
    spareRemotePscThumbprint: spare?.pscThumbprint ?? "",
    pairingId: first?.id ?? "",
    selfPairingId: inventory.local.selfPairingId,
    plans,
  };
}

/** Starts the SRM + vCenter appliance simulator over HTTPS (port 0 by default). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const inventory = structuredClone(options.inventory ?? defaultInventory());
  if (options.applianceApi) inventory.appliance.api = options.applianceApi;
  const model = new SimulatorModel(inventory);
  const faultState = new FaultState();
  const runner = new TaskRunner(
    {
      queuedMs: () => faultState.current.taskQueuedMs ?? resolved.taskQueuedMs,
      durationMs: () => {
        const base = faultState.current.taskDurationMs ?? resolved.taskDurationMs;
        const jitter = Math.min(1, Math.max(0, faultState.current.taskJitter ?? resolved.taskJitter));
        return Math.max(0, Math.round(base * (1 + jitter * (2 * Math.random() - 1))));
      },
    },
    resolved.log,
  );
  const ctx: SimContext = {
    model,
    options: resolved,
    runner,
    faults: faultState,
    site: { vcGuid: inventory.local.vcGuid, credentials: inventory.credentials },
    sessions: new WeakMap(),
  };
  const cert = describeCertificate(options.certificate ?? (await generateCertificate()));
  const requests: RecordedRequest[] = [];
  const routes: string[] = [];
  const app = buildServer(ctx, cert, requests, routes);
  await app.listen({ port: resolved.port, host: resolved.host });
  let tlsHandshakes = 0;
  let tlsFullHandshakes = 0;
  app.server.on("secureConnection", (socket: TLSSocket) => {
    tlsHandshakes++;
    if (!socket.isSessionReused()) tlsFullHandshakes++;
  });
  const port = (app.server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), "srm-sim-"));
  const caCertPath = join(dir, "ca.pem");
  writeFileSync(caCertPath, cert.cert);
  const hostInUrl = resolved.host.includes(":")
    ? `[${resolved.host}]`
    : resolved.host === "0.0.0.0"
      ? "127.0.0.1"
      : resolved.host;
  const applianceUrl = `https://${hostInUrl}:${port}`;
  const site =
    inventory.remoteSites.find((s) => s.vcGuid === inventory.pairings[0]?.remoteVcGuid) ??
    inventory.remoteSites[0];
  const c = inventory.credentials;
  const remote = options.serveRemoteSite
    ? await startRemoteEndpoint(ctx, site, hostInUrl, dir).catch(async (e: unknown) => {
        runner.close();
        await app.close();
        rmSync(dir, { recursive: true, force: true });
        throw e;
      })
    : undefined;

  const faults: FaultControls = {
    set: (f) => faultState.set(f),
    reset: () => {
      faultState.reset();
      runner.clearInjected();
    },
    expireAllSessions: () => model.sessions.clear(),
    failNextTasks: (n, message) => runner.failNextTasks(n, message),
    get current() {
      return faultState.current;
    },
  };

  let closed = false;
  return {
    url: `${applianceUrl}${SRM_BASE_PATH}`,
    applianceUrl,
    port,
    caCert: cert.cert,
    caCertPath,
    thumbprintSha256: cert.thumbprintSha256,
    thumbprintSha1: cert.thumbprintSha1,
    credentials: {
      username: c.username,
      password: c.password,
      remoteUsername: site?.username ?? "",
      remotePassword: site?.password ?? "",
      applianceUsername: c.applianceUsername,
      appliancePassword: c.appliancePassword,
      ssoUsername: c.ssoUsername,
      ssoPassword: c.ssoPassword,
    },
    ids: idsOf(inventory),
    inventory,
    model,
    faults,
    requests,
    get tlsHandshakes() {
      return tlsHandshakes;
    },
    get tlsFullHandshakes() {
      return tlsFullHandshakes;
    },
    routes,
    remote: remote?.endpoint,
    close: async () => {
      if (closed) return;
      closed = true;
      runner.close();
      await remote?.app.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the second SRM endpoint: the remote site's server, sharing the model (and so the pairing). */
async function startRemoteEndpoint(
  local: SimContext,
  site: RemoteSite | undefined,
  hostInUrl: string,
  dir: string,
): Promise<{ endpoint: RemoteSrmEndpoint; app: FastifyInstance }> {
  if (!site) throw new Error("serveRemoteSite needs a pairing to a remote site in the inventory");
  const selfPairing = local.model.addSelfPairing(site.vcGuid);
  const ctx: SimContext = {
    ...local,
    site: { vcGuid: site.vcGuid, credentials: { username: site.username, password: site.password } },
    sessions: new WeakMap(),
  };
  const cert = describeCertificate(await generateCertificate());
  const requests: RecordedRequest[] = [];
  const app = buildServer(ctx, cert, requests, [], { appliance: false });
  await app.listen({ port: 0, host: local.options.host });
  const port = (app.server.address() as AddressInfo).port;
  const caCertPath = join(dir, "remote-ca.pem");
  writeFileSync(caCertPath, cert.cert);
  const c = local.model.inventory.credentials;
  return {
    app,
    endpoint: {
      url: `https://${hostInUrl}:${port}${SRM_BASE_PATH}`,
      port,
      caCert: cert.cert,
      caCertPath,
      thumbprintSha256: cert.thumbprintSha256,
      thumbprintSha1: cert.thumbprintSha1,
      credentials: {
        username: site.username,
        password: site.password,
        remoteUsername: c.username,
        remotePassword: c.password,
      },
      vcGuid: site.vcGuid,
      selfPairingId: selfPairing.id,
      requests,
    },
  };
}
