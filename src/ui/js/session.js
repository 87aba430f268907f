// The signed-in identity: access key id, project id and the secret as a non-extractable
// CryptoKey. It lives in memory and, so a reload does not sign the user out, in IndexedDB
// (which stores the CryptoKey object itself, still non-extractable). Signing out deletes it.
import { importSecret } from './sign.js';

const DB = 'sitevpn-console';
const STORE = 'session';
// A stored session ends after this long even if the user never signs out.
const MAX_AGE_MS = 8 * 60 * 60 * 1000;

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req?.result);
      t.onerror = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

let current = null;

export function session() {
  return current;
}

export async function signIn({ accessKeyId, secret, projectId }) {
  const key = await importSecret(secret);
  current = { accessKeyId, projectId, key };
  try {
    await tx('readwrite', (s) => s.put({ ...current, expiresAt: Date.now() + MAX_AGE_MS }, 'current'));
  } catch {
    // No IndexedDB (private mode): the session stays in memory only.
  }
  return current;
}

export async function restore() {
  try {
    const saved = await tx('readonly', (s) => s.get('current'));
    if (saved && saved.key instanceof CryptoKey && saved.expiresAt > Date.now()) {
      current = { accessKeyId: saved.accessKeyId, projectId: saved.projectId, key: saved.key };
    } else if (saved) await signOut();
  } catch {
    current = null;
  }
  return current;
}

export async function signOut() {
  current = null;
  try {
    await tx('readwrite', (s) => s.delete('current'));
  } catch {
    // nothing stored
  }
}
