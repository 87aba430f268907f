// Connections as last written or read, frozen. Only this process writes connections to this
// file (the CLI touches keys only), so every write that forgets its entry keeps the cache true.
import type { VpnConnection } from '../../domain/entities.ts';

export class ConnectionCache {
  readonly #connections = new Map<string, VpnConnection>();

  get(id: string): VpnConnection | undefined {
    return this.#connections.get(id);
  }

  remember(c: VpnConnection): VpnConnection {
    if (this.#connections.size >= 100_000) this.#connections.clear();
    const frozen = deepFreeze(c);
    this.#connections.set(c.id, frozen);
    return frozen;
  }

  forget(id: string): void {
    this.#connections.delete(id);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
