// Shared setup of the client tests: a simulator, connections to it, and error capture that proves no
// password ever reaches an error.
import { inspect } from "node:util";
import type * as Chai from "chai" with { "resolution-mode": "import" };
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-srm-simulator";
import {
  clearApplianceClients,
  clearSrmClients,
  getApplianceClient,
  getSrmClient,
  isSrmError,
  type ApplianceClient,
  type ApplianceConnection,
  type SrmClient,
  type SrmConnection,
  type SrmError,
  type SrmErrorCode,
} from "../../provider/client/index.js";

export type { Simulator };

/**
 * chai is ESM-only; Node 20.19+ loads it with require(), which the `node16` module setting cannot type,
 * so the types come from an import-mode type import.
 */
export const { expect } = require("chai") as typeof Chai;

/** Starts a simulator with fast tasks; remember to close it. */
export function startSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ taskQueuedMs: 5, taskDurationMs: 20, ...options });
}

/** Every password the simulator knows, to grep error text for. */
export function passwords(sim: Simulator): string[] {
  const c = sim.credentials;
  return [c.password, c.remotePassword, c.appliancePassword, c.ssoPassword];
}

/** Lines written to a connection's log. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly log = (line: string): void => {
    this.lines.push(line);
  };
}

/** A connection to the simulator, trusting its CA unless `overrides` says otherwise. */
export function srmConn(sim: Simulator, overrides: Partial<SrmConnection> = {}): SrmConnection {
  return {
    url: sim.url,
    username: sim.credentials.username,
    password: sim.credentials.password,
    remoteUsername: sim.credentials.remoteUsername,
    remotePassword: sim.credentials.remotePassword,
    tls: { caCert: sim.caCert },
    requestTimeoutMs: 5_000,
    retryLimit: 3,
    retryBaseDelayMs: 5,
    log: () => undefined,
    ...overrides,
  };
}

/** A fresh (not shared with earlier tests) client of the simulator. */
export function freshClient(sim: Simulator, overrides: Partial<SrmConnection> = {}): SrmClient {
  clearSrmClients();
  return getSrmClient(srmConn(sim, overrides));
}

export function applianceConn(
  sim: Simulator,
  overrides: Partial<ApplianceConnection> = {},
): ApplianceConnection {
  return {
    url: sim.applianceUrl,
    username: sim.credentials.applianceUsername,
    password: sim.credentials.appliancePassword,
    tls: { caCert: sim.caCert },
    requestTimeoutMs: 5_000,
    retryBaseDelayMs: 5,
    log: () => undefined,
    ...overrides,
  };
}

export function freshAppliance(
  sim: Simulator,
  overrides: Partial<ApplianceConnection> = {},
): ApplianceClient {
  clearApplianceClients();
  return getApplianceClient(applianceConn(sim, overrides));
}

/** Every error the tests caught, checked for passwords by {@link expectNoSecrets}. */
export const caughtErrors: SrmError[] = [];

/** Asserts that `text` contains none of the simulator's passwords. */
export function expectNoSecrets(sim: Simulator, text: string): void {
  for (const pw of passwords(sim)) expect(text).not.to.include(pw);
  expect(text).not.to.match(/authorization|basic [a-z0-9+/=]{8,}/i);
}

/**
 * Awaits a promise that must reject with an SrmError of `code`; checks that neither its message, its
 * fields nor its inspected form (stack, cause) carries a password, and returns it.
 */
export async function expectSrmError(
  sim: Simulator,
  promise: Promise<unknown>,
  code: SrmErrorCode | undefined,
): Promise<SrmError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a rejection").to.be.instanceOf(Error);
  if (!isSrmError(caught)) throw new Error(`expected SrmError ${code}, got ${inspect(caught)}`);
  caughtErrors.push(caught);
  if (code !== undefined) expect(caught.code, caught.message).to.equal(code);
  expectNoSecrets(sim, caught.message);
  expectNoSecrets(sim, JSON.stringify({ ...caught }));
  expectNoSecrets(sim, inspect(caught, { depth: 5 }));
  return caught;
}

/** Requests the simulator recorded for `method` whose path ends with `pathSuffix`. */
export function requestsTo(sim: Simulator, method: string, pathSuffix: string) {
  return sim.requests.filter((r) => r.method === method && stripQuery(r.path).endsWith(pathSuffix));
}

function stripQuery(path: string): string {
  const i = path.indexOf("?");
  return i < 0 ? path : path.slice(0, i);
}

/** Ids of the default inventory's pairing and plans. */
export function ids(sim: Simulator) {
  return { pairingId: sim.ids.pairingId, plans: sim.ids.plans };
}
