// Customer gateway, VPN gateway and tag actions.
import type { Ec2Action } from '../action.ts';
import AttachVpnGateway from './AttachVpnGateway.ts';
import CreateCustomerGateway from './CreateCustomerGateway.ts';
import CreateTags from './CreateTags.ts';
import CreateVpnGateway from './CreateVpnGateway.ts';
import DeleteCustomerGateway from './DeleteCustomerGateway.ts';
import DeleteTags from './DeleteTags.ts';
import DeleteVpnGateway from './DeleteVpnGateway.ts';
import DescribeCustomerGateways from './DescribeCustomerGateways.ts';
import DescribeTags from './DescribeTags.ts';
import DescribeVpnGateways from './DescribeVpnGateways.ts';
import DetachVpnGateway from './DetachVpnGateway.ts';

export const gatewayActions: Ec2Action<any, any>[] = [
  CreateCustomerGateway,
  DescribeCustomerGateways,
  DeleteCustomerGateway,
  CreateVpnGateway,
  DescribeVpnGateways,
  AttachVpnGateway,
  DetachVpnGateway,
  DeleteVpnGateway,
  CreateTags,
  DeleteTags,
  DescribeTags,
];
