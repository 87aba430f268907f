// Traffic selectors: which subnets each peer protects, and how the two agree on them.
//
//   gateway  local L_g  ===  remote R_g      (subnets, policy rules, or 0.0.0.0/0 route-based)
//   device   local L_d  ===  remote R_d      (L_d = device.subnets, else R_g; R_d mirrors L_g)
//
// IKEv2 (RFC 7296 §2.9): the responder may narrow what the initiator proposes to the part its
// own policy allows; only when nothing is left is the answer TS_UNACCEPTABLE. The result is the
// intersection of both configurations whoever initiates. charon narrows IKEv1 quick-mode
// selectors the same way (observed with 5.9.8), so both versions share the rule.

import type { IkeVersion } from '../../../domain/algorithms.ts';
import { cidrContains, normalizeCidrs, parseCidr } from '../../../domain/cidr.ts';
import type { TunnelIntent } from '../../driver.ts';
import type { Role } from './outcome.ts';

export const ANY = '0.0.0.0/0';

export interface SelectorSide {
  local: string[];
  remote: string[];
}

export type TsAgreement = { ok: true; local: string[]; remote: string[]; narrowed: boolean } | { ok: false; detail: string };

/** Parses, normalises (host bits cleared) and de-duplicates; malformed entries are dropped. */
export function normalizeSubnets(subnets: readonly string[]): string[] {
  return normalizeCidrs(subnets);
}

function orAny(subnets: readonly string[]): string[] {
  const normalized = normalizeSubnets(subnets);
  return normalized.length > 0 ? normalized : [ANY];
}

/** The gateway's selectors, as the charon config has them: the intent's subnets (route-based
 *  tunnels carry 0.0.0.0/0 unless LocalIpv4NetworkCidr/RemoteIpv4NetworkCidr narrow them). */
export function gatewaySelectors(intent: TunnelIntent): SelectorSide {
  if (intent.style !== 'static' && intent.style !== 'bgp' && intent.policyRules.length > 0) {
    return {
      local: orAny(intent.policyRules.map((r) => r.source)),
      remote: orAny(intent.policyRules.flatMap((r) => r.destinations)),
    };
  }
  return { local: orAny(intent.local.subnets), remote: orAny(intent.remote.subnets) };
}

/** The device protects its own subnets when the profile names them; otherwise it mirrors the gateway. */
export function deviceSelectors(intent: TunnelIntent, gateway: SelectorSide): SelectorSide {
  const own = intent.device?.subnets;
  return { local: own && own.length > 0 ? orAny(own) : [...gateway.remote], remote: [...gateway.local] };
}

/** The parts of `a` that `b` also covers, in `a`'s order (CIDR blocks either nest or are disjoint). */
export function intersectSubnets(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    const cx = parseCidr(x, false)!;
    for (const y of b) {
      const cy = parseCidr(y, false)!;
      const inner = cidrContains(cx, cy) ? y : cidrContains(cy, cx) ? x : null;
      if (inner !== null && !out.includes(inner)) out.push(inner);
    }
  }
  return out;
}

/** Whether every block of `inner` lies inside some block of `outer`. */
export function coversSubnets(outer: readonly string[], inner: readonly string[]): boolean {
  return inner.every((i) => outer.some((o) => cidrContains(parseCidr(o, false)!, parseCidr(i, false)!)));
}

function list(subnets: readonly string[]): string {
  return subnets.join(', ');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** "10.0.0.0/16 === 10.1.0.0/16", as charon prints a CHILD_SA's selectors. */
export function formatSelectors(side: SelectorSide): string {
  return `${list(side.local)} === ${list(side.remote)}`;
}

/**
 * Agreed selectors from the gateway's side, or why the responder refuses them. Both versions
 * narrow to the intersection of both configurations, whoever initiates (charon narrows IKEv1
 * quick-mode selectors too); only when nothing is left is the answer TS_UNACCEPTABLE.
 */
export function agreeSelectors(gateway: SelectorSide, device: SelectorSide, _version: IkeVersion, _initiator: Role): TsAgreement {
  const remote = intersectSubnets(gateway.remote, device.local);
  if (remote.length === 0) {
    return {
      ok: false,
      detail: `device local subnets ${list(device.local)} do not overlap gateway remote subnets ${list(gateway.remote)}`,
    };
  }
  const local = intersectSubnets(gateway.local, device.remote);
  if (local.length === 0) {
    return {
      ok: false,
      detail: `gateway local subnets ${list(gateway.local)} do not overlap device remote subnets ${list(device.remote)}`,
    };
  }
  return { ok: true, local, remote, narrowed: !sameSet(local, gateway.local) || !sameSet(remote, gateway.remote) };
}
