/**
 * Runs a Pulumi program function in this process under `pulumi.runtime.setMocks` and hands every
 * resource it registers to a handler (tests and benchmarks forward them to the real provider host).
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN, type Props } from "./host-process.js";

/** The runtime's wire marker for secrets (`4dabf18193072939515e22adb298388d` = special signature key). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A resource as the program registered it. */
export interface RegisteredResource {
  /** Type token, e.g. `pulumi-nodejs:dynamic/srm:Pairing`. */
  type: string;
  name: string;
  urn: string;
  /** Inputs with secrets unwrapped and preview unknowns as {@link UNKNOWN}; includes `__provider`. */
  inputs: Props;
  /** Top-level input keys the program marked secret. */
  secretInputs: string[];
  /** `additionalSecretOutputs` the resource declared. */
  additionalSecretOutputs: string[];
  /** The `deleteBeforeReplace` resource option. */
  deleteBeforeReplace: boolean;
  /** Whether `__provider` arrived as a secret (it must not: a secret means a credential was captured). */
  providerIsSecret: boolean;
}

/** What the handler answers for a resource: its id and outputs (known ones only during a preview). */
export interface ResourceResult {
  id: string;
  outputs: Props;
}

/** A program output after the run: value (when known) and secret-ness. */
export interface SettledOutput {
  value: unknown;
  known: boolean;
  secret: boolean;
}

/** Options for {@link runProgram}. */
export interface RunProgramOptions {
  project?: string;
  stack?: string;
  /** Run as a preview: unknown outputs stay unknown. */
  preview?: boolean;
  /** Stack config (keys like `srm:host`). */
  config?: Record<string, string>;
  /** Config keys that are secret. */
  secretConfigKeys?: string[];
  /** Called for each registered resource, in registration order. */
  onResource: (res: RegisteredResource) => Promise<ResourceResult>;
  /** Invokes (`pulumi.runtime.invoke`), if the program makes any. */
  onCall?: (token: string, inputs: Props) => Promise<Props>;
}

/** Everything a program run produced. */
export interface ProgramRun {
  resources: (RegisteredResource & { id?: string; outputs?: Props })[];
  exports: Record<string, SettledOutput>;
}

function isSecretValue(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Mock inputs carry the runtime's `unknown` sentinel; the host expects the wire's unknown string. */
function toWire(v: unknown): unknown {
  if (pulumi.isUnknown(v)) return UNKNOWN;
  if (isSecretValue(v)) return toWire(v.value);
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]));
  }
  return v;
}

function secret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** The `Output` internals (`isKnown`, `isSecret`, `promise`) are the only way to see unknowns. */
interface OutputInternals {
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  promise(withUnknowns?: boolean): Promise<unknown>;
}

async function settle(v: unknown): Promise<SettledOutput> {
  const o = pulumi.output(v) as unknown as OutputInternals;
  const known = await o.isKnown;
  return { known, secret: await o.isSecret, value: known ? await o.promise() : undefined };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
}

/** `waitForRPCs` is exported by the runtime but missing from its type declarations. */
const waitForRPCs = (): Promise<void> =>
  (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

/** Program functions: return the stack outputs (or nothing). */
export type ProgramFn = () => unknown;

/**
 * Runs `program` with mocks that forward to `options.onResource`, waits for every registration,
 * and returns the registered resources and the settled exports. A handler failure fails the run
 * with the handler's message.
 */
export async function runProgram(program: ProgramFn, options: RunProgramOptions): Promise<ProgramRun> {
  const resources: ProgramRun["resources"] = [];
  const errors: Error[] = [];
  const pending: Promise<unknown>[] = [];
  const requestInfo = new Map<string, { aso: string[]; dbr: boolean }>();
  const project = options.project ?? "pulumi-srm-demo";
  const stack = options.stack ?? "dev";

  // The stack config is process-global in the runtime: put back what was there when the run ends.
  const runtime = pulumi.runtime as unknown as { isConfigSecret(k: string): boolean };
  const savedConfig = pulumi.runtime.allConfig();
  const savedSecretKeys = Object.keys(savedConfig).filter((k) => runtime.isConfigSecret(k));
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretConfigKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource: async (args: pulumi.runtime.MockResourceArgs) => {
        const rawInputs = args.inputs as Props;
        const info = requestInfo.get(`${args.type}::${args.name}`) ?? { aso: [], dbr: false };
        const res: ProgramRun["resources"][number] = {
          type: args.type,
          name: args.name,
          urn: `urn:pulumi:${stack}::${project}::${args.type}::${args.name}`,
          inputs: toWire(rawInputs) as Props,
          secretInputs: Object.keys(rawInputs).filter((k) => isSecretValue(rawInputs[k])),
          additionalSecretOutputs: info.aso,
          deleteBeforeReplace: info.dbr,
          providerIsSecret: isSecretValue(rawInputs.__provider),
        };
        resources.push(res);
        const work = options.onResource(res).then((r) => {
          res.id = r.id;
          res.outputs = r.outputs;
          const secretKeys = new Set([...res.secretInputs, ...res.additionalSecretOutputs]);
          const state = Object.fromEntries(
            Object.entries(r.outputs).map(([k, v]) => [k, secretKeys.has(k) ? secret(v) : v]),
          );
          return { id: r.id, state };
        });
        pending.push(
          work.catch((err: unknown) => errors.push(err instanceof Error ? err : new Error(String(err)))),
        );
        return work;
      },
      call: async (args: pulumi.runtime.MockCallArgs) => {
        if (!options.onCall)
          throw new Error(`the program invoked ${args.token}, which this engine does not provide`);
        return options.onCall(args.token, toWire(args.inputs) as Props);
      },
    },
    project,
    stack,
    options.preview ?? false,
  );

  // The mock monitor does not pass resource options on; read them from the request itself.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: unknown): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    requestInfo.set(`${req.getType()}::${req.getName()}`, {
      aso: req.getAdditionalsecretoutputsList(),
      dbr: req.getDeletebeforereplace(),
    });
    register(req, cb);
  };

  // A failed registration also rejects promises inside the Pulumi runtime that nobody awaits; collect those
  // for the run instead of letting them crash the process (the handler's own error is reported instead).
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => void rejections.push(reason);
  const saved = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onRejection);

  let exportsValue: unknown;
  let programError: unknown;
  try {
    try {
      exportsValue = await program();
    } catch (err) {
      programError = err;
    }
    await waitForRPCs();
    // Registrations started by resources resolved late (inputs depending on other outputs) end up here.
    for (let seen = -1; seen !== pending.length;) {
      seen = pending.length;
      await Promise.all(pending);
      await waitForRPCs();
    }
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    pulumi.runtime.setAllConfig(savedConfig, savedSecretKeys);
    process.removeListener("unhandledRejection", onRejection);
    for (const l of saved) process.on("unhandledRejection", l);
  }
  if (errors.length > 0) throw errors[0];
  if (programError !== undefined) throw programError;
  if (rejections.length > 0) throw rejections[0];

  const exports: Record<string, SettledOutput> = {};
  if (exportsValue && typeof exportsValue === "object") {
    for (const [k, v] of Object.entries(exportsValue)) exports[k] = await settle(v);
  }
  return { resources, exports };
}
