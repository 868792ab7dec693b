// IP subnet rules of a network mapping as programs write them (camelCase, one flat object per rule), checked
// without the network, and their wire form (SRM's IPMapping / SubnetRule).
import { isIP } from "node:net";
import { z } from "zod";
import type { IpMapping, SubnetRule } from "../api/index.js";

/** True for `10.1.0.0/24` or `fd00::/64` (SRM takes only CIDR notation). */
export function isCidr(value: string): boolean {
  const [address, prefix, extra] = value.split("/");
  const family = isIP(address ?? "");
  return (
    extra === undefined &&
    family !== 0 &&
    /^\d{1,3}$/.test(prefix ?? "") &&
    Number(prefix) <= (family === 4 ? 32 : 128)
  );
}

const cidr = (what: string) =>
  z
    .string({ error: `must be a subnet in CIDR notation such as 10.1.0.0/24 (${what})` })
    .refine(isCidr, { error: `must be a subnet in CIDR notation such as 10.1.0.0/24 (${what})` });
const ip = (what: string) =>
  z
    .string({ error: `must be an IP address (${what})` })
    .refine((v) => isIP(v) !== 0, { error: `must be an IP address (${what})` });

/** One rule: VMs recovered from `localSubnet` get an address in `remoteSubnet` with these settings. @internal */
export const IpSubnetRuleSchema = z.strictObject({
  name: z.string({ error: "must be a string (name of the rule)" }).min(1, { error: "must not be empty" }),
  localSubnet: cidr("subnet at the protected site"),
  remoteSubnet: cidr("subnet at the recovery site"),
  defaultGateway: ip("default gateway at the recovery site").optional(),
  alternateGateway: ip("alternate gateway at the recovery site").optional(),
  dnsServers: z.array(ip("DNS server")).max(2, { error: "at most 2 (preferred and alternate)" }).optional(),
  dnsSuffixes: z.array(z.string().min(1)).optional(),
});
/** One IP subnet rule after validation (also how outputs and refresh show it). */
export interface IpSubnetRule {
  /** Name of the rule; unique within the mapping. */
  name: string;
  /** Subnet of the VMs at the protected site, in CIDR notation. */
  localSubnet: string;
  /** Subnet they get at the recovery site, in CIDR notation. */
  remoteSubnet: string;
  /** Default gateway at the recovery site. */
  defaultGateway?: string;
  /** Alternate gateway at the recovery site. */
  alternateGateway?: string;
  /** DNS servers at the recovery site: preferred, then alternate. */
  dnsServers?: string[];
  /** DNS suffixes, in order of preference. */
  dnsSuffixes?: string[];
}

/** The rules of a mapping; names must be unique so refresh can tell them apart. @internal */
export const IpSubnetRulesSchema = z
  .array(IpSubnetRuleSchema, { error: "must be a list of rules" })
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.name))
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate rule name "${r.name}"` });
      seen.add(r.name);
    });
  });

/** The wire body of `PUT .../ip-subnet-mapping`. @internal */
export function toIpMapping(name: string, rules: IpSubnetRule[]): IpMapping {
  return {
    name,
    rules: rules.map((r): SubnetRule => ({
      name: r.name,
      local_subnet: r.localSubnet,
      remote_subnet: r.remoteSubnet,
      remote_ip_settings: {
        ip_v4: { default_gateway: r.defaultGateway ?? null, alternate_gateway: r.alternateGateway ?? null },
        ...(r.dnsServers || r.dnsSuffixes
          ? {
              dns: {
                type: "STATIC" as const,
                preferred_server: r.dnsServers?.[0] ?? null,
                alternate_server: r.dnsServers?.[1] ?? null,
                suffixes: r.dnsSuffixes ?? null,
              },
            }
          : {}),
      },
    })),
  };
}

/** Rules as SRM reports them, in the input shape (for refresh). @internal */
export function fromIpMapping(mapping: IpMapping | undefined): IpSubnetRule[] {
  return (mapping?.rules ?? []).map((r) => {
    const v4 = r.remote_ip_settings?.ip_v4;
    const dns = r.remote_ip_settings?.dns;
    const servers = [dns?.preferred_server, dns?.alternate_server].filter((s): s is string => !!s);
    const suffixes = (dns?.suffixes ?? []).filter((s): s is string => !!s);
    const rule: IpSubnetRule = {
      name: r.name ?? "",
      localSubnet: r.local_subnet ?? "",
      remoteSubnet: r.remote_subnet ?? "",
    };
    if (v4?.default_gateway) rule.defaultGateway = v4.default_gateway;
    if (v4?.alternate_gateway) rule.alternateGateway = v4.alternate_gateway;
    if (servers.length > 0) rule.dnsServers = servers;
    if (suffixes.length > 0) rule.dnsSuffixes = suffixes;
    return rule;
  });
}
