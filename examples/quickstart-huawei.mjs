// Quick start, Huawei Cloud VPN v5 dialect: a VPN gateway, a customer gateway and a VPN
// connection, each request signed by the official signer of @huaweicloud/huaweicloud-sdk-core
// (SDK-HMAC-SHA256; Huawei publishes no Node VPN SDK), then polled until the connection is ACTIVE.
//
//   SITEVPN_ACCESS_KEY_ID=... SITEVPN_SECRET_ACCESS_KEY=... SITEVPN_PROJECT_ID=... node examples/quickstart-huawei.mjs
//
// SITEVPN_ENDPOINT defaults to http://127.0.0.1:8787; CUSTOMER_IP (default 198.51.100.8) is the
// customer device's public address. Exit code 0 once the connection is ACTIVE, 1 otherwise.
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';

const endpoint = process.env.SITEVPN_ENDPOINT ?? 'http://127.0.0.1:8787';
const { SITEVPN_ACCESS_KEY_ID: ak, SITEVPN_SECRET_ACCESS_KEY: sk, SITEVPN_PROJECT_ID: project } = process.env;
if (!ak || !sk || !project) {
  console.error('set SITEVPN_ACCESS_KEY_ID, SITEVPN_SECRET_ACCESS_KEY and SITEVPN_PROJECT_ID (printed by the first `npm start`)');
  process.exit(2);
}
const customerIp = process.env.CUSTOMER_IP ?? '198.51.100.8';
const credentials = new BasicCredentials().withAk(ak).withSk(sk);

/** One signed request to /v5/{project}{path}; throws with Huawei's error_code and error_msg. */
async function call(method, path, data) {
  const url = `${endpoint}/v5/${project}${path}`;
  const headers = AKSKSigner.sign(
    { endpoint: url, method, headers: { 'content-type': 'application/json' }, queryParams: {}, data },
    credentials,
  );
  delete headers.host; // fetch sets it itself
  const res = await fetch(url, { method, headers, body: data === undefined ? undefined : JSON.stringify(data) });
  const body = res.status === 204 ? {} : await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${body.error_code} ${body.error_msg}`);
  return body;
}

const { vpn_gateway: gw } = await call('POST', '/vpn-gateways', {
  vpn_gateway: {
    name: 'hq',
    vpc_id: '0b6b9a2e-3f7c-4d7e-9a51-2f1d6c8e4a10',
    local_subnets: ['10.0.0.0/16'],
    connect_subnet: '5c0e7d11-8a2b-4c3d-9e4f-6a7b8c9d0e1f',
  },
});
// The create answer carries no EIPs yet; the gateway's own record does.
const { vpn_gateway: vgw } = await call('GET', `/vpn-gateways/${gw.id}`);
console.log(`VPN gateway       ${vgw.id} (${vgw.status}, EIP ${vgw.eip1.ip_address})`);
const { customer_gateway: cgw } = await call('POST', '/customer-gateways', { customer_gateway: { name: 'branch', id_value: customerIp } });
console.log(`customer gateway  ${cgw.id} (${customerIp})`);
const { vpn_connection: created } = await call('POST', '/vpn-connection', {
  vpn_connection: {
    name: 'hq-branch',
    vgw_id: vgw.id,
    vgw_ip: vgw.eip1.id,
    cgw_id: cgw.id,
    peer_subnets: ['192.168.1.0/24'],
    psk: 'Abcdefgh1234',
  },
});
console.log(`VPN connection    ${created.id} (${created.status})`);

// The data plane negotiates the tunnel and reports what it negotiated; poll until it settles (30 s at most).
let conn = created;
for (let i = 0; i < 300 && conn.status !== 'ACTIVE' && conn.status !== 'DOWN'; i++) {
  await new Promise((r) => setTimeout(r, 100));
  conn = (await call('GET', `/vpn-connection/${created.id}`)).vpn_connection;
}
console.log(`status            ${conn.status}`);
const { ikepolicy: ike, ipsecpolicy: esp } = conn;
console.log(
  `policy            IKE ${ike.ike_version} ${ike.encryption_algorithm}/${ike.authentication_algorithm}/${ike.dh_group}, ESP ${esp.encryption_algorithm}/${esp.authentication_algorithm} pfs ${esp.pfs}`,
);
process.exit(conn.status === 'ACTIVE' ? 0 : 1);
