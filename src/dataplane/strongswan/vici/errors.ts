// Typed errors of the VICI client: everything it reports about the daemon or the wire is a
// ViciError (a malformed connection URI is a plain TypeError):
//   ViciProtocolError        the bytes on the wire (or the input to encode) break the format
//   ViciCommandError         the daemon answered a command with success=no and an errmsg
//   ViciUnknownCommandError  the daemon answered CMD_UNKNOWN
//   ViciUnknownEventError    the daemon answered EVENT_UNKNOWN to a (de-)registration
//   ViciTimeoutError         no answer within the caller's deadline
//   ViciClosedError          the connection closed (or was closed) before an answer came
import type { ViciMessage } from './message.ts';

export abstract class ViciError extends Error {
  override readonly name: string = 'ViciError';
}

export type ViciProtocolErrorCode =
  /** A frame, packet or message ends before an element it announces. */
  | 'truncated'
  /** Unbalanced sections or lists, or an element where it may not appear. */
  | 'bad-nesting'
  /** A message element type other than 1..6. */
  | 'unknown-element'
  /** A packet type other than 0..7. */
  | 'unknown-packet-type'
  /** A section, key, list, command or event name longer than 255 bytes. */
  | 'key-too-long'
  /** A value longer than 65535 bytes. */
  | 'value-too-long'
  /** The same key twice in one section. */
  | 'duplicate-key'
  /** A frame longer than the size limit (strongSwan: 512 KiB). */
  | 'frame-too-large'
  /** Bytes after the end of a packet that carries no message. */
  | 'trailing-bytes'
  /** A value that cannot be encoded (e.g. NaN, a nested list). */
  | 'invalid-value'
  /** A packet type that does not fit the conversation (e.g. EVENT_CONFIRM for a command). */
  | 'unexpected-packet';

export class ViciProtocolError extends ViciError {
  override readonly name = 'ViciProtocolError';
  constructor(
    readonly code: ViciProtocolErrorCode,
    message: string,
    /** Byte offset of the offending element, when decoding. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? `${code}: ${message}` : `${code} at byte ${offset}: ${message}`);
  }
}

export class ViciCommandError extends ViciError {
  override readonly name = 'ViciCommandError';
  constructor(
    readonly command: string,
    /** The daemon's errmsg, or '' when it gave none. */
    readonly errmsg: string,
    readonly response: ViciMessage,
  ) {
    super(`vici command ${command} failed${errmsg ? `: ${errmsg}` : ''}`);
  }
}

export class ViciUnknownCommandError extends ViciError {
  override readonly name = 'ViciUnknownCommandError';
  constructor(readonly command: string) {
    super(`vici command ${command} is unknown to the daemon`);
  }
}

export class ViciUnknownEventError extends ViciError {
  override readonly name = 'ViciUnknownEventError';
  constructor(readonly event: string) {
    super(`vici event ${event} is unknown to the daemon`);
  }
}

export class ViciTimeoutError extends ViciError {
  override readonly name = 'ViciTimeoutError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`vici ${operation} got no answer within ${timeoutMs} ms`);
  }
}

export class ViciClosedError extends ViciError {
  override readonly name = 'ViciClosedError';
  constructor(message = 'vici connection closed', options?: { cause?: unknown }) {
    super(message, options);
  }
}
