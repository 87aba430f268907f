// `TunnelOptions.N.*` (CreateVpnConnection) and `TunnelOptions.*` (ModifyVpnTunnelOptions), as the
// model reads them: checked against AWS's allowed values, and applied onto a domain tunnel configuration.
import type { DhGroup } from '../../domain/algorithms.ts';
import { insideAddressesOf, isInsideTunnelCidr, isReservedInsideCidr } from '../../domain/cidr.ts';
import type { IkePolicy, IpsecPolicy, TunnelConfig } from '../../domain/entities.ts';
import { Ec2Error } from './errors.ts';
import type { ModifyVpnTunnelOptionsSpecificationIn } from './generated/model.ts';
import { AWS_ENCRYPTION, AWS_IKE_VERSION, AWS_INTEGRITY, AWS_PHASE1_DH_GROUPS, AWS_PHASE2_DH_GROUPS } from './names.ts';
import type { InputOf } from './protocol/model-input.ts';
import { checkEnum, checkRange } from './protocol/model-input-checks.ts';
import { invalidValue, QueryParseError } from './protocol/query-errors.ts';

/** One tunnel's options as the model reads them (Create's VpnTunnelOptionsSpecification has the same members). */
export type TunnelOptionsInput = InputOf<typeof ModifyVpnTunnelOptionsSpecificationIn>;

/** The ranges and enums EC2 documents for a tunnel's options; `prefix` is the dotted Query name of the tunnel. */
export function checkTunnelOptions(o: TunnelOptionsInput, prefix: string): void {
  checkRange(`${prefix}Phase1LifetimeSeconds`, o.Phase1LifetimeSeconds, { min: 900, max: 28800 });
  checkRange(`${prefix}Phase2LifetimeSeconds`, o.Phase2LifetimeSeconds, { min: 900, max: 3600 });
  checkRange(`${prefix}RekeyMarginTimeSeconds`, o.RekeyMarginTimeSeconds, { min: 60 });
  checkRange(`${prefix}RekeyFuzzPercentage`, o.RekeyFuzzPercentage, { min: 0, max: 100 });
  checkRange(`${prefix}ReplayWindowSize`, o.ReplayWindowSize, { min: 64, max: 2048 });
  checkRange(`${prefix}DPDTimeoutSeconds`, o.DPDTimeoutSeconds, { min: 30 });
  checkEnum(`${prefix}DPDTimeoutAction`, o.DPDTimeoutAction, ['clear', 'none', 'restart'] as const);
  checkEnum(`${prefix}StartupAction`, o.StartupAction, ['add', 'start'] as const);
}

/** What sitevpn's tunnels cannot do, refused once the key may act. */
export function refuseUnsupportedTunnelOptions(o: Partial<TunnelOptionsInput>): void {
  if (o.TunnelInsideIpv6Cidr !== undefined) {
    throw new QueryParseError('InvalidParameterCombination', 'An ipv6 inside cidr is not allowed for VPNs using an ipv4 inside ip version');
  }
  if (o.EnableTunnelLifecycleControl)
    throw new Ec2Error('UnsupportedOperation', 'Tunnel endpoint lifecycle control is not supported by sitevpn.');
  const logs = o.LogOptions?.CloudWatchLogOptions;
  if (logs?.LogEnabled || logs?.BgpLogEnabled)
    throw new Ec2Error('UnsupportedOperation', 'Tunnel logs in Amazon CloudWatch are not supported by sitevpn.');
}

/** `[{ Value }]`, the wrapper EC2 uses for algorithm, DH group and IKE version lists, as plain values. */
const values = <T>(list: Array<{ Value: T | undefined }> = []): T[] => list.flatMap((v) => (v.Value === undefined ? [] : [v.Value]));

