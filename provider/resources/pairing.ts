// Pairing: the local SRM site paired with a remote one. Create pairs (or adopts an existing pairing to the
// same remote vCenter), update reconnects with new credentials or endpoints, delete breaks the pairing.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Pairing as WirePairing, PairingSpec } from "../api/index.js";
import type { GetPairingResult } from "../lookups/pairing-and-plan.js";
import { registerSecret, srmRefused } from "../client/errors.js";
import { requireRemoteCredentials } from "../config.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { CreateJournal, ownIds } from "../dynamic/create-journal.js";
import {
  boundedInt,
  journalKey,
  optionalString,
  requiredString,
  resourceName,
  sameThumbprint,
  taskTimeout,
  thumbprint,
} from "../dynamic/input-schemas.js";
import { srmClientFor } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import {
  readByIdOptions,
  resourceClassArgs,
  type GetOptions,
  type ResourceClassSpec,
} from "../dynamic/resource-class.js";
import { isSrmResource } from "../dynamic/resource-options.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { isNotFound, withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { matchesDigest, newSalt, secretDigest } from "../dynamic/secret-digest.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a Pairing. */
export const PAIRING_TASK_TIMEOUT_SECONDS = 600;

/** Validated Pairing inputs (camelCase, defaults applied). @internal */
export const PairingInputsSchema = z.object({
  resourceName,
  journalKey,
  remoteVcGuid: requiredString("instance UUID of the remote vCenter Server"),
  pscUrl: requiredString("host name or URL of the remote Platform Services Controller"),
  pscPort: boundedInt(1, 65535, "TCP port of the remote Platform Services Controller").default(443),
  pscThumbprint: thumbprint("remote Platform Services Controller certificate"),
  pscUsername: requiredString("SSO administrator of the remote site"),
  pscPassword: requiredString("password of pscUsername"),
  srmUrl: optionalString("URL of the remote SRM server"),
  srmThumbprint: thumbprint("remote SRM server certificate"),
  taskTimeoutSeconds: taskTimeout(PAIRING_TASK_TIMEOUT_SECONDS),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});
/** Pairing inputs after validation, with `pscPort` and `taskTimeoutSeconds` defaulted. @internal */
export type PairingInputs = z.infer<typeof PairingInputsSchema>;

/** The one place camelCase inputs become the snake_case wire body (create and reconnect). @internal */
export function toPairingSpec(i: PairingInputs): PairingSpec {
  return {
    pair_psc_info: {
      url: i.pscUrl,
      port: i.pscPort,
      thumbprint: i.pscThumbprint ?? null,
      username: i.pscUsername,
      password: i.pscPassword,
    },
    pair_vc_guid: i.remoteVcGuid,
    ...(i.srmUrl !== undefined ? { pair_srm_url: i.srmUrl } : {}),
    ...(i.srmThumbprint !== undefined ? { pair_srm_thumbprint: i.srmThumbprint } : {}),
  };
}

/** Inputs that are echoed into outputs (everything but the password). */
const ECHOED_INPUTS = [
  "resourceName",
  "journalKey",
  "remoteVcGuid",
  "pscUrl",
  "pscPort",
  "pscThumbprint",
  "pscUsername",
  "srmUrl",
  "srmThumbprint",
  "taskTimeoutSeconds",
  "adopt",
] as const;

/** Inputs whose change needs a reconnect; the rest only change this provider's behaviour. */
const RECONNECT_FIELDS = [
  "pscUrl",
  "pscPort",
  "pscThumbprint",
  "pscUsername",
  "pscPassword",
  "srmUrl",
  "srmThumbprint",
];

const sameGuid = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * remoteVcGuid replaces; deleteBeforeReplace because a replacement to the same remote (e.g. a guid that was
 * unknown at preview) would otherwise adopt the old pairing and then delete it with the old resource.
 * @internal
 */
