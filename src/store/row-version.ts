// Row versions for optimistic concurrency, shared by both stores: a read stamps the entity with
// its row's version (under ROW_VERSION, see store.ts), an update checks and bumps it.
import { ROW_VERSION } from './store.ts';

/** Parses a document and stamps it with the row version it was read at. */
export function versioned<T extends object>(doc: string, version: string | number | bigint): T {
  const value = JSON.parse(doc) as T;
  (value as Record<symbol, number>)[ROW_VERSION] = Number(version);
  return value;
}

/** The version the entity was read at, or undefined for one built without a read. */
export function versionOf(value: object): number | undefined {
  return (value as Record<symbol, number | undefined>)[ROW_VERSION];
}

/** Records the version a write left the row at, so the writer's next update is not stale. */
export function stamp(value: object, version: number): void {
  if (!Object.isFrozen(value)) (value as Record<symbol, number>)[ROW_VERSION] = version;
}
