// Entities for the store contract suite, built directly (no service), each with fresh ids.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccessKey, CustomerGateway, Project, Tenant, Tunnel, VpnConnection, VpnGateway } from '../../src/domain/entities.ts';
import { IKE, IPSEC } from '../../src/service/test-support.ts';

let seq = 0;
/** Increasing ISO times, so creation order is insertion order. */
export function at(): string {
  return new Date(Date.UTC(2026, 0, 1) + ++seq * 1000).toISOString();
}

export function tenantFixture(): { tenant: Tenant; project: Project; key: AccessKey } {
  const id = randomUUID();
  const tenant: Tenant = {
    id,
    accountId: String(100000000000 + Math.floor(Math.random() * 899999999999)),
    name: `t-${id.slice(0, 6)}`,
    createdAt: at(),
  };
  const project: Project = { id: randomBytes(16).toString('hex'), tenantId: id, name: 'p', region: 'cn-north-4', createdAt: at() };
  const key: AccessKey = {
    accessKeyId: `AK${randomBytes(8).toString('hex').toUpperCase()}`,
    tenantId: id,
    secret: randomBytes(20).toString('hex'),
    policy: 'full',
    description: 'k',
    createdAt: at(),
  };
  return { tenant, project, key };
}

export function gatewayFixture(project: Project, ips: string[], extra: Partial<VpnGateway> = {}): VpnGateway {
  const now = at();
  return {
    id: randomUUID(),
    tenantId: project.tenantId,
    projectId: project.id,
    name: 'gw',
    attachmentType: 'vpc',
    localSubnets: ['10.0.0.0/24'],
    bgpAsn: 64512,
    flavor: 'Professional1',
    networkType: 'public',
    haMode: 'active-active',
    availabilityZoneIds: [],
    outsideIps: ips.map((ip) => ({ id: randomUUID(), ip })),
    enterpriseProjectId: '0',
    attachments: [],
    state: 'available',
    tags: [],
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

export function cgwFixture(project: Project, extra: Partial<CustomerGateway> = {}): CustomerGateway {
  const now = at();
  return {
    id: randomUUID(),
    tenantId: project.tenantId,
    projectId: project.id,
    name: 'cgw',
    idType: 'ip',
    idValue: '198.51.100.7',
    bgpAsn: 65000,
    state: 'available',
    tags: [],
    createdAt: now,
    updatedAt: now,
    ...extra,
  };
}

export function tunnelFixture(connectionId: string, index: number, outsideIp: string): Tunnel {
  return {
    id: randomUUID(),
    connectionId,
    index,
    outsideIpId: `eip-${outsideIp}`,
    outsideIp,
    psk: `psk-${randomBytes(8).toString('hex')}`,
    ike: IKE,
    ipsec: IPSEC,
    startupAction: 'start',
    generation: 1,
    observed: { provisioning: 'pending', ikeStatus: 'DOWN', statusMessage: 'new', lastStatusChange: at(), generation: 1 },
  } as Tunnel;
}

export function connectionFixture(
  project: Project,
  vgw: VpnGateway,
  cgw: CustomerGateway,
  extra: Partial<VpnConnection> = {},
): VpnConnection {
  const id = randomUUID();
  const now = at();
  return {
    id,
    tenantId: project.tenantId,
    projectId: project.id,
    name: 'conn',
    vgwId: vgw.id,
    vgwTraits: { attachmentType: vgw.attachmentType, flavor: vgw.flavor, networkType: vgw.networkType },
    cgwId: cgw.id,
    style: 'static',
    peerSubnets: ['192.168.0.0/24'],
    enableNqa: false,
    policyRules: [],
    haRole: 'master',
    enterpriseProjectId: vgw.enterpriseProjectId,
    staticRoutes: [],
    tags: [],
    state: 'pending',
    pendingOperation: 'create',
    createdAt: now,
    updatedAt: now,
    tunnels: vgw.outsideIps.map((ip, i) => tunnelFixture(id, i, ip.ip)),
    ...extra,
  } as VpnConnection;
}
