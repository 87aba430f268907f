// Typed wrappers for the VICI commands a control plane needs (strongSwan vici/README.md).
//
//   version        {}                                   => {daemon version sysname release machine}
//   load-conn      {<name> = {...swanctl.conf conn}}    => {success errmsg}
//   unload-conn    {name}                               => {success errmsg}
//   get-conns      {}                                   => {conns = [...]}
//   list-conns     {ike}                                => list-conn events, then {}
//   load-shared    {id type data owners=[...]}          => {success errmsg}
//   unload-shared  {id}                                 => {success errmsg}
//   initiate       {child ike timeout init-limits loglevel}
//                                    => control-log events, then {success errmsg}
//   terminate      {child ike child-id ike-id force timeout loglevel}
//                                    => control-log events, then {success matches terminated errmsg}
//   list-sas       {noblock ike ike-id child child-id}  => list-sa events, then {}
//   rekey          {child ike child-id ike-id reauth}   => {success matches errmsg}
//
// A response with `success = no` becomes a ViciCommandError carrying errmsg, except for
// initiate, whose outcome (a negotiation that may fail) is returned as data.
import { ViciCommandError } from './errors.ts';
import { getList, getString, type ViciInputSection, type ViciMessage } from './message.ts';
import { type CallOptions, type ViciEventHandler, ViciSession, type ViciSessionOptions, type ViciSubscription } from './session.ts';
import type { ConnectOptions } from './transport.ts';

export interface ViciVersion {
  daemon: string;
  version: string;
  sysname: string;
  release: string;
  machine: string;
}

export interface SharedSecret {
  /** Unique identifier, needed to unload the secret later. */
  id?: string;
  type: 'IKE' | 'EAP' | 'XAUTH' | 'NTLM';
  data: string | Uint8Array;
  owners: string[];
}

export interface InitiateRequest {
  child?: string;
  ike?: string;
  /** Daemon-side timeout in ms: 0 (default) waits indefinitely, -1 returns at once. */
  timeout?: number;
  'init-limits'?: boolean;
  loglevel?: number;
}

export interface TerminateRequest {
  child?: string;
  ike?: string;
  'child-id'?: number;
  'ike-id'?: number;
  force?: boolean;
  timeout?: number;
  loglevel?: number;
}

export interface RekeyRequest {
  child?: string;
  ike?: string;
  'child-id'?: number;
  'ike-id'?: number;
  reauth?: boolean;
}

export interface ListSasFilter {
  noblock?: boolean;
  ike?: string;
  'ike-id'?: number;
  child?: string;
  'child-id'?: number;
}

/** One `control-log` event streamed during initiate/terminate. */
export interface ControlLogEntry {
  group: string;
  level: number;
  ikeName?: string;
  ikeId?: number;
  msg: string;
}

export interface InitiateResult {
  success: boolean;
  /** The daemon's error string when success is false ('' if it gave none). */
  errmsg: string;
  log: ControlLogEntry[];
}

export interface TerminateResult {
  matches?: number;
  terminated?: number;
  log: ControlLogEntry[];
}

export type ViciNotification = 'ike-updown' | 'child-updown' | 'ike-rekey' | 'child-rekey';

export interface StreamCallOptions extends CallOptions {
  onLog?: (entry: ControlLogEntry) => void;
}

/** Milliseconds the client waits beyond a daemon-side timeout before giving up itself. */
const DAEMON_TIMEOUT_MARGIN_MS = 5_000;

export class ViciClient {
  constructor(readonly session: ViciSession) {}

  static async connect(uri: string, options: ViciSessionOptions & ConnectOptions = {}): Promise<ViciClient> {
    return new ViciClient(await ViciSession.connect(uri, options));
  }

  close(): Promise<void> {
    return this.session.close();
  }

  async version(options?: CallOptions): Promise<ViciVersion> {
    const r = await this.session.request('version', {}, options);
    const s = (key: string) => getString(r, key) ?? '';
    return {
      daemon: s('daemon'),
      version: s('version'),
      sysname: s('sysname'),
      release: s('release'),
      machine: s('machine'),
    };
  }

  /** Loads (or replaces) one connection; `config` is its swanctl.conf section. */
  async loadConn(name: string, config: ViciInputSection, options?: CallOptions): Promise<void> {
    await this.checked('load-conn', new Map([[name, config]]), options);
  }

