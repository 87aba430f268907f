// Every EC2 action sitevpn serves, in three groups (one file each, so they grow independently).
import type { Ec2Action } from '../action.ts';
import { connectionActions } from './connection-actions.ts';
import { gatewayActions } from './gateway-actions.ts';
import { tunnelActions } from './tunnel-actions.ts';

export const ec2Actions: Ec2Action<any, any>[] = [...connectionActions, ...gatewayActions, ...tunnelActions];
