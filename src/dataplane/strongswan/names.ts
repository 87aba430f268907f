// The strongSwan name table moved to the domain (src/domain/strongswan-names.ts) so that the
// swanctl.conf generator in service/ reads it without depending on this driver; the driver's
// files (and test/support/differential.ts) keep importing it from here.
export * from '../../domain/strongswan-names.ts';
