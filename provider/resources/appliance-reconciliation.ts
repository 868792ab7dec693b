// ApplianceReconciliation: an action on a vCenter appliance (not SRM) after a file-based restore. It runs the
// reconciliation job once on create and waits for it; `triggers` run it again through replacement; delete
// does nothing. The appliance host and credentials are its own inputs, defaulting to stack config and env.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ReconciliationCreateSpec, ReconciliationJobInfo } from "../api/index.js";
import { isSrmError, registerSecret } from "../client/errors.js";
import { formatMessages, getApplianceClient, type ApplianceClient } from "../client/index.js";
import { applianceSettings, ConfigError, type ApplianceOverrides } from "../config.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import {
  optionalString,
  requiredString,
  resourceName,
  thumbprint,
  triggers,
} from "../dynamic/input-schemas.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import type { ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import { isSrmResource, resourceOptions } from "../dynamic/resource-options.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { statusReporter } from "../dynamic/task-progress.js";

/** Default `timeoutSeconds` of an ApplianceReconciliation. */
export const RECONCILIATION_TIMEOUT_SECONDS = 1800;

/** Validated ApplianceReconciliation inputs. @internal */
export const ReconciliationInputsSchema = z.object({
  resourceName,
  applianceHost: optionalString("vCenter appliance host name or URL"),
  applianceUsername: optionalString("vCenter appliance user"),
  appliancePassword: optionalString("password of applianceUsername"),
  applianceThumbprint: thumbprint("vCenter appliance certificate"),
  applianceCaCert: optionalString("PEM text or file of the CA that signed the appliance certificate"),
  applianceInsecure: z.boolean({ error: "must be true or false" }).optional(),
  ssoAdminUsername: requiredString("SSO administrator, e.g. administrator@vsphere.local"),
  ssoAdminPassword: requiredString("password of ssoAdminUsername"),
  ignoreWarnings: z.boolean({ error: "must be true or false" }).default(false),
  triggers,
  timeoutSeconds: z
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds greater than 0" })
    .positive({ error: "must be a whole number of seconds greater than 0" })
    .default(RECONCILIATION_TIMEOUT_SECONDS),
});
/**
 * ApplianceReconciliation inputs after validation, with `ignoreWarnings` and `timeoutSeconds`
 * defaulted. Unset appliance connection inputs fall back to stack config and environment later, when connecting.
 * @internal
 */
export type ReconciliationInputs = z.infer<typeof ReconciliationInputsSchema>;

/** The one place inputs become the wire body. @internal */
export function toReconciliationSpec(i: ReconciliationInputs): ReconciliationCreateSpec {
  return {
    ignore_warnings: i.ignoreWarnings,
    sso_admin_user_name: i.ssoAdminUsername,
    sso_admin_user_password: i.ssoAdminPassword,
  };
}

/** Inputs echoed into outputs (the passwords never are). */
const ECHOED_INPUTS = [
  "resourceName",
  "applianceHost",
  "applianceUsername",
  "applianceThumbprint",
  "applianceCaCert",
  "applianceInsecure",
  "ssoAdminUsername",
  "ignoreWarnings",
  "triggers",
  "timeoutSeconds",
] as const;

/**
 * The target and what the job does run it again; how to connect and how long to wait do not (a rotated
 * password must not re-run a reconciliation). Delete is a no-op, so the order of a replacement is free;
 * creating first keeps the record of the last run when the new one fails.
 * @internal
 */
export const RECONCILIATION_DIFF_RULES: DiffRules = {
  replace: ["applianceHost", "ssoAdminUsername", "ignoreWarnings", "triggers"],
  update: [
    "applianceUsername",
    "applianceThumbprint",
    "applianceCaCert",
    "applianceInsecure",
    "timeoutSeconds",
  ],
  deleteBeforeReplace: false,
};

const label = (props: Props | undefined) =>
  labelOf(
    "ApplianceReconciliation",
    props,
    `on ${String(props?.applianceHost ?? "the configured appliance")}`,
  );

function overridesOf(p: Props): ApplianceOverrides {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    applianceHost: str(p.applianceHost),
    applianceUsername: str(p.applianceUsername),
    appliancePassword: str(p.appliancePassword),
    applianceThumbprint: str(p.applianceThumbprint),
    applianceCaCert: str(p.applianceCaCert),
    applianceInsecure: typeof p.applianceInsecure === "boolean" ? p.applianceInsecure : undefined,
  };
}

function clientFor(ctx: ProviderContext, p: Props): { client: ApplianceClient; url: string } {
  const settings = applianceSettings(ctx.snapshot, overridesOf(p));
  registerSecret(settings.password);
  const client = getApplianceClient({
    url: settings.url,
    username: settings.username,
    password: settings.password,
    tls: settings.tls,
    log: (line: string) => ctx.log(line.startsWith("srm:") ? line : `srm: ${line}`),
  });
  return { client, url: settings.url };
}

