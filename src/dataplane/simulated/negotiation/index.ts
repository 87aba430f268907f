export { describeDrift, describeWeakChoices } from './hygiene.ts';
export { chooseIkeVersion, DEFAULT_RETRANSMITS, negotiate } from './negotiate.ts';
export type {
  FailureNotify,
  NegotiateOptions,
  NegotiationFailure,
  NegotiationIdle,
  NegotiationOutcome,
  NegotiationSuccess,
  Role,
} from './outcome.ts';
export type { SimulatedDeviceProfile } from './peers.ts';
