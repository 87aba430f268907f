/*
 * Protocol-level faults of the EC2 Query form, as they go back on the wire:
 *
 *   <Response><Errors><Error><Code>MissingParameter</Code>
 *   <Message>The request must contain the parameter CustomerGatewayId</Message></Error></Errors>...
 *
 * Only QueryParseError leaves the query parser and reader (never a domain error, never a TypeError).
 */

export type QueryErrorCode =
  | 'MissingParameter'
  | 'MissingAction'
  | 'InvalidAction'
  | 'NoSuchVersion'
  | 'InvalidParameterValue'
  | 'InvalidParameterCombination'
  | 'UnknownParameter'
  | 'InvalidQueryParameter'
  | 'MalformedQueryString'
  | 'RequestEntityTooLarge'
  | 'UnsupportedProtocol';

/** The only error query-parser.ts and model-input-parser.ts throw. */
export class QueryParseError extends Error {
  override readonly name = 'QueryParseError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// EC2 wording as seen in real replies quoted in public issues: "The request must contain the
// parameter ImageId", "Value ( 3 ) for parameter maxResults is invalid. Expecting a value greater
// than 5.", "The action DescribeTransitGatewayAttachments is not valid for this web service."
export const missingParameter = (name: string) => new QueryParseError('MissingParameter', `The request must contain the parameter ${name}`);
export const invalidValue = (name: string, value: string, reason: string) =>
  new QueryParseError('InvalidParameterValue', `Value ( ${value} ) for parameter ${name} is invalid. ${reason}`);
export const invalidCombination = (message: string) => new QueryParseError('InvalidParameterCombination', message);
export const invalidAction = (action: string) =>
  new QueryParseError('InvalidAction', `The action ${action} is not valid for this web service.`);