function jobFacts(job: ReconciliationJobInfo): Props {
  return {
    jobStatus: job.status,
    startTime: job.start_time ?? undefined,
    endTime: job.end_time ?? undefined,
    messages: job.messages.map((m) => formatMessages([m])).filter((m) => m !== ""),
  };
}

/**
 * Runs the job, or joins the one already running (an earlier run whose result was never recorded started it,
 * and the appliance allows one at a time), and waits for it. A wait that stops before the end once the job
 * exists is a partial failure, so the engine records the run and the next `pulumi up` follows the same job.
 */
async function runReconciliation(
  ctx: ProviderContext,
  client: ApplianceClient,
  url: string,
  inputs: ReconciliationInputs,
  raw: Props,
  recordedId?: string,
): Promise<{ id: string; outs: Props }> {
  const current = await client.getReconciliationJob();
  let flavor = client.apiFlavor;
  let started: ReconciliationJobInfo;
  if (current?.status === "RUNNING") {
    ctx.log(
      `srm: ${label(raw)}: joining the reconciliation job already running since ${current.start_time ?? "?"}`,
    );
    started = current;
  } else if (
    recordedId !== undefined &&
    current?.status === "SUCCEEDED" &&
    recordedId.endsWith(`/${current.start_time}`)
  ) {
    started = current;
  } else {
    ({ job: started, flavor } = await client.createReconciliationJob(toReconciliationSpec(inputs)));
  }
  const id = recordedId ?? `${url}/reconciliation/${String(started.start_time ?? new Date().toISOString())}`;
  const record = (job: ReconciliationJobInfo): Props => ({
    ...pick(inputs as Props, ECHOED_INPUTS),
    applianceUrl: url,
    apiFlavor: flavor,
    ...jobFacts(job),
    schemaVersion: SCHEMA_VERSION,
  });
  const reporter = statusReporter(ctx.log);
  try {
    const job = await client.waitForReconciliation({
      timeoutMs: inputs.timeoutSeconds * 1000,
      onProgress: (j) =>
        reporter.report(
          j.status,
          `srm: ${label(raw)}: reconciliation job ${j.status}${j.progress != null ? ` ${j.progress}%` : ""}`,
        ),
    });
    return { id, outs: record(job) };
  } catch (e) {
    if (isSrmError(e) && e.code === "RECONCILIATION_FAILED") throw e;
    throw partialFailure(e, id, record({ ...started, status: "RUNNING" }), raw);
  }
}

