// A stack of many callouts through the same provider code the dynamic-provider host runs: preview (check +
// diff, no network), up (creates, as the engine issues them in parallel), refresh (reads) and destroy.
// Step mutations of one plan are serialized (positions shift on insert), so a stack spread over several
// plans is measured next to one that puts every callout into a single plan, in one run.
import { clearSrmClients } from "../provider/client/index.js";
import { SrmProviderShim } from "../provider/resources/provider-shim.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { ms, printTable } from "./stats.js";

type Props = Record<string, unknown>;

function configuredShim(sim: Simulator): SrmProviderShim {
  const config: Record<string, string> = {
    "srm:host": sim.url,
    "srm:username": sim.credentials.username,
    "srm:password": sim.credentials.password,
    "srm:thumbprint": sim.thumbprintSha256,
  };
  const shim = new SrmProviderShim("recovery-step-callout");
  void shim.configure({ config: { get: (k: string) => config[k], require: (k: string) => config[k] } });
  return shim;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

async function runStack(count: number, planNames: string[]): Promise<string[]> {
  const sim = await startSimulator();
  try {
    clearSrmClients();
    const shim = configuredShim(sim);
    const inputs: Props[] = Array.from({ length: count }, (_, i) => ({
      pairingId: sim.ids.pairingId,
      planId: sim.ids.plans[planNames[i % planNames.length]!]!,
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: Math.floor(i / planNames.length),
      name: `Step ${i}`,
      content: `Check service ${i} before the next priority group.`,
      calloutType: "PROMPT",
    }));
    const [, previewMs] = await timed(() =>
      Promise.all(
        inputs.map(async (news) => {
          const checked = await shim.check({}, news);
          return shim.diff("", {}, checked.inputs ?? news);
        }),
      ),
    );
    const [created, upMs] = await timed(() =>
      Promise.all(inputs.map(async (news) => shim.create((await shim.check({}, news)).inputs ?? news))),
    );
    const heapAfterUp = process.memoryUsage().heapUsed;
    const [, refreshMs] = await timed(() => Promise.all(created.map((c) => shim.read(c.id, c.outs))));
    const [, destroyMs] = await timed(() => Promise.all(created.map((c) => shim.delete(c.id, c.outs))));
    const requests = sim.requests.length;
    return [
      `${count} callouts in ${planNames.length} plan${planNames.length > 1 ? "s" : ""}`,
      ms(previewMs),
      ms(upMs),
      ms(refreshMs),
      ms(destroyMs),
      String(requests),
      `${(heapAfterUp / 1024 / 1024).toFixed(1)} MiB`,
    ];
  } finally {
    clearSrmClients();
    await sim.close();
  }
}

/** Runs the stack benchmark and prints its figures. */
export async function runStackScaleBench(count = 40): Promise<void> {
  const rows = [
    await runStack(count, ["Tier1-Apps"]),
    await runStack(count, ["Tier1-Apps", "Tier2-DB", "Finance", "Legacy"]),
  ];
  printTable(
    "Stack of callouts through the provider (simulator tasks: 10 ms queued + 40 ms running)",
    ["stack", "preview", "up", "refresh", "destroy", "HTTP requests", "heap after up"],
    rows,
  );
}