/** What an AWS tunnel allows when its options are left out, in preference order. */
export const AWS_DEFAULT_IKE: IkePolicy = {
  versions: ['v2', 'v1'],
  phase1Mode: 'main',
  encryption: ['aes128-cbc', 'aes256-cbc', 'aes128-gcm16', 'aes256-gcm16'],
  integrity: ['sha2-256', 'sha1', 'sha2-384', 'sha2-512'],
  dhGroups: [14, 2, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  authMethod: 'pre-share',
  lifetimeSeconds: 28800,
  rekeyMarginSeconds: 270,
  rekeyFuzzPercent: 100,
  localIdType: 'ip',
  peerIdType: 'ip',
  dpd: { timeoutSeconds: 40, intervalSeconds: 10, msg: 'seq-hash-notify', action: 'clear' },
};

export const AWS_DEFAULT_IPSEC: IpsecPolicy = {
  encryption: ['aes128-cbc', 'aes256-cbc', 'aes128-gcm16', 'aes256-gcm16'],
  integrity: ['sha2-256', 'sha1', 'sha2-384', 'sha2-512'],
  pfsGroups: [14, 2, 5, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  lifetimeSeconds: 3600,
  transformProtocol: 'esp',
  encapsulationMode: 'tunnel',
  replayWindowSize: 1024,
};

const PSK = /^[A-Za-z0-9._]{8,64}$/;

function mapped<T>(field: string, values: string[] | undefined, table: Record<string, T>): T[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((v, i) => {
    const hit = table[v];
    if (hit === undefined) throw invalidValue(`${field}.${i + 1}.Value`, v, `Valid values: ${Object.keys(table).join(', ')}.`);
    return hit;
  });
}

function groups(field: string, values: number[] | undefined, allowed: readonly DhGroup[]): DhGroup[] | undefined {
  if (!values || values.length === 0) return undefined;
  for (const [i, g] of values.entries()) {
    if (!allowed.includes(g as DhGroup)) throw invalidValue(`${field}.${i + 1}.Value`, String(g), `Valid values: ${allowed.join(', ')}.`);
  }
  return values as DhGroup[];
}

/** Checks a /30 inside 169.254.0.0/16 that AWS does not reserve. */
export function checkInsideCidr(field: string, cidr: string): void {
  if (!isInsideTunnelCidr(cidr) || isReservedInsideCidr(cidr)) {
    throw invalidValue(
      field,
      cidr,
      'The tunnel inside CIDR must be a /30 in 169.254.0.0/16, other than 169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30.',
    );
  }
}

/** Applies the given options onto a tunnel's current (or default) configuration. */
export function applyTunnelOptions(
  base: Omit<TunnelConfig, 'outsideIp' | 'outsideIpId'>,
  o: Partial<TunnelOptionsInput>,
  prefix: string,
): Partial<TunnelConfig> {
  const name = (n: string) => `${prefix}${n}`;
  if (o.PreSharedKey !== undefined && (!PSK.test(o.PreSharedKey) || o.PreSharedKey.startsWith('0'))) {
    // EC2's own words for a key outside its rules; the value, a secret, is never echoed back.
    throw new QueryParseError('InvalidParameterValue', 'Value for parameter PreSharedKey is invalid.');
  }
  const changes: Partial<TunnelConfig> = {};
  if (o.TunnelInsideCidr !== undefined) {
    checkInsideCidr(name('TunnelInsideCidr'), o.TunnelInsideCidr);
    const addresses = insideAddressesOf(o.TunnelInsideCidr);
    changes.tunnelLocalAddress = addresses.local;
    changes.tunnelPeerAddress = addresses.peer;
  }
  if (o.PreSharedKey !== undefined) changes.psk = o.PreSharedKey;
  if (o.StartupAction !== undefined) changes.startupAction = o.StartupAction as 'add' | 'start';
  const ike: IkePolicy = {
    ...base.ike,
    versions: mapped(name('IKEVersion'), values(o.IKEVersions), AWS_IKE_VERSION) ?? base.ike.versions,
    encryption: mapped(name('Phase1EncryptionAlgorithm'), values(o.Phase1EncryptionAlgorithms), AWS_ENCRYPTION) ?? base.ike.encryption,
    integrity: mapped(name('Phase1IntegrityAlgorithm'), values(o.Phase1IntegrityAlgorithms), AWS_INTEGRITY) ?? base.ike.integrity,
    dhGroups: groups(name('Phase1DHGroupNumber'), values(o.Phase1DHGroupNumbers), AWS_PHASE1_DH_GROUPS) ?? base.ike.dhGroups,
    lifetimeSeconds: o.Phase1LifetimeSeconds ?? base.ike.lifetimeSeconds,
    rekeyMarginSeconds: o.RekeyMarginTimeSeconds ?? base.ike.rekeyMarginSeconds,
    rekeyFuzzPercent: o.RekeyFuzzPercentage ?? base.ike.rekeyFuzzPercent,
    dpd: {
      ...base.ike.dpd,
      timeoutSeconds: o.DPDTimeoutSeconds ?? base.ike.dpd.timeoutSeconds,
      action: (o.DPDTimeoutAction as IkePolicy['dpd']['action'] | undefined) ?? base.ike.dpd.action,
    },
  };
  const ipsec: IpsecPolicy = {
    ...base.ipsec,
    encryption: mapped(name('Phase2EncryptionAlgorithm'), values(o.Phase2EncryptionAlgorithms), AWS_ENCRYPTION) ?? base.ipsec.encryption,
    integrity: mapped(name('Phase2IntegrityAlgorithm'), values(o.Phase2IntegrityAlgorithms), AWS_INTEGRITY) ?? base.ipsec.integrity,
    pfsGroups: groups(name('Phase2DHGroupNumber'), values(o.Phase2DHGroupNumbers), AWS_PHASE2_DH_GROUPS) ?? base.ipsec.pfsGroups,
    lifetimeSeconds: o.Phase2LifetimeSeconds ?? base.ipsec.lifetimeSeconds,
    replayWindowSize: o.ReplayWindowSize ?? base.ipsec.replayWindowSize,
  };
  if (ike.rekeyMarginSeconds > ipsec.lifetimeSeconds / 2) {
    throw invalidValue(
      name('RekeyMarginTimeSeconds'),
      String(ike.rekeyMarginSeconds),
      `The rekey margin must be between 60 and half of Phase2LifetimeSeconds (${ipsec.lifetimeSeconds}).`,
    );
  }
  if (ipsec.lifetimeSeconds >= ike.lifetimeSeconds) {
    throw invalidValue(
      name('Phase2LifetimeSeconds'),
      String(ipsec.lifetimeSeconds),
      'Phase2LifetimeSeconds must be less than Phase1LifetimeSeconds.',
    );
  }
  changes.ike = ike;
  changes.ipsec = ipsec;
  return changes;
}
