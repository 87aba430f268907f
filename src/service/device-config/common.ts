// What every device-configuration generator takes, and the rules they share.
import type { Encryption, IkeVersion, Integrity } from '../../domain/algorithms.ts';
import type { CustomerGateway, Tunnel, VpnConnection, VpnGateway } from '../../domain/entities.ts';

/** How a text generator spells algorithm names (a dialect's own table; default: the domain's). */
export interface AlgorithmSpelling {
  encryption(e: Encryption): string;
  integrity(i: Integrity): string;
  ikeVersion(v: IkeVersion): string;
}

export const DOMAIN_SPELLING: AlgorithmSpelling = {
  encryption: (e) => e,
  integrity: (i) => i,
  ikeVersion: (v) => (v === 'v1' ? 'IKEv1' : 'IKEv2'),
};

export interface DeviceConfigInput {
  connection: VpnConnection;
  gateway: VpnGateway;
  cgw: CustomerGateway;
  /** IKE version to configure; default: each tunnel's preferred (first allowed) version. */
  ikeVersion?: IkeVersion;
  /**
   * The pre-shared key to write for a tunnel. Without it (the default), or when it answers
   * undefined, the configuration names a placeholder instead and says so.
   */
  psk?: (tunnel: Tunnel) => string | undefined;
  /** Algorithm names in text meant for people (the swanctl.conf keywords are strongSwan's own). */
  spelling?: AlgorithmSpelling;
}

/** The placeholder written instead of a tunnel's pre-shared key. */
export function pskPlaceholder(t: Tunnel): string {
  return `REPLACE_WITH_TUNNEL${t.index + 1}_PSK`;
}

/** The key to write for each tunnel, or undefined where the placeholder goes. */
export function pskOf(input: DeviceConfigInput, t: Tunnel): string | undefined {
  return input.psk?.(t);
}

/** The version a sample writes for a tunnel: the one asked for, else the tunnel's preferred one. */
export function sampleIkeVersion(t: Tunnel, asked?: IkeVersion): IkeVersion {
  return asked ?? t.ike.versions[0];
}

/** Rekey timing from the customer's side: start `margin` before expiry, randomised by `fuzz` %. */
export function rekeyTiming(lifetime: number, marginSeconds: number, fuzzPercent: number) {
  const margin = marginSeconds > 0 && marginSeconds < lifetime ? marginSeconds : Math.max(1, Math.round(lifetime / 10));
  return { rekey: lifetime - margin, margin, rand: Math.round((margin * Math.min(100, Math.max(0, fuzzPercent))) / 100) };
}