export const PAIRING_DIFF_RULES: DiffRules = {
  replace: ["remoteVcGuid"],
  update: [...RECONNECT_FIELDS, "taskTimeoutSeconds", "adopt"],
  deleteBeforeReplace: true,
  comparers: {
    remoteVcGuid: sameGuid,
    pscThumbprint: sameThumbprint,
    srmThumbprint: sameThumbprint,
    // State from before `adopt` existed has none: that is the default, false.
    adopt: (a, b) => Boolean(a) === Boolean(b),
    // No stored digest (state from elsewhere): the password cannot be compared, so it counts as unchanged.
    pscPassword: (_old, value, olds) =>
      typeof olds.pscPasswordSalt !== "string" || typeof olds.pscPasswordDigest !== "string"
        ? true
        : typeof value === "string" && matchesDigest(value, olds.pscPasswordSalt, olds.pscPasswordDigest),
  },
};

/** The pairing to a remote vCenter, leaving out the local self-pairing that SRM lists too. @internal */
export function findPairingByRemote(
  pairings: readonly WirePairing[],
  remoteVcGuid: string,
): WirePairing | undefined {
  return pairings.find(
    (p) =>
      sameGuid(p.remote_vc_server?.id, remoteVcGuid) &&
      !sameGuid(p.local_vc_server?.id, p.remote_vc_server?.id),
  );
}

/** Server facts of a pairing, as outputs of the resource and results of the `getPairing` lookup. @internal */
export function serverFacts(p: WirePairing): Omit<GetPairingResult, "remoteVcGuid"> {
  return {
    pairingId: p.pairing_id,
    remoteVcName: p.remote_vc_server?.name,
    localVcGuid: p.local_vc_server?.id,
    localVcName: p.local_vc_server?.name,
    remoteSrmName: p.remote_srm_server?.name,
    localVcServerStatus: p.local_vc_server?.server_status,
    remoteVcServerStatus: p.remote_vc_server?.server_status,
    localSrmServerStatus: p.local_srm_server?.server_status,
    remoteSrmServerStatus: p.remote_srm_server?.server_status,
  };
}

function outputsOf(inputs: PairingInputs, salt: string, pairing: WirePairing, extra: Props): Props {
  return {
    ...pick(inputs as Props, ECHOED_INPUTS),
    pscPasswordSalt: salt,
    pscPasswordDigest: secretDigest(inputs.pscPassword, salt),
    ...serverFacts(pairing),
    ...extra,
    schemaVersion: SCHEMA_VERSION,
  };
}

function describePairings(pairings: readonly WirePairing[]): string {
  const remote = pairings.filter((p) => !sameGuid(p.local_vc_server?.id, p.remote_vc_server?.id));
  if (remote.length === 0) return "none";
  return remote
    .map(
      (p) =>
        `${p.remote_vc_server?.name ?? "?"} (guid ${p.remote_vc_server?.id ?? "?"}, pairing ${p.pairing_id})`,
    )
    .join(", ");
}

const label = (props: Props | undefined) =>
  labelOf("Pairing", props, `to remote vCenter ${String(props?.remoteVcGuid ?? "?")}`);

function parse(news: Props, what: string): PairingInputs {
  const inputs = parseInputs(PairingInputsSchema, news, what);
  registerSecret(inputs.pscPassword);
  return inputs;
}

