// Interfaces the domain needs from the outside world, injected through constructors so tests can
// run on simulated time and predictable ids.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run fn after ms milliseconds of this clock's time; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export type IdKind = 'vpn-gateway' | 'customer-gateway' | 'vpn-connection' | 'tunnel' | 'eip' | 'request' | 'connection-monitor';

/** 'aws' ids look like vpn-0123456789abcdef0; 'uuid' ids are RFC 4122 v4. */
export type IdStyle = 'aws' | 'uuid';

export interface IdGenerator {
  next(kind: IdKind, style: IdStyle): string;
}
