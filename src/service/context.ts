// Who is calling and on whose behalf. Dialects build it after authentication; services use it to
// scope every read and write to the caller's tenant and to check the key's policy.

import type { KeyPolicy } from '../domain/entities.ts';
import { DomainError } from '../domain/errors.ts';
import type { IdStyle } from '../domain/ports.ts';

export type Access = 'read' | 'write' | 'admin';

export interface RequestContext {
  tenantId: string;
  projectId: string;
  accessKeyId: string;
  policy: KeyPolicy;
  /** How new resource ids look for the calling dialect. */
  idStyle: IdStyle;
  requestId: string;
}

const ALLOWED: Record<KeyPolicy, readonly Access[]> = {
  'read-only': ['read'],
  full: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
};

export function mayPerform(policy: KeyPolicy, access: Access): boolean {
  return ALLOWED[policy].includes(access);
}

export function authorize(ctx: RequestContext, access: Access, operation: string): void {
  if (!mayPerform(ctx.policy, access)) {
    throw new DomainError('Unauthorized', `You are not authorized to perform this operation: ${operation}`);
  }
}