  async unloadConn(name: string, options?: CallOptions): Promise<void> {
    await this.checked('unload-conn', { name }, options);
  }

  /** Names of the connections loaded over vici. */
  async getConns(options?: CallOptions): Promise<string[]> {
    return getList(await this.session.request('get-conns', {}, options), 'conns') ?? [];
  }

  /** All loaded connections, one `list-conn` event message each ({<name> = {...}}). */
  async listConns(filter: { ike?: string } = {}, options?: CallOptions): Promise<ViciMessage[]> {
    return (await this.session.streamedRequest('list-conns', 'list-conn', filter, options)).events;
  }

  async loadShared(secret: SharedSecret, options?: CallOptions): Promise<void> {
    const { id, type, data, owners } = secret;
    await this.checked('load-shared', { id, type, data, owners }, options);
  }

  async unloadShared(id: string, options?: CallOptions): Promise<void> {
    await this.checked('unload-shared', { id }, options);
  }

  /** Initiates a CHILD_SA (and its IKE_SA); resolves with the outcome, failed or not. */
  async initiate(request: InitiateRequest, options: StreamCallOptions = {}): Promise<InitiateResult> {
    const { response, log } = await this.controlled('initiate', request, request.timeout, options);
    return { success: isYes(response), errmsg: getString(response, 'errmsg') ?? '', log };
  }

  /** Terminates SAs; throws ViciCommandError when the daemon reports failure. */
  async terminate(request: TerminateRequest, options: StreamCallOptions = {}): Promise<TerminateResult> {
    const { response, log } = await this.controlled('terminate', request, request.timeout, options);
    if (!isYes(response)) throw commandError('terminate', response);
    return { matches: num(response, 'matches'), terminated: num(response, 'terminated'), log };
  }

  async rekey(request: RekeyRequest, options?: CallOptions): Promise<{ matches?: number }> {
    return { matches: num(await this.checked('rekey', { ...request }, options), 'matches') };
  }

  /** Active IKE_SAs, one `list-sa` event message each ({<ike name> = {..., child-sas}}). */
  async listSas(filter: ListSasFilter = {}, options?: CallOptions): Promise<ViciMessage[]> {
    return (await this.session.streamedRequest('list-sas', 'list-sa', { ...filter }, options)).events;
  }

  /** Calls `handler` for each event of that kind until the subscription is ended. */
  subscribe(event: ViciNotification, handler: ViciEventHandler, options?: CallOptions): Promise<ViciSubscription> {
    return this.session.subscribe(event, handler, options);
  }

  private async checked(command: string, message: ViciInputSection, options?: CallOptions) {
    const response = await this.session.request(command, message, options);
    if (!isYes(response)) throw commandError(command, response);
    return response;
  }

  private async controlled(
    command: string,
    request: object,
    daemonTimeout: number | undefined,
    options: StreamCallOptions,
  ): Promise<{ response: ViciMessage; log: ControlLogEntry[] }> {
    const { onLog, ...call } = options;
    if (call.timeoutMs === undefined && daemonTimeout !== undefined && daemonTimeout > 0) {
      call.timeoutMs = daemonTimeout + DAEMON_TIMEOUT_MARGIN_MS;
    }
    const log: ControlLogEntry[] = [];
    const { response } = await this.session.streamedRequest(
      command,
      'control-log',
      { ...request },
      {
        ...call,
        onEvent: (message) => {
          const entry = controlLogEntry(message);
          log.push(entry);
          onLog?.(entry);
        },
      },
    );
    return { response, log };
  }
}

/** `success = yes` in a response. */
export function isYes(response: ViciMessage, key = 'success'): boolean {
  return getString(response, key) === 'yes';
}

/** Whether an ike-updown / child-updown event reports the SA coming up. */
export function isUpEvent(message: ViciMessage): boolean {
  return isYes(message, 'up');
}

function commandError(command: string, response: ViciMessage): ViciCommandError {
  return new ViciCommandError(command, getString(response, 'errmsg') ?? '', response);
}

function num(message: ViciMessage, key: string): number | undefined {
  const v = getString(message, key);
  return v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v);
}

function controlLogEntry(message: ViciMessage): ControlLogEntry {
  return {
    group: getString(message, 'group') ?? '',
    level: num(message, 'level') ?? 0,
    ikeName: getString(message, 'ikesa-name'),
    ikeId: num(message, 'ikesa-uniqueid'),
    msg: getString(message, 'msg') ?? '',
  };
}
