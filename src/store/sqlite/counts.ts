// Live connections per tenant and project, counted once and then kept by the writes (the quota
// check of every create and the total of every listing page would otherwise scan the index).
import type { Statements } from './statements.ts';

export class ConnectionCounts {
  readonly #q: Statements;
  readonly #counts = new Map<string, number>();

  constructor(q: Statements) {
    this.#q = q;
  }

  count(tenantId: string, projectId: string): number {
    const key = `${tenantId} ${projectId}`;
    let n = this.#counts.get(key);
    if (n === undefined) {
      n = (this.#q.countConnections.get(tenantId, projectId) as { n: number }).n;
      this.#counts.set(key, n);
    }
    return n;
  }

  /** Moves a count already taken; one not taken yet is read fresh on its first use. */
  recount(tenantId: string, projectId: string, delta: number): void {
    const key = `${tenantId} ${projectId}`;
    const n = this.#counts.get(key);
    if (n !== undefined) this.#counts.set(key, n + delta);
  }

  /** When the project of a removed connection is unknown: every count is taken again on next use. */
  forgetAll(): void {
    this.#counts.clear();
  }
}