/** Pairing implementation: check, diff, create, read, update, delete. @internal */
export const pairingImplementation: ResourceImplementation = {
  typeName: "Pairing",

  async check(_olds, news) {
    return checkInputs(PairingInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(PairingInputsSchema, news);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      PAIRING_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)}`;
    const inputs = parse(raw, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const salt = newSalt();
      const journal = new CreateJournal(inputs.journalKey, `${client.url}|pairings`);
      if (journal.read()?.pending) {
        // An earlier create of this resource was not seen to finish: its pair task may still run in SRM, and
        // the pairing it makes shows only once it ends.
        const running = (await client.listTasks()).filter(
          (t) =>
            (t.status === "QUEUED" || t.status === "RUNNING") &&
            /pairing\.create/.test(t.description_id ?? ""),
        );
        for (const t of running) {
          ctx.log(`srm: ${label(raw)}: waiting for SRM task ${t.id} (${t.description}) to finish first`);
          await client
            .waitForTask(t, { timeoutMs: inputs.taskTimeoutSeconds * 1000, what: label(raw) })
            .catch(() => undefined);
        }
      }
      const before = await client.listPairings();
      const existing = findPairingByRemote(before, inputs.remoteVcGuid);
      if (existing) {
        // Made by an earlier create of this resource whose outcome no engine saw (lost answer, killed run):
        // this resource's, found by the pairing ids recorded before that create.
        const [mine] = await ownIds(
          journal.read(),
          before.map((p) => p.pairing_id),
          (id) => id === existing.pairing_id,
        );
        if (mine === existing.pairing_id) {
          journal.set([mine]);
          ctx.log(`srm: ${label(raw)}: found pairing ${mine}, made by an earlier create of this resource`);
          return { id: mine, outs: outputsOf(inputs, salt, existing, { adopted: false }) };
        }
        if (!inputs.adopt) {
          throw new Error(
            `the local site is already paired with remote vCenter ${inputs.remoteVcGuid} ` +
              `(${existing.remote_vc_server?.name ?? "?"}, pairing ${existing.pairing_id}) and no resource of this ` +
              `stack manages that pairing. To manage it with this resource, set \`adopt: true\` (then ` +
              `\`pulumi destroy\` breaks the pairing; set the \`retainOnDelete\` resource option to keep it), or look ` +
              `it up with \`getPairing\` instead.`,
          );
        }
        // Adoption instead of a duplicate: `pulumi import` does not work for dynamic resources.
        ctx.log(
          `srm: ${label(raw)}: adopted existing pairing ${existing.pairing_id} to ${inputs.remoteVcGuid}`,
        );
        journal.set([existing.pairing_id]);
        return { id: existing.pairing_id, outs: outputsOf(inputs, salt, existing, { adopted: true }) };
      }
      journal.begin(
        before.map((p) => p.pairing_id),
        `pairing to ${inputs.remoteVcGuid}`,
      );
      let done;
      try {
        const task = await client.createPairing(toPairingSpec(inputs));
        done = await waitWithProgress(client, task, {
          label: label(raw),
          timeoutSeconds: inputs.taskTimeoutSeconds,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
      } catch (e) {
        if (srmRefused(e)) journal.cancel();
        throw e;
      }
      const pairings = await client.listPairings();
      const created = findPairingByRemote(pairings, inputs.remoteVcGuid);
      if (!created) {
        throw new Error(
          `task ${done.id} succeeded but no pairing to remote vCenter ${inputs.remoteVcGuid} is listed ` +
            `(pairings: ${describePairings(pairings)}). Check the pairing in the SRM UI, then run \`pulumi up\` again.`,
        );
      }
      journal.set([created.pairing_id]);
      return {
        id: created.pairing_id,
        outs: outputsOf(inputs, salt, created, { adopted: false, taskId: done.id }),
      };
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (pairing ${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const pairing = await client.getPairing(id);
      if (!pairing) return {};
      const outs: Props = {
        ...old,
        remoteVcGuid: pairing.remote_vc_server?.id ?? old.remoteVcGuid,
        ...serverFacts(pairing),
      };
      // No inputs: SRM shows none of them back (and never the password), and the engine replaces the stored
      // inputs with whatever read returns, so returning them would drop pscPassword from state.
      return { id, props: outs };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} (pairing ${id})`;
    const inputs = parse(news, what);
    const old = upgradeOutputs(olds ?? {});
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const { changed } = diffFields(old, inputs as Props, PAIRING_DIFF_RULES);
      let taskId = old.taskId;
      if (changed.some((f) => RECONNECT_FIELDS.includes(f))) {
        const task = await client.reconnectPairing(id, toPairingSpec(inputs));
        const done = await waitWithProgress(client, task, {
          label: label(news),
          timeoutSeconds: inputs.taskTimeoutSeconds,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
        taskId = done.id;
      }
      const pairing = await client.getPairing(id);
      if (!pairing) {
        throw new Error(
          `pairing ${id} no longer exists in SRM. Run \`pulumi refresh\`, then \`pulumi up\` to pair again.`,
        );
      }
      const salt = typeof old.pscPasswordSalt === "string" ? old.pscPasswordSalt : newSalt();
      return { outs: outputsOf(inputs, salt, pairing, { adopted: old.adopted ?? false, taskId }) };
    });
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    const what = `deleting ${label(old)} (pairing ${id})`;
    await withContext(what, async () => {
      const { client, settings } = srmClientFor(ctx);
      const journal = new CreateJournal(
        typeof old.journalKey === "string" ? old.journalKey : undefined,
        `${client.url}|pairings`,
      );
      if (!(await client.getPairing(id))) {
        journal.remove();
        return;
      }
      requireRemoteCredentials(settings, "Breaking a pairing");
      try {
        await client.remoteLogin(id);
        const task = await client.deletePairing(id);
        await waitWithProgress(client, task, {
          label: label(old),
          timeoutSeconds:
            typeof old.taskTimeoutSeconds === "number"
              ? old.taskTimeoutSeconds
              : PAIRING_TASK_TIMEOUT_SECONDS,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      journal.remove();
    });
  },
};

const PAIRING_CLASS: ResourceClassSpec = {
  typeName: "Pairing",
  deleteBeforeReplace: true,
  timeoutInput: "taskTimeoutSeconds",
  inputs: {
    site: undefined,
    remoteVcGuid: undefined,
    pscUrl: undefined,
    pscPort: undefined,
    pscThumbprint: undefined,
    pscUsername: undefined,
    pscPassword: undefined,
    srmUrl: undefined,
    srmThumbprint: undefined,
    taskTimeoutSeconds: undefined,
    adopt: undefined,
  } satisfies Record<keyof PairingArgs, undefined>,
  outputs: [
    "pairingId",
    "remoteVcName",
    "localVcGuid",
    "localVcName",
    "remoteSrmName",
    "localVcServerStatus",
    "remoteVcServerStatus",
    "localSrmServerStatus",
    "remoteSrmServerStatus",
    "adopted",
    "taskId",
    "pscPasswordSalt",
    "pscPasswordDigest",
    "schemaVersion",
  ],
};

/** Arguments of a {@link Pairing}. */
export interface PairingArgs extends SiteArgs {
  /** Instance UUID of the remote vCenter Server to pair with. Changing it replaces the pairing. */
  remoteVcGuid: pulumi.Input<string>;
  /** Host name or URL of the remote site's Platform Services Controller (SSO). Changing it reconnects. */
  pscUrl: pulumi.Input<string>;
  /** TCP port of the remote Platform Services Controller; default 443. Changing it reconnects. */
  pscPort?: pulumi.Input<number>;
  /** SHA-256 or SHA-1 thumbprint of the remote PSC certificate (hex, colons optional). Changing it reconnects. */
  pscThumbprint?: pulumi.Input<string>;
  /** SSO administrator of the remote site, e.g. `administrator@vsphere.local`. Changing it reconnects. */
  pscUsername: pulumi.Input<string>;
  /** Password of `pscUsername`. Always stored as a secret and never returned; changing it reconnects. */
  pscPassword: pulumi.Input<string>;
  /** URL of the remote SRM server, when SRM cannot find it through the PSC. Changing it reconnects. */
  srmUrl?: pulumi.Input<string>;
  /** Thumbprint of the remote SRM server certificate (hex, colons optional). Changing it reconnects. */
  srmThumbprint?: pulumi.Input<string>;
  /**
   * Seconds to wait for SRM's pair, reconnect and unpair tasks; default 600. On timeout the task may still be
   * running in SRM. Changing it changes nothing in SRM.
   */
  taskTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing pairing to the same remote vCenter instead of failing. Default false: a pairing that
   * exists already (and that no earlier create of this resource made) is an error, so no pairing is ever
   * managed twice. Once adopted, the pairing is this resource's: `pulumi destroy` breaks it (with the remote
   * site's credentials); set the `retainOnDelete` resource option to keep it, or use `getPairing` to refer to a
   * pairing without managing it.
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * A pairing of the local SRM site with a remote site. An existing pairing to the same remote vCenter is taken
 * over only with `adopt: true` (`adopted` tells which happened); deleting it breaks the pairing, which needs
 * the remote site's credentials (`srm:remoteUsername`, `srm:remotePassword`).
 */
export class Pairing extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the pairing; also the resource id. */
  declare readonly pairingId: pulumi.Output<string>;
  /** Instance UUID of the remote vCenter Server. */
  declare readonly remoteVcGuid: pulumi.Output<string>;
  /** Name of the remote vCenter Server, as SRM reports it. */
  declare readonly remoteVcName: pulumi.Output<string | undefined>;
  /** Instance UUID of the local vCenter Server. */
  declare readonly localVcGuid: pulumi.Output<string | undefined>;
  /** Name of the local vCenter Server. */
  declare readonly localVcName: pulumi.Output<string | undefined>;
  /** Name of the remote SRM server. */
  declare readonly remoteSrmName: pulumi.Output<string | undefined>;
  /** Connection status of the local vCenter Server: OK, WARNING or ERROR. */
  declare readonly localVcServerStatus: pulumi.Output<string | undefined>;
  /** Connection status of the remote vCenter Server: OK, WARNING or ERROR. */
  declare readonly remoteVcServerStatus: pulumi.Output<string | undefined>;
  /** Connection status of the local SRM server: OK, WARNING or ERROR. */
  declare readonly localSrmServerStatus: pulumi.Output<string | undefined>;
  /** Connection status of the remote SRM server: OK, WARNING or ERROR. */
  declare readonly remoteSrmServerStatus: pulumi.Output<string | undefined>;
  /** True when the pairing already existed and was adopted rather than created. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Id of the last SRM task that paired or reconnected (unset for an adopted pairing). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** Host name or URL of the remote Platform Services Controller. */
  declare readonly pscUrl: pulumi.Output<string>;
  /** TCP port of the remote Platform Services Controller. */
  declare readonly pscPort: pulumi.Output<number>;
  /** Thumbprint of the remote PSC certificate, as given. */
  declare readonly pscThumbprint: pulumi.Output<string | undefined>;
  /** SSO administrator of the remote site. */
  declare readonly pscUsername: pulumi.Output<string>;
  /** URL of the remote SRM server, as given. */
  declare readonly srmUrl: pulumi.Output<string | undefined>;
  /** Thumbprint of the remote SRM server certificate, as given. */
  declare readonly srmThumbprint: pulumi.Output<string | undefined>;
  /** Seconds allowed for SRM tasks. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Random salt of {@link pscPasswordDigest}. */
  declare readonly pscPasswordSalt: pulumi.Output<string>;
  /** Salted HMAC-SHA256 of the PSC password (secret), so a changed password is detected without storing it. */
  declare readonly pscPasswordDigest: pulumi.Output<string>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a Pairing, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is Pairing {
    return isSrmResource(obj, "Pairing");
  }

  /**
   * An existing SRM pairing, by its id (the SRM pairing id), as a resource of this stack. The stack reads it (and refresh re-reads it) but never changes or deletes it.
   * @param name - Name of the resource in the stack.
   * @param id - Its resource id.
   * @param opts - Resource options (`id` is set from the argument), and `site`: the site in `srm:sites` whose SRM
   *   server holds the object (default: the single-site settings).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: GetOptions): Pairing {
    return new Pairing(name, undefined, readByIdOptions(id, opts));
  }

  constructor(name: string, args: PairingArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    const c = resourceClassArgs(PAIRING_CLASS, name, args, opts);
    super(
      shimFor("pairing"),
      name,
      { ...c.props, pscPassword: args ? pulumi.secret(args.pscPassword) : undefined },
      {
        ...c.opts,
        additionalSecretOutputs: [
          ...(opts?.additionalSecretOutputs ?? []),
          "pscPassword",
          "pscPasswordDigest",
        ],
      },
      "srm",
      "Pairing",
    );
  }
}