/** ApplianceReconciliation implementation. @internal */
export const applianceReconciliationImplementation: ResourceImplementation = {
  typeName: "ApplianceReconciliation",

  async check(_olds, news) {
    return checkInputs(ReconciliationInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(ReconciliationInputsSchema, news);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      RECONCILIATION_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `running ${label(raw)}`;
    const inputs = parseInputs(ReconciliationInputsSchema, raw, what);
    registerSecret(inputs.ssoAdminPassword);
    registerSecret(inputs.appliancePassword);
    return withContext(what, async () => {
      const { client, url } = clientFor(ctx, inputs as Props);
      const run = await runReconciliation(ctx, client, url, inputs, raw);
      return { id: run.id, outs: run.outs };
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)}`, async () => {
      let client: ApplianceClient;
      try {
        ({ client } = clientFor(ctx, { ...old, applianceHost: old.applianceUrl ?? old.applianceHost }));
      } catch (e) {
        // The appliance password is an input that state does not keep: without it in config or the
        // environment the job cannot be read, and the record of the run stays as it is.
        if (e instanceof ConfigError) return { id, props: old };
        throw e;
      }
      const job = await client.getReconciliationJob();
      const outs: Props = job ? { ...old, ...jobFacts(job) } : old;
      // No inputs: none can change on the appliance, and returned inputs would replace the stored ones,
      // passwords included.
      return { id, props: outs };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)}`;
    const inputs = parseInputs(ReconciliationInputsSchema, news, what);
    const old = upgradeOutputs(olds ?? {});
    if (old.jobStatus === "SUCCEEDED" || old.jobStatus === undefined) {
      // Only connection settings and the timeout update in place; none of them changes anything on the appliance.
      return { outs: { ...old, ...pick(inputs as Props, ECHOED_INPUTS) } };
    }
    // A run recorded unfinished (its wait timed out or was cut off): follow the job to its end, or run it
    // again when the appliance no longer shows it running or succeeded.
    registerSecret(inputs.ssoAdminPassword);
    registerSecret(inputs.appliancePassword);
    return withContext(what, async () => {
      const { client, url } = clientFor(ctx, {
        ...inputs,
        applianceHost: inputs.applianceHost ?? old.applianceUrl,
      });
      const run = await runReconciliation(ctx, client, url, inputs, news, id);
      return { outs: run.outs };
    });
  },

  async delete() {
    // Documented no-op: a reconciliation cannot be undone; removing the resource only forgets the run.
  },
};

/** Arguments of an {@link ApplianceReconciliation}. */
export interface ApplianceReconciliationArgs {
  /** vCenter appliance host name or URL; default `srm:applianceHost` / SRM_APPLIANCE_HOST. Changing it runs again. */
  applianceHost?: pulumi.Input<string>;
  /** Appliance user; default `srm:applianceUsername` / SRM_APPLIANCE_USERNAME. */
  applianceUsername?: pulumi.Input<string>;
  /** Appliance password (secret, never returned); default `srm:appliancePassword` / SRM_APPLIANCE_PASSWORD. */
  appliancePassword?: pulumi.Input<string>;
  /** SHA-256 or SHA-1 thumbprint of the appliance certificate; default `srm:applianceThumbprint`. */
  applianceThumbprint?: pulumi.Input<string>;
  /** PEM text or file of the CA of the appliance certificate; default `srm:applianceCaCert`. */
  applianceCaCert?: pulumi.Input<string>;
  /** Skip certificate verification (warns); default `srm:applianceInsecure`, else false. */
  applianceInsecure?: pulumi.Input<boolean>;
  /** SSO administrator the job runs as, e.g. `administrator@vsphere.local`. Changing it runs again. */
  ssoAdminUsername: pulumi.Input<string>;
  /** Password of `ssoAdminUsername`. Always stored as a secret and never returned. */
  ssoAdminPassword: pulumi.Input<string>;
  /** Let the job continue past warnings; default false. Changing it runs again. */
  ignoreWarnings?: pulumi.Input<boolean>;
  /** Any values; when they change the reconciliation runs again (the resource is replaced). */
  triggers?: pulumi.Input<unknown[]>;
  /** Seconds to wait for the job; default 1800. On timeout the job may still be running on the appliance. */
  timeoutSeconds?: pulumi.Input<number>;
}

/**
 * Runs the vCenter appliance's post-restore reconciliation job once, on `pulumi up` (never in preview), and
 * waits for it; a FAILED job is an error carrying the job's messages. Uses `/api`, falling back to the
 * legacy `/rest` API on older appliances (`apiFlavor` tells which). Deleting the resource does nothing.
 */
export class ApplianceReconciliation extends pulumi.dynamic.Resource {
  /** Final job status (SUCCEEDED); refresh updates it when the appliance credentials are in config or env. */
  declare readonly jobStatus: pulumi.Output<string>;
  /** Which API answered: `api` or `rest`. */
  declare readonly apiFlavor: pulumi.Output<string>;
  /** When the job started (ISO-8601). */
  declare readonly startTime: pulumi.Output<string | undefined>;
  /** When the job ended (ISO-8601). */
  declare readonly endTime: pulumi.Output<string | undefined>;
  /** The job's messages. */
  declare readonly messages: pulumi.Output<string[]>;
  /** The appliance URL used, after config and environment defaults. */
  declare readonly applianceUrl: pulumi.Output<string>;
  /** Appliance host as given (unset when it came from config or the environment). */
  declare readonly applianceHost: pulumi.Output<string | undefined>;
  /** Appliance user as given. */
  declare readonly applianceUsername: pulumi.Output<string | undefined>;
  /** Appliance thumbprint as given. */
  declare readonly applianceThumbprint: pulumi.Output<string | undefined>;
  /** Appliance CA as given. */
  declare readonly applianceCaCert: pulumi.Output<string | undefined>;
  /** Whether verification was skipped, as given. */
  declare readonly applianceInsecure: pulumi.Output<boolean | undefined>;
  /** SSO administrator the job ran as. */
  declare readonly ssoAdminUsername: pulumi.Output<string>;
  /** Whether warnings were ignored. */
  declare readonly ignoreWarnings: pulumi.Output<boolean>;
  /** The triggers of the last run. */
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /** Seconds allowed for the job. */
  declare readonly timeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a ApplianceReconciliation, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is ApplianceReconciliation {
    return isSrmResource(obj, "ApplianceReconciliation");
  }

  constructor(name: string, args: ApplianceReconciliationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("appliance-reconciliation"),
      name,
      {
        ...args,
        appliancePassword:
          args.appliancePassword === undefined ? undefined : pulumi.secret(args.appliancePassword),
        ssoAdminPassword: pulumi.secret(args.ssoAdminPassword),
        resourceName: name,
        jobStatus: undefined,
        apiFlavor: undefined,
        startTime: undefined,
        endTime: undefined,
        messages: undefined,
        applianceUrl: undefined,
        schemaVersion: undefined,
      },
      {
        ...resourceOptions(name, opts, {
          type: "srm:ApplianceReconciliation",
          timeoutInput: "timeoutSeconds",
        }),
        additionalSecretOutputs: [
          ...(opts?.additionalSecretOutputs ?? []),
          "appliancePassword",
          "ssoAdminPassword",
        ],
      },
      "srm",
      "ApplianceReconciliation",
    );
  }
}
