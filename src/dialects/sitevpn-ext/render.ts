// Negotiated values and traffic selectors on the wire, in the domain's canonical names.
import type { NegotiatedParameters } from '../../domain/entities.ts';

export function renderNegotiated(n: NegotiatedParameters): Record<string, unknown> {
  const phase1: Record<string, unknown> = { encryption: n.phase1.encryption, integrity: n.phase1.integrity };
  if (n.phase1.prf !== undefined) phase1.prf = n.phase1.prf;
  phase1.dh_group = n.phase1.dhGroup;
  const phase2: Record<string, unknown> = { encryption: n.phase2.encryption };
  if (n.phase2.integrity !== undefined) phase2.integrity = n.phase2.integrity;
  phase2.pfs_group = n.phase2.dhGroup ?? null;
  return { ike_version: n.ikeVersion, phase1, phase2 };
}

export function renderSelectors(s: { local: string[]; remote: string[] } | undefined): Record<string, unknown> | null {
  return s ? { local: s.local, remote: s.remote } : null;
}
