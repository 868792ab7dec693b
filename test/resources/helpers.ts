// Shared fixtures of the resource tests: a simulator, its settings as stack config, configured shims and
// direct implementation contexts that capture progress lines.
import type * as Chai from "chai" with { "resolution-mode": "import" };
import * as net from "node:net";
import { readSettings } from "../../provider/config.js";
import type { ProviderContext } from "../../provider/dynamic/provider-context.js";
import { SrmProviderShim } from "../../provider/dynamic/provider-shim.js";
import type { Simulator } from "pulumi-srm-simulator";

/** chai is ESM-only; Node 20.19+ require()s it, the types come from an import-mode type import. */
export const { expect } = require("chai") as typeof Chai;

/** Stack config (`srm:*` keys) that reaches the simulator, trusting its certificate by file. */
export function configOf(
  sim: Simulator,
  patch: Record<string, string | undefined> = {},
): Record<string, string> {
  const all: Record<string, string | undefined> = {
    "srm:host": sim.url,
    "srm:username": sim.credentials.username,
    "srm:password": sim.credentials.password,
    "srm:remoteUsername": sim.credentials.remoteUsername,
    "srm:remotePassword": sim.credentials.remotePassword,
    "srm:caCert": sim.caCertPath,
    "srm:applianceHost": sim.applianceUrl,
    "srm:applianceUsername": sim.credentials.applianceUsername,
    "srm:appliancePassword": sim.credentials.appliancePassword,
    "srm:applianceCaCert": sim.caCert,
    ...patch,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** A configure request as the dynamic-provider host builds it. */
export function configureRequest(config: Record<string, string>) {
  return { config: { get: (key: string) => config[key], require: (key: string) => config[key] } };
}

/** A shim configured the way the host does it (configure not awaited). */
export function configuredShim(kind: string, config: Record<string, string>): SrmProviderShim {
  const shim = new SrmProviderShim(kind);
  void shim.configure(configureRequest(config));
  return shim;
}

/** A direct implementation context with the simulator's settings; progress lines land in `lines`. */
export function contextOf(
  sim: Simulator,
  patch: Record<string, string | undefined> = {},
): ProviderContext & { lines: string[] } {
  const lines: string[] = [];
  const config = configOf(sim, patch);
  return { snapshot: readSettings((k) => config[k], {}), log: (l) => lines.push(l), lines };
}

/** Every password the simulator accepts plus those the tests invent. */
export function passwordsOf(sim: Simulator, extra: string[] = []): string[] {
  const c = sim.credentials;
  return [c.password, c.remotePassword, c.appliancePassword, c.ssoPassword, ...extra];
}

/** Asserts that no password occurs in the JSON of a value or in a text. */
export function expectNoPasswords(value: unknown, passwords: readonly string[]): void {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  for (const p of passwords) expect(text, "a password leaked").to.not.include(p);
}

/** The rejection of a promise (fails when it resolves). */
export async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The text of everything an error carries that a user could see. */
export function errorText(e: Error): string {
  return `${e.message} ${JSON.stringify({ ...e })}`;
}

/** A plain TCP listener that records every byte sent to it, standing in for a server reached without TLS. */
export async function plainListener(): Promise<{
  port: number;
  received: () => string;
  close: () => Promise<void>;
}> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (d) => chunks.push(d));
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received: () => Buffer.concat(chunks).toString("latin1"),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
