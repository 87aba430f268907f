// A fake charon for the driver's unit tests: a FakeViciServer that answers what the driver asks at
// connect and per tunnel, with list-sas answering the SAs the test sets. For a tunnel the driver
// loads on the loopback address (the fake listens in this network namespace, so the driver checks
// the outside IP against the host's addresses and 127.0.0.1 passes).

import { connConfig } from './conn-config.ts';
import { LINK_EVENTS } from './link.ts';
import { testIntent } from './test-support.ts';
import { FakeViciServer } from './vici/fake-server.ts';
import type { ViciInputSection } from './vici/message.ts';

/** A startup-action-add tunnel on 127.0.0.1 and its conn. */
export function loopbackTunnel() {
  const base = testIntent();
  const intent = testIntent({
    intent: {
      config: { ...base.config, outsideIp: '127.0.0.1', startupAction: 'add' },
      local: { ...base.local, address: '127.0.0.1' },
    },
  });
  return { intent, conn: connConfig(intent) };
}

/** Starts the fake; list-sas answers `sas()` under the conn's name. */
export function startFakeCharon(connName: string, sas: () => ViciInputSection[]): Promise<FakeViciServer> {
  const ok = () => ({ success: 'yes' });
  return FakeViciServer.start({
    events: [...LINK_EVENTS, 'list-sa', 'list-conn', 'control-log'],
    commands: {
      'get-algorithms': () => 'unknown',
      'list-conns': () => ({}),
      'load-shared': ok,
      'load-conn': ok,
      initiate: ok,
      terminate: ok,
      'list-sas': (_request, ctx) => {
        for (const sa of sas()) ctx.emit('list-sa', { [connName]: sa });
        return {};
      },
    },
  });
}
