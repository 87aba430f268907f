// Request bodies of the customer gateway operations, with the ranges of the API reference
// (CreateCgwRequestBodyContent, UpdateCgwRequestBodyContent, CaCertificateRequest).
import { X509Certificate } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { invalidRequest } from '../errors.ts';
import { intRange, name, obj, oneOf, str, tags, validator } from './validate.ts';

/**
 * Only the certificate's content is accepted: sitevpn keeps no store of certificate ids. content is
 * optional here so that an id is named as the field at fault; certificateOf requires it.
 */
const caCertificate = Type.Partial(
  obj({
    content: Type.String({
      minLength: 1,
      maxLength: 4096,
      errorMessage: 'must be a PEM-encoded X.509 certificate of at most 4096 characters',
    }),
  }),
);

export const CreateCustomerGatewayBody = obj({
  customer_gateway: obj({
    name: Type.Optional(name()),
    id_type: Type.Optional(oneOf(['ip', 'fqdn'])),
    id_value: str(1, 128),
    bgp_asn: Type.Optional(intRange(1, 4294967295)),
    ca_certificate: Type.Optional(caCertificate),
    tags: Type.Optional(tags()),
  }),
});

export const UpdateCustomerGatewayBody = obj({
  customer_gateway: Type.Partial(
    obj({
      name: name(),
      ca_certificate: caCertificate,
    }),
  ),
});

export type CreateCustomerGatewayBody = Static<typeof CreateCustomerGatewayBody>;

export const validateCreateCustomerGateway = validator(CreateCustomerGatewayBody);
export const validateUpdateCustomerGateway = validator(UpdateCustomerGatewayBody);

/**
 * The certificate of a ca_certificate.content, re-encoded so that nothing but the certificate is
 * kept: anything else in the PEM text (above all a private key) is refused.
 */
export function certificateOf(content: string | undefined, path: string): string {
  if (content === undefined) throw invalidRequest(`${path} is required`);
  if (/PRIVATE KEY/.test(content)) throw invalidRequest(`${path} must not contain a private key`);
  const blocks = content.match(/-----BEGIN [A-Z0-9 ]+-----/g) ?? [];
  if (blocks.length !== 1 || blocks[0] !== '-----BEGIN CERTIFICATE-----') {
    throw invalidRequest(`${path} must be exactly one PEM-encoded X.509 certificate`);
  }
  try {
    return new X509Certificate(content).toString();
  } catch {
    throw invalidRequest(`${path} must be exactly one PEM-encoded X.509 certificate`);
  }
}
