// The `site` input every resource takes: which configured SRM server (a name in `srm:sites`) the resource
// acts on. It selects a connection rather than describing the SRM object, so the registry handles it for all
// resources alike: checked against the stack config, echoed into the outputs (read and delete find the server
// from the state), and a change replaces the resource, since the object lives at another server.
import type * as pulumi from "@pulumi/pulumi";
import type { SettingsSnapshot } from "../config.js";
import { ConfigError } from "../config.js";
import { siteSettings } from "../sites-config.js";
import type { CheckFailure } from "./check-inputs.js";
import type { Props } from "./resource-implementation.js";
import { containsUnknown } from "./unknowns.js";

/** Inputs shared by every resource: which configured site it acts on. */
export interface SiteArgs {
  /**
   * Name of the SRM site in the stack config `srm:sites` (e.g. `siteB`, set with
   * `pulumi config set --path srm:sites.siteB.host ...`) this resource acts on; default: the single-site
   * settings (`srm:host` and the rest). Changing it replaces the resource.
   */
  site?: pulumi.Input<string>;
}

/** The `site` of a property bag, or undefined for the single-site settings. @internal */
export function siteOf(props: Props | undefined): string | undefined {
  const v = props?.site;
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The property bag without `site`, for the resource's own validation. @internal */
export function withoutSite(props: Props | undefined): Props {
  const { site: _site, ...rest } = props ?? {};
  return rest;
}

/** `props` with `site` added when one is set. @internal */
export function withSite<T extends Props | undefined>(props: T, site: string | undefined): T {
  if (site === undefined || props === undefined) return props;
  return { ...props, site } as T;
}

/** Check of the `site` input: a non-empty string naming a site whose settings are complete. @internal */
export function checkSite(news: Props, snapshot: SettingsSnapshot): CheckFailure[] {
  const v = news?.site;
  if (v === undefined || v === null || containsUnknown(v)) return [];
  if (typeof v !== "string" || v === "") {
    return [
      { property: "site", reason: "site: must be the name of a site in srm:sites (a non-empty string)" },
    ];
  }
  try {
    siteSettings(snapshot, v);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [{ property: "site", reason: `site: ${e.message}` }];
    throw e;
  }
}

/** Diff of `site`: another site means another SRM server, so the resource is replaced. @internal */
export function diffSite(
  olds: Props,
  news: Props,
  result: pulumi.dynamic.DiffResult,
): pulumi.dynamic.DiffResult {
  if (containsUnknown(news?.site)) {
    return { ...result, changes: true, replaces: [...(result.replaces ?? []), "site"] };
  }
  if (siteOf(olds) === siteOf(news)) return result;
  return { ...result, changes: true, replaces: [...(result.replaces ?? []), "site"] };
}
