// Customer gateway, VPN gateway and tag actions.
import type { Ec2Action } from '../action.ts';

export const gatewayActions: Ec2Action<any, any>[] = [];
