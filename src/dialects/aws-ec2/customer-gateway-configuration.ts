// The customerGatewayConfiguration document EC2 returns with a VPN connection: an XML description
// of every tunnel for the customer's device, from this connection's real values, written by the
// same XML writer as the responses (snake_case member names are kept as they are):
//
//   <?xml version="1.0" encoding="UTF-8"?>
//   <vpn_connection id="vpn-0123456789abcdef0"><customer_gateway_id>cgw-..</customer_gateway_id>
//     <vpn_gateway_id>vgw-..</vpn_gateway_id><vpn_connection_type>ipsec.1</vpn_connection_type>
//     <ipsec_tunnel><customer_gateway>..</customer_gateway><vpn_gateway>..<bgp><asn>64512</asn>..
//       <ike>..<pre_shared_key>..</pre_shared_key></ike><ipsec>..</ipsec></ipsec_tunnel>..</vpn_connection>
//
// The pre-shared keys are written only when the caller may see them; otherwise the element is left out.
import { addressOf } from '../../domain/cidr.ts';
import type { CustomerGateway, Tunnel, VpnConnection } from '../../domain/entities.ts';
import { escapeXml, type Infer, int, str, struct, writeElement } from './protocol/xml-writer.ts';

const INTEGRITY_PROTOCOL: Record<string, string> = {
  sha1: 'hmac-sha1-96',
  'sha2-256': 'hmac-sha2-256-128',
  'sha2-384': 'hmac-sha2-384-192',
  'sha2-512': 'hmac-sha2-512-256',
  md5: 'hmac-md5-96',
  sm3: 'hmac-sm3',
};

const AddressShape = struct({ ip_address: str, network_mask: str, network_cidr: int });
const BgpShape = struct({ asn: int, hold_time: int });
const EndShape = struct({ tunnel_outside_address: struct({ ip_address: str }), tunnel_inside_address: AddressShape, bgp: BgpShape });
const TunnelShape = struct({
  customer_gateway: EndShape,
  vpn_gateway: EndShape,
  ike: struct({
    authentication_protocol: str,
    encryption_protocol: str,
    lifetime: int,
    perfect_forward_secrecy: str,
    mode: str,
    version: str,
    pre_shared_key: str,
  }),
  ipsec: struct({
    protocol: str,
    authentication_protocol: str,
    encryption_protocol: str,
    lifetime: int,
    perfect_forward_secrecy: str,
    mode: str,
    clear_df_bit: str,
    fragmentation_before_encryption: str,
    tcp_mss_adjustment: int,
    dead_peer_detection: struct({ delay: int, retry: int }),
  }),
});

export interface ConfigurationInput {
  connection: VpnConnection;
  cgw: CustomerGateway;
  /** The VPN gateway's own ASN (its AmazonSideAsn). */
  gatewayAsn: number;
  /** Whether the caller may see the pre-shared keys. */
  withKeys: boolean;
}

function inside(cidrAddress: string | undefined) {
  return cidrAddress ? { ip_address: addressOf(cidrAddress), network_mask: '255.255.255.252', network_cidr: 30 } : undefined;
}

function tunnelValue(input: ConfigurationInput, t: Tunnel): Infer<typeof TunnelShape> {
  const bgp = input.connection.style === 'bgp';
  const pfs = t.ipsec.pfsGroups[0];
  return {
    customer_gateway: {
      tunnel_outside_address: { ip_address: input.cgw.idValue },
      tunnel_inside_address: inside(t.tunnelPeerAddress),
      bgp: bgp ? { asn: input.cgw.bgpAsn, hold_time: 30 } : undefined,
    },
    vpn_gateway: {
      tunnel_outside_address: { ip_address: t.outsideIp },
      tunnel_inside_address: inside(t.tunnelLocalAddress),
      bgp: bgp ? { asn: input.gatewayAsn, hold_time: 30 } : undefined,
    },
    ike: {
      authentication_protocol: t.ike.integrity[0],
      encryption_protocol: t.ike.encryption[0],
      lifetime: t.ike.lifetimeSeconds,
      perfect_forward_secrecy: `group${t.ike.dhGroups[0]}`,
      mode: t.ike.phase1Mode,
      version: `ike${t.ike.versions[0]}`,
      pre_shared_key: input.withKeys && t.psk ? t.psk : undefined,
    },
    ipsec: {
      protocol: 'esp',
      authentication_protocol: INTEGRITY_PROTOCOL[t.ipsec.integrity[0]],
      encryption_protocol: t.ipsec.encryption[0],
      lifetime: t.ipsec.lifetimeSeconds,
      perfect_forward_secrecy: pfs ? `group${pfs}` : 'none',
      mode: 'tunnel',
      clear_df_bit: 'true',
      fragmentation_before_encryption: 'true',
      tcp_mss_adjustment: 1379,
      dead_peer_detection: {
        delay: t.ike.dpd.intervalSeconds,
        retry: Math.max(1, Math.round(t.ike.dpd.timeoutSeconds / t.ike.dpd.intervalSeconds)),
      },
    },
  };
}

/** Built once per rendering: ConnectionReplies keeps the result in the dialect's caches. */
export function customerGatewayConfiguration(input: ConfigurationInput): string {
  return renderConfiguration(input);
}

function renderConfiguration(input: ConfigurationInput): string {
  const c = input.connection;
  // The one attribute of the document: the writer writes elements only.
  const id = escapeXml(c.id).replace(/"/g, '&quot;');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<vpn_connection id="${id}">` +
    writeElement('customer_gateway_id', str, c.cgwId) +
    writeElement('vpn_gateway_id', str, c.vgwId) +
    writeElement('vpn_connection_type', str, 'ipsec.1') +
    c.tunnels.map((t) => writeElement('ipsec_tunnel', TunnelShape, tunnelValue(input, t))).join('') +
    '</vpn_connection>'
  );
}
