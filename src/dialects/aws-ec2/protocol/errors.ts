/*
 * EC2 error responses (Content-Type: text/xml;charset=UTF-8):
 *
 *   HTTP/1.1 400 Bad Request
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <Response><Errors><Error><Code>InvalidVpnConnectionID.NotFound</Code><Message>The vpnConnection ID
 *   'vpn-1234' does not exist</Message></Error></Errors><RequestID>9d1c..</RequestID></Response>
 *
 * Note `RequestID` (upper-case ID) here, unlike `requestId` in success bodies. EC2 sends client
 * faults as 400-series and server faults as 500-series; the codes with another status are below.
 */
import { escapeXml } from './xml-writer.ts';

export const EC2_ERROR_CONTENT_TYPE = 'text/xml;charset=UTF-8';

/**
 * HTTP status per EC2 error code; anything not listed is 400. Sources (observed real EC2 replies
 * unless noted):
 * - AuthFailure 401: EC2 `401 Unauthorized` + AuthFailure body (github.com/smarty-archives/go-aws-auth
 *   issue 37; gist.github.com/archit/e9d4bf1fa7c9d50515d1).
 * - UnauthorizedOperation 403: `Status Code: 403; Error Code: UnauthorizedOperation` as reported by the
 *   AWS SDKs for EC2.
 * - DryRunOperation 412: raw EC2 reply `HTTP/1.1 412 Precondition Failed` (github.com/getmoto/moto
 *   issue 1980; moto PR 4270 aligned to it).
 * - RequestExpired 400: `Status Code: 400; Error Code: RequestExpired` (aws/aws-sdk-java issue 1443,
 *   aws/aws-sdk-go-v2 issue 1674, both EC2).
 * - RequestLimitExceeded 503: `Status Code: 503; Error Code: RequestLimitExceeded` (jclouds issue 1214,
 *   cloudfoundry/bosh-aws-cpi-release issue 61).
 * - InternalError 500 "An internal error has occurred" (go-aws-auth issue 37); Unavailable 503 per the
 *   EC2 API reference "Error codes" page (server errors are 500-series).
 * - MissingAuthenticationToken 403, SignatureDoesNotMatch 403: AWS common-errors reference and the
 *   SigV4 services' replies (SQS/SES `Status Code: 403; Error Code: SignatureDoesNotMatch`).
 * - RequestEntityTooLarge 413: AWS common-errors reference (RequestEntityTooLargeException).
 * - MalformedQueryString 400: the common-errors page lists 404, but EC2's errors page says client
 *   errors are 400-series and a 404 would read as "wrong endpoint"; we send 400.
 * - RequestTimeout 408, RequestURITooLong 414, RequestHeaderSectionTooLarge 431: sitevpn's own, for
 *   requests its HTTP server cuts off or cannot parse (EC2 documents no code for them); the status
 *   is the HTTP one.
 */
export const EC2_ERROR_STATUS: Readonly<Record<string, number>> = Object.freeze({
  AuthFailure: 401,
  MissingAuthenticationToken: 403,
  SignatureDoesNotMatch: 403,
  UnauthorizedOperation: 403,
  Blocked: 403,
  DryRunOperation: 412,
  RequestEntityTooLarge: 413,
  RequestTimeout: 408,
  RequestURITooLong: 414,
  RequestHeaderSectionTooLarge: 431,
  InternalError: 500,
  InternalFailure: 500,
  Unavailable: 503,
  ServiceUnavailable: 503,
  RequestLimitExceeded: 503,
});

/** Messages EC2 itself sends for the codes whose wording never varies. */
export const EC2_ERROR_MESSAGES = Object.freeze({
  AuthFailure: 'AWS was not able to validate the provided access credentials',
  RequestExpired: 'Request has expired.',
  DryRunOperation: 'Request would have succeeded, but DryRun flag is set.',
  UnauthorizedOperation: 'You are not authorized to perform this operation.',
  InternalError: 'An internal error has occurred',
  RequestLimitExceeded: 'Request limit exceeded.',
});

export function ec2ErrorStatus(code: string): number {
  return EC2_ERROR_STATUS[code] ?? 400;
}

/** The exact EC2 error document for one error. */
export function renderEc2Error(code: string, message: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>' +
    escapeXml(code) +
    '</Code><Message>' +
    escapeXml(message) +
    '</Message></Error></Errors><RequestID>' +
    escapeXml(requestId) +
    '</RequestID></Response>'
  );
}

/**
 * Headers for any EC2 reply. The SDK v3 takes `$metadata.requestId` from `x-amzn-requestid`, not
 * from the body, so the header has to carry the same id (real EC2 sends both).
 */
export function ec2ReplyHeaders(requestId: string): Record<string, string> {
  return { 'content-type': EC2_ERROR_CONTENT_TYPE, 'x-amzn-requestid': requestId };
}

export interface Ec2ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Status, headers and body together, ready for the HTTP layer. */
export function ec2ErrorReply(code: string, message: string, requestId: string): Ec2ErrorReply {
  return { status: ec2ErrorStatus(code), headers: ec2ReplyHeaders(requestId), body: renderEc2Error(code, message, requestId) };
}
