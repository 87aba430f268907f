// A server whose data plane runs on a ManualClock that nobody advances: a negotiation once
// started stays pending, so a test can see the PENDING_* phase without racing the simulator.
import { ManualClock } from '../../src/domain/manual-clock.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface HeldServer extends TestServer {
  clock: ManualClock;
}

export async function startHeldServer(): Promise<HeldServer> {
  // Signatures carry the real time, so the held clock starts now (well within the allowed skew).
  const clock = new ManualClock(Date.now());
  const server = await startTestServer({ simulatedDelayMs: 1000 }, { clock });
  return { ...server, clock };
}
