// Tunnel and connection modification, routes, replacement and device configuration actions.
import type { Ec2Action } from '../action.ts';

export const tunnelActions: Ec2Action<any, any>[] = [];
