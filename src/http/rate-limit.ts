// Per-access-key request rate: a token bucket per key (`perSecond` tokens a second, at most
// `burst` saved up), asked after a request's signature is verified, so a flood of unsigned or
// badly signed requests never spends a genuine key's budget. Each dialect answers a refusal with
// its own throttling error. Time comes from the injected Clock.
import type { Clock } from '../domain/ports.ts';

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys tracked at most; the least recently seen is forgotten first (its bucket starts full again). */
const MAX_KEYS = 100_000;

export class KeyRateLimiter {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();

  constructor(perSecond: number, burst: number, clock: Clock) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new Error('a rate limit needs a positive rate and a burst of at least 1');
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#clock = clock;
  }

  /** Spends one request of the key: 0 when allowed, else the whole seconds until one is. */
  take(accessKeyId: string): number {
    const now = this.#clock.now();
    let bucket = this.#buckets.get(accessKeyId);
    if (bucket) {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (Math.max(0, now - bucket.at) * this.#perSecond) / 1000);
      bucket.at = now;
      this.#buckets.delete(accessKeyId); // re-inserted below: the map stays in least-recently-seen order
    } else {
      if (this.#buckets.size >= MAX_KEYS) this.#buckets.delete(this.#buckets.keys().next().value as string);
      bucket = { tokens: this.#burst, at: now };
    }
    this.#buckets.set(accessKeyId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perSecond));
  }
}

/** The limiter a config asks for, or none when rate limiting is off (perSecond 0). */
export function rateLimiterFor(config: { perSecond: number; burst: number }, clock: Clock): KeyRateLimiter | undefined {
  return config.perSecond > 0 ? new KeyRateLimiter(config.perSecond, config.burst, clock) : undefined;
}
